"""Authentication from the session row read with its user (see ``bianmin.identity.sessions``).

Django's ``AuthenticationMiddleware`` with one change: while Django's own ``auth.get_user`` checks
the session (backend, active user, password hash), the backend is handed the user that the
session store read in the same query as the session, instead of reading it again.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import middleware as django_middleware
from django.utils.functional import SimpleLazyObject

#: The session being authenticated, while ``auth.get_user`` runs (read by ``LockoutBackend``).
SESSION: ContextVar = ContextVar("bianmin_session", default=None)


def preloaded_user(user_id):
    """The user the current session row carries, if it is ``user_id`` (else ``None``)."""
    session = SESSION.get()
    user = getattr(session, "preloaded_user", None)
    return user if user is not None and user.pk == user_id else None


def get_user(request):
    if not hasattr(request, "_cached_user"):
        token = SESSION.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            SESSION.reset(token)
    return request._cached_user


class AuthenticationMiddleware(django_middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
