from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gonghui.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register

        from . import signals  # noqa: F401
        from .models import User
        from .roles import check_separation, sync_roles
        from .state import connect_signals

        connect_signals()
        # Who changed an account's organisation, roles or state; never the password hash.
        audit_register(
            User, exclude=("password", "last_login", "access_version"), m2m_fields={"groups"}
        )

        register(
            NavItem(
                _("Administration"),
                _("Staff accounts"),
                "accounts:staff-list",
                "accounts.view_user",
                900,
            ),
        )

        # Accounts holding two separated roles (a shell, an old database) are named.
        checks.register(check_separation, checks.Tags.security, checks.Tags.database)

        # After every migrate, when all apps' permissions exist.
        post_migrate.connect(sync_roles, dispatch_uid="gonghui.accounts.sync_roles")
