"""Django's model backend, with an account's permissions kept between requests
(``accounts.state``) instead of read on every request, and the account read with
its organisation, which every console page needs for the scope rule."""

from django.contrib.auth.backends import ModelBackend

from .models import User
from .state import account_state


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.pk is None:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(account_state(user_obj).permissions)
        return user_obj._perm_cache
