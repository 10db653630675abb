"""``/healthz``: is the database reachable and are all migrations applied?"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse


def healthz(request):
    checks: dict[str, object] = {}
    status = 200
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = {
            "ok": not pending,
            "pending": [f"{m.app_label}.{m.name}" for m, _ in pending],
        }
        if pending:
            status = 503
    except Exception as error:  # any failure here means "not healthy", reported, not raised
        checks["database"] = {"ok": False, "error": error.__class__.__name__}
        status = 503
    return JsonResponse({"ok": status == 200, "checks": checks}, status=status)
