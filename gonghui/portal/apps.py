from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gonghui.portal"
    label = "portal"
    verbose_name = _("Worker portal")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register

        from .models import BindingRequest, CorrectionRequest

        audit_register(BindingRequest)
        audit_register(CorrectionRequest)
        # Those who keep and know the members confirm that a number is theirs, and
        # answer the workers' requests to correct their data.
        decide = ("portal.view_bindingrequest", "portal.change_bindingrequest")
        correct = ("portal.view_correctionrequest", "portal.change_correctionrequest")
        for role in (Role.COUNTY_ADMIN, Role.STAFF, Role.GRASSROOTS_CHAIR):
            register_permissions(role, *decide, *correct)
        register(
            NavItem(
                _("Members"),
                _("Portal accounts to confirm"),
                "bindings:list",
                "portal.view_bindingrequest",
                40,
            ),
            NavItem(
                _("Members"),
                _("Requests to correct personal data"),
                "corrections:list",
                "portal.view_correctionrequest",
                41,
            ),
        )
        from . import todo  # noqa: F401  (registers the app's to-do items)
        from .tabs import register_tab

        register_tab(_("Home"), "portal:home", 10)
        register_tab(_("Card"), "membership:card", 20)
        # The card check needs no permission of its own: people.view_person (membership_views).
        register(
            NavItem(
                _("Members"), _("Check a membership card"), "scan:check", "people.view_person", 35
            )
        )
        register_tab(_("Me"), "portal:me", 90)
