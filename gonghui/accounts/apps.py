from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gonghui.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: F401
        from .roles import sync_roles

        # After every migrate, when all apps' permissions exist.
        post_migrate.connect(sync_roles, dispatch_uid="gonghui.accounts.sync_roles")
