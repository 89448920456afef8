from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "gonghui.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register

        from .models import EnteredDay, EnteredYear

        audit_register(EnteredYear)
        audit_register(EnteredDay)

        # One calendar for the whole county: its administrators keep it.
        register_permissions(
            Role.COUNTY_ADMIN,
            "workdays.view_enteredyear",
            "workdays.add_enteredyear",
            "workdays.change_enteredyear",
        )
        register(
            NavItem(
                _("Administration"),
                _("Working-day calendar"),
                "workdays:year-list",
                "workdays.view_enteredyear",
                890,
            ),
        )
        from . import todo  # noqa: F401  (registers the calendar's warning)
