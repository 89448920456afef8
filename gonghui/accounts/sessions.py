"""Django's database sessions, with the one read every signed-in request makes written
once (``core.rows``) instead of built by the ORM on each request. Set as
``SESSION_ENGINE``; everything else is Django's."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from gonghui.core.rows import RowReader

_ALIVE = RowReader(Session, where="t.session_key = %s AND t.expire_date > %s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        session = _ALIVE.get(self.session_key, now)
        if session is None:
            self._session_key = None
        return session
