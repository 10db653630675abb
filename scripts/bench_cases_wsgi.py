"""The WSGI application for scripts/bench_cases.py under uvicorn's WSGI interface.

uvicorn hands WSGI header values to h11 as they are, and h11 refuses a value with a leading
space, which Django's Set-Cookie header has; this wrapper strips header values. Otherwise it is
what `bianmin serve` runs for every request but the boards' streams (bianmin/asgi.py): the same
Django application, each process listening for word of changed sessions and devices so that it
may keep them (bianmin.common.bus, decision 0009), notifications sent from an outbox thread.
"""

# ruff: noqa: I001  (bianmin.wsgi first: it sets Django up before the models are imported)
from bianmin.wsgi import application as _django
from bianmin.cases.notifications import start_outbox
from bianmin.common import bus

bus.start()
start_outbox()


def application(environ, start_response):
    def strip(status, headers, exc_info=None):
        return start_response(status, [(k, v.strip()) for k, v in headers], exc_info)

    return _django(environ, strip)
