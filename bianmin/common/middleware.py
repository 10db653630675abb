"""Django's message middleware, left out of the JSON API.

No answer of ``/api/`` shows a flash message, yet Django's middleware set up their storage (a
cookie store and a session store) on every call: about 1.5 % of a queue API request's CPU under
load. Pages keep it as before.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware


class MessageMiddleware(DjangoMessageMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_request(request)
