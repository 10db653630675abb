"""Database sessions with the idle timeout, renewed at most once a minute.

Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row on every request (three round
trips with its transaction) only to push the expiry forward. This store renews the expiry when
a request loads a session whose expiry is more than ``SESSION_RENEW_AFTER`` seconds (60 by
default) behind where a save now would put it: the idle timeout (``SESSION_COOKIE_AGE``, 30
minutes) still counts from the last activity, give or take that minute, and a busy clerk's
session is written about once a minute instead of on every call.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone


class SessionStore(DatabaseStore):
    def load(self):
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        age = data.get("_session_expiry", settings.SESSION_COOKIE_AGE)
        if isinstance(age, int):  # an absolute expiry (a date) is never renewed
            renew_after = getattr(settings, "SESSION_RENEW_AFTER", 60)
            target = timezone.now() + dt.timedelta(seconds=age)
            if target - s.expire_date > dt.timedelta(seconds=renew_after):
                self.modified = True  # the middleware saves it, pushing the expiry forward
        return data
