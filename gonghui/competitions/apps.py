from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "gonghui.competitions"
    verbose_name = _("Labour and skills competitions")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        # certificates registers its job, todo the app's to-do items.
        from . import certificates, selectors, todo  # noqa: F401
        from .models import Competition, Entry, Event, JudgeAssignment, Score

        # A judge's correction of a score before locking is an update of its row: the
        # audit trail keeps the value before and after, and who changed it.
        for model in (Competition, Event, Entry, JudgeAssignment, Score):
            audit_register(model)

        view = "competitions.view_competition"
        organise = [
            view,
            "competitions.add_competition",
            "competitions.change_competition",
            "competitions.add_entry",
        ]
        register_permissions(Role.COUNTY_ADMIN, *organise)
        register_permissions(Role.STAFF, *organise)
        # A chair registers their members for the competitions open to them; the scope
        # rule keeps them to their own members' entries.
        register_permissions(Role.GRASSROOTS_CHAIR, view, "competitions.add_entry")
        register_permissions(Role.LEADER, view)
        # A judge reaches only the sheets of the competitions they are assigned to.
        register_permissions(Role.JUDGE, "competitions.add_score")

        excellence = _("Excellence")
        register(
            NavItem(excellence, _("Competitions"), "competitions:list", view, 90),
            NavItem(
                excellence,
                _("My scoring sheets"),
                "competitions:judging",
                "competitions.add_score",
                91,
            ),
        )
        register_section(
            label=_("Competitions"),
            template="competitions/_person_section.html",
            context_func=lambda person, user: {
                "entries": selectors.entries_for_person(user, person)
            },
            permission=view,
            order=90,
        )
        register_service(_("Competitions"), "portal-competitions:list", 55)
