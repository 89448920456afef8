"""Django's model backend, with an account's permissions kept between requests
(``accounts.state``) instead of read on every request, and the account read with
its organisation, which every console page needs for the scope rule, by SQL written
once (``core.rows``): every signed-in request reads it."""

from django.contrib.auth.backends import ModelBackend

from gonghui.core.rows import RowReader

from .models import User
from .state import account_state

_ACCOUNT = RowReader(User, related=("organisation",), where="t.id = %s")


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = _ACCOUNT.get(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.pk is None:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(account_state(user_obj).permissions)
        return user_obj._perm_cache
