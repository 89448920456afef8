from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "gonghui.coverage"
    verbose_name = _("Union coverage")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.navigation import NavItem, register

        from .models import VIEW_COVERAGE

        for role in (Role.COUNTY_ADMIN, Role.STAFF, Role.GRASSROOTS_CHAIR, Role.LEADER):
            register_permissions(role, VIEW_COVERAGE)
        register(
            NavItem(
                _("Coverage"), _("Coverage and membership"), "coverage:overview", VIEW_COVERAGE, 50
            ),
            NavItem(
                _("Coverage"),
                _("Employers without a union"),
                "coverage:uncovered",
                VIEW_COVERAGE,
                51,
            ),
        )
