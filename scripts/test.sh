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

echo "== tests on SQLite"
env -u BIANMIN_DATABASE_URL BIANMIN_VAR_DIR="$(mktemp -d)" $BIN/pytest -q "$@"

echo "== tests on PostgreSQL"
pgdir=$(mktemp -d /tmp/bianmin-pg.XXXXXX)
trap 'bash scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
url=$(bash scripts/pg-test-cluster.sh start "$pgdir" | tail -n 1)
echo "PostgreSQL test cluster: $url"
BIANMIN_DATABASE_URL="$url" BIANMIN_VAR_DIR="$(mktemp -d)" $BIN/pytest -q "$@"
