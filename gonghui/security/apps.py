from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "gonghui.security"
    verbose_name = _("Security and audit")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from gonghui.core.navigation import NavItem, register

        from . import signals
        from .middleware import connect_change_actor, install_request_id_in_log_records

        install_request_id_in_log_records()
        connect_change_actor()

        m2m_changed.connect(
            signals.roles_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="gonghui.security.roles_changed",
        )

        # Who reads both logs is the role table's (accounts.roles: the auditor alone).
        register(
            NavItem(
                _("Administration"),
                _("Security events"),
                "security:event-list",
                "security.view_securityevent",
                910,
            ),
            NavItem(
                _("Administration"),
                _("Change history"),
                "security:change-list",
                "security.view_securityevent",
                920,
            ),
        )
