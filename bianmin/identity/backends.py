"""Password login that refuses locked accounts, whichever page or API asked."""

from django.contrib.auth.backends import ModelBackend

from .services import lock_status


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and lock_status(username).locked:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
