"""ASGI entry point: `bianmin serve` runs this under uvicorn.

Display boards' event streams go through Django's ASGI handler (one coroutine each); every other
request through Django's WSGI handler in a small thread pool, one thread hop instead of about
eighteen (bianmin/queueing/asgi.py; docs/queue.md and docs/benchmarks.md have the figures).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")

from bianmin.queueing.asgi import make_application  # noqa: E402

application = make_application()

# On PostgreSQL each app process keeps the rows read on every request (a clerk's session, a
# kiosk's device) while it hears about their changes from the others (bianmin.common.bus); and
# notifications go out from an outbox thread after the commit, not inside the clerk's request.
from bianmin.cases.notifications import start_outbox  # noqa: E402
from bianmin.common import bus  # noqa: E402

bus.start()
start_outbox()
