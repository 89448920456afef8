from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "gonghui.studios"
    verbose_name = _("Innovation studios and mentoring")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_employer_section
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from . import selectors, todo  # noqa: F401  (todo registers the app's to-do items)
        from .models import Achievement, AchievementPhoto, MentoringPair, Studio, StudioMember

        audit_register(Studio, exclude=("created_by",))
        audit_register(StudioMember)
        audit_register(Achievement, exclude=("created_by",))
        # A removed photo leaves an entry saying who removed it, from which achievement.
        audit_register(AchievementPhoto)
        audit_register(MentoringPair, exclude=("created_by",))

        view = "studios.view_studio"
        view_pair = "studios.view_mentoringpair"
        edit = [
            view,
            "studios.add_studio",
            "studios.change_studio",
            view_pair,
            "studios.add_mentoringpair",
            "studios.change_mentoringpair",
        ]
        register_permissions(Role.COUNTY_ADMIN, *edit)
        register_permissions(Role.STAFF, *edit)
        # A chair records their own employer's studios and pairs; the scope keeps them there.
        register_permissions(Role.GRASSROOTS_CHAIR, *edit)
        register_permissions(Role.LEADER, view, view_pair)

        area = _("Excellence")
        register(
            NavItem(area, _("Innovation studios"), "studios:list", view, 130),
            NavItem(area, _("Showcase of achievements"), "studios:showcase", view, 131),
            NavItem(area, _("Mentoring pairs"), "studios:pair-list", view_pair, 132),
            NavItem(area, _("Mentoring outcomes"), "studios:outcomes", view_pair, 133),
        )
        register_employer_section(
            label=_("Innovation studios"),
            template="studios/_employer_section.html",
            context_func=selectors.employer_section,
            permission=view,
            order=40,
        )
        register_section(
            label=_("Studios and mentoring"),
            template="studios/_person_section.html",
            context_func=selectors.person_section,
            permission=view,
            order=60,
        )
        register_service(_("Innovation showcase"), "portal-studios:showcase", 60)
