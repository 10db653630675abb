"""Password login that refuses locked accounts, whichever page or API asked."""

from django.contrib.auth.backends import ModelBackend

from .middleware import preloaded_user
from .services import lock_status


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and lock_status(username).locked:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The session's user: read with the session row when it was (no second query)."""
        user = preloaded_user(user_id)
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
