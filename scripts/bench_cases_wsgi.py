"""The WSGI application for scripts/bench_cases.py under uvicorn's WSGI interface.

uvicorn hands WSGI header values to h11 as they are, and h11 refuses a value with a leading
space, which Django's Set-Cookie header has; this wrapper strips header values. Nothing else
changes: the same bianmin application, with persistent database connections per thread.
"""

from bianmin.wsgi import application as _django


def application(environ, start_response):
    def strip(status, headers, exc_info=None):
        return start_response(status, [(k, v.strip()) for k, v in headers], exc_info)

    return _django(environ, strip)
