#!/usr/bin/env bash
# The whole suite: lint, the import layers, then pytest on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PLAYWRIGHT_BROWSERS_PATH=0 PYTHONDONTWRITEBYTECODE=1

echo "== lint: ruff and the import layers"
$BIN/ruff check bianmin scripts
$BIN/lint-imports --no-cache

echo "== deploy check: production settings pass 'manage.py check --deploy'"
BIANMIN_PRODUCTION=1 BIANMIN_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))') \
  BIANMIN_ALLOWED_HOSTS=bianmin.example.gov.cn BIANMIN_DATA_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(16))') \
  BIANMIN_LOOKUP_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))') BIANMIN_VAR_DIR=$(mktemp -d) \
  $BIN/python manage.py check --deploy --fail-level WARNING

# The two runs side by side: the machine has two cores, and one pytest process uses one. The
# PostgreSQL run shows its progress here; the SQLite run's output follows when both are done.
# BIANMIN_TEST_SERIAL=1 runs them one after the other instead (SQLite first).
pgdir=$(mktemp -d /tmp/bianmin-pg.XXXXXX)
sqlite_log=$(mktemp /tmp/bianmin-sqlite-tests.XXXXXX)
# On the way out (also when the cluster fails to start) stop a SQLite run still going.
trap '[ -n "${sqlite_pid:-}" ] && kill "$sqlite_pid" 2>/dev/null; bash scripts/pg-test-cluster.sh stop "$pgdir"; rm -f "$sqlite_log"' EXIT
sqlite_tests() { env -u BIANMIN_DATABASE_URL BIANMIN_VAR_DIR="$(mktemp -d)" $BIN/pytest -q "$@"; }

if [ "${BIANMIN_TEST_SERIAL:-0}" = 1 ]; then
  echo "== tests on SQLite"
  sqlite_tests "$@"
else
  echo "== tests on SQLite (in the background; output below when done)"
  sqlite_tests "$@" >"$sqlite_log" 2>&1 &
  sqlite_pid=$!
fi

echo "== tests on PostgreSQL"
url=$(bash scripts/pg-test-cluster.sh start "$pgdir" | tail -n 1)
echo "PostgreSQL test cluster: $url"
pg_status=0
BIANMIN_DATABASE_URL="$url" BIANMIN_VAR_DIR="$(mktemp -d)" $BIN/pytest -q "$@" || pg_status=$?

sqlite_status=0
if [ -n "${sqlite_pid:-}" ]; then
  wait "$sqlite_pid" || sqlite_status=$?
  echo "== tests on SQLite (ran alongside)"
  cat "$sqlite_log"
fi
echo "== SQLite: exit $sqlite_status · PostgreSQL: exit $pg_status"
[ "$sqlite_status" = 0 ] && [ "$pg_status" = 0 ]
