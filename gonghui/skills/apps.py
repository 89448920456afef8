from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "gonghui.skills"
    verbose_name = _("Vocational skill levels")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from . import selectors
        from .models import SkillRecord

        audit_register(SkillRecord, exclude=("is_highest", "entered_by"))

        view = "skills.view_skillrecord"
        edit = [view, "skills.add_skillrecord", "skills.change_skillrecord"]
        remove = "skills.delete_skillrecord"
        register_permissions(Role.COUNTY_ADMIN, *edit, remove)
        register_permissions(Role.STAFF, *edit, remove)
        # A chair records the certificates of the workers at their employer; the
        # scope rule keeps them there.
        register_permissions(Role.GRASSROOTS_CHAIR, *edit, remove)
        register_permissions(Role.LEADER, view)

        area = _("Excellence")
        register(
            NavItem(area, _("Skilled workers"), "skills:counts", view, 96),
            NavItem(area, _("Skill records"), "skills:list", view, 97),
        )
        register_section(
            label=_("Vocational skill levels"),
            template="skills/_person_section.html",
            context_func=lambda person, user: {
                "skill_records": selectors.records_for_person(user, person),
                "can_add": user.has_perm("skills.add_skillrecord"),
                "can_change": user.has_perm("skills.change_skillrecord"),
                "can_remove": user.has_perm(remove),
            },
            permission=view,
            order=70,
        )
        register_service(_("My skills"), "portal-skills:mine", 60)
