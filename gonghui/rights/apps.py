from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "gonghui.rights"
    verbose_name = _("Rights cases")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_employer_section
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from . import selectors, todo  # noqa: F401  (todo registers the app's to-do items)
        from .models import Case, DeadlineRule, IntakeTemplate

        # CaseNote is left out of the audit trail on purpose: its history would be
        # readable by whoever reads a case's history, and only the handler, their
        # superiors and county administrators read notes.
        audit_register(Case, exclude=("intake_answers",))
        audit_register(DeadlineRule)
        audit_register(IntakeTemplate)

        handle = ["rights.view_case", "rights.add_case", "rights.change_case"]
        register_permissions(
            Role.COUNTY_ADMIN, *handle, "rights.configure_case", "rights.check_case"
        )
        register_permissions(Role.STAFF, *handle)
        register_permissions(Role.LEGAL_AID, *handle)
        register_permissions(Role.MEDIATOR, *handle)
        # Leaders read the cases (never the notes); the auditor reads nothing of them.
        register_permissions(Role.LEADER, "rights.view_case")

        area = _("Rights")
        register(
            NavItem(area, _("Cases"), "rights:case-list", "rights.view_case", 80),
            NavItem(area, _("Take a case"), "rights:case-intake", "rights.add_case", 81),
            NavItem(area, _("Deadlines"), "rights:deadline-rules", "rights.configure_case", 82),
            NavItem(
                area, _("Intake templates"), "rights:intake-templates", "rights.configure_case", 83
            ),
            NavItem(area, _("Early warnings"), "rights:early-warnings", "rights.view_case", 85),
            NavItem(area, _("Quality check"), "rights:quality-sample", "rights.check_case", 84),
        )
        register_service(_("Help with a dispute"), "portal-rights:mine", 50)
        register_section(
            label=_("Rights cases"),
            template="rights/_person_section.html",
            context_func=lambda person, user: {
                "cases": selectors.cases_for_person(user, person)[:50]
            },
            permission="rights.view_case",
            order=75,
        )
        register_employer_section(
            label=_("Rights cases"),
            template="rights/_employer_section.html",
            context_func=lambda employer, user: {
                "cases": selectors.cases_for_employer(user, employer)[:50]
            },
            permission="rights.view_case",
            order=30,
        )
