"""Database sessions read with their user in one query, renewed at most once a minute.

**One query per request.** Django's database sessions and its authentication middleware read the
session row, then the user (two round trips and two ORM compilations on every call of a clerk's
page or API). Here the session row carries its user's id (``identity.Session.user``, written at
login), and ``load`` reads the session, the user and the user's center (with its township) or
department in one query written once per process; ``bianmin.identity.middleware`` then takes the
user from the loaded session instead of asking the database again. The checks are Django's: the
session must not have expired, the user must be active, and the session's password hash must
match (so changing the password still signs the user out everywhere).

**Kept in memory while the process listens.** Under `bianmin serve` on PostgreSQL each app
process keeps the rows it read (``bianmin.common.bus.Memo``, topic ``session``) and reads the
database again only when word comes that the session, its user, the user's center or department
changed (a save or delete anywhere, through ``NOTIFY``), or after a minute. The checks above
run on every request all the same, on the kept row; an expired session is refused by its own
expiry date. Without a listener (SQLite, tests) every request reads the row.

**Renewal.** Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row on every request
(three round trips with its transaction) only to push the expiry forward. This store renews the
expiry when a request loads a session whose expiry is more than ``SESSION_RENEW_AFTER`` seconds
(60 by default) behind where a save now would put it: the idle timeout (``SESSION_COOKIE_AGE``,
30 minutes) still counts from the last activity, give or take that minute, and a busy clerk's
session is written about once a minute instead of on every call.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connection
from django.utils import timezone

from bianmin.common import bus
from bianmin.common.rows import columns, cursor, from_row, spans
from bianmin.org.models import Center, Department, Region

_SQL: dict[str, str] = {}
#: Session rows (with user, center, department) by session key, while the process listens.
KEPT = bus.Memo("session")
#: Decoded session data by its signed blob (see ``SessionStore._decode_kept``).
_DECODED: dict[str, dict] = {}


def _session_sql() -> str:
    from .models import Session, User

    if connection.vendor not in _SQL:
        q = connection.ops.quote_name
        _SQL[connection.vendor] = (
            f"SELECT {columns(Session, 's')}, {columns(User, 'u')}, {columns(Center, 'c')}, "
            f"{columns(Region, 'r')}, {columns(Department, 'd')} "
            f"FROM {q(Session._meta.db_table)} s "
            f"LEFT JOIN {q(User._meta.db_table)} u ON u.{q('id')} = s.{q('user_id')} "
            f"LEFT JOIN {q(Center._meta.db_table)} c ON c.{q('id')} = u.{q('center_id')} "
            f"LEFT JOIN {q(Region._meta.db_table)} r ON r.{q('id')} = c.{q('region_id')} "
            f"LEFT JOIN {q(Department._meta.db_table)} d ON d.{q('id')} = u.{q('department_id')} "
            f"WHERE s.{q('session_key')} = %s AND s.{q('expire_date')} > %s"
        )
    return _SQL[connection.vendor]


class SessionStore(DatabaseStore):
    #: The user whose id the session row carries, read with it (``None``: nobody, or not loaded).
    preloaded_user = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data[SESSION_KEY]) if data.get(SESSION_KEY) else None
        except (TypeError, ValueError):
            obj.user_id = None
        return obj

    def _read(self):
        """The session row with its user, center and department, or ``None``."""
        from .models import Session, User

        if not self.session_key:
            return None
        now = timezone.now()
        parts = spans(Session, User, Center, Region, Department)

        def read():
            with cursor() as c:
                c.execute(
                    _session_sql(),
                    [self.session_key, connection.ops.adapt_datetimefield_value(now)],
                )
                return c.fetchone()

        row, _kept = KEPT.fetch(self.session_key, read)
        if row is None:
            return None
        session = from_row(parts[0], row)
        if session.expire_date <= now:  # a kept row is checked again on every request
            return None
        user_at = parts[1][1]
        if row[user_at] is not None:
            user = from_row(parts[1], row)
            if row[parts[2][1]] is not None:
                center = from_row(parts[2], row)
                center.region = from_row(parts[3], row)
                user.center = center
            if row[parts[4][1]] is not None:
                user.department = from_row(parts[4], row)
            self.preloaded_user = user
        return session

    def _decode_kept(self, blob: str) -> dict:
        """``decode(blob)``, from memory when this process has decoded the same signed blob
        before (checking its signature each time was about 2 % of a clerk's API request). The
        blob names its content, so nothing kept goes stale; each request gets its own copy."""
        kept = _DECODED.get(blob)
        if kept is None:
            kept = self.decode(blob)
            if len(_DECODED) >= 10_000:
                _DECODED.clear()
            _DECODED[blob] = kept
        return copy.deepcopy(kept)

    def load(self):
        s = self._read()
        if s is None:
            self._session_key = None
            return {}
        data = self._decode_kept(s.session_data)
        age = data.get("_session_expiry", settings.SESSION_COOKIE_AGE)
        if isinstance(age, int):  # an absolute expiry (a date) is never renewed
            renew_after = getattr(settings, "SESSION_RENEW_AFTER", 60)
            target = timezone.now() + dt.timedelta(seconds=age)
            if target - s.expire_date > dt.timedelta(seconds=renew_after):
                self.modified = True  # the middleware saves it, pushing the expiry forward
        return data
