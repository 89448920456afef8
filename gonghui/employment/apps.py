from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "gonghui.employment"
    verbose_name = _("Spring jobs")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from . import selectors
        from .models import JobApplication, JobFair, JobPosting

        audit_register(JobPosting)
        audit_register(JobFair)
        audit_register(JobApplication)

        view = [
            "employment.view_jobposting",
            "employment.view_jobfair",
            "employment.view_jobapplication",
        ]
        edit = [
            "employment.add_jobposting",
            "employment.change_jobposting",
            "employment.add_jobfair",
            "employment.change_jobfair",
            "employment.add_jobapplication",
            "employment.decide_jobapplication",
        ]
        register_permissions(Role.COUNTY_ADMIN, *view, *edit)
        register_permissions(Role.STAFF, *view, *edit)
        # A chair enters their members' applications and the postings of the
        # employers their union covers.
        register_permissions(
            Role.GRASSROOTS_CHAIR,
            *view,
            "employment.add_jobposting",
            "employment.change_jobposting",
            "employment.add_jobapplication",
        )
        register_permissions(Role.LEADER, *view)

        register(
            NavItem(
                _("Spring jobs"),
                _("Job postings"),
                "employment:posting-list",
                "employment.view_jobposting",
                60,
            ),
            NavItem(
                _("Spring jobs"),
                _("Job applications"),
                "employment:application-list",
                "employment.view_jobapplication",
                61,
            ),
            NavItem(
                _("Spring jobs"),
                _("Job fairs"),
                "employment:fair-list",
                "employment.view_jobfair",
                62,
            ),
            NavItem(
                _("Spring jobs"),
                _("Campaign summary"),
                "employment:summary",
                "employment.view_jobposting",
                63,
            ),
        )
        register_section(
            label=_("Job applications"),
            template="employment/_person_section.html",
            context_func=lambda person, user: {
                "applications": selectors.applications_for_person(user, person)
            },
            permission="employment.view_jobapplication",
            order=60,
        )
        register_service(_("Jobs"), "portal-jobs:list", 30)
