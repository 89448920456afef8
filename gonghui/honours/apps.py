from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "gonghui.honours"
    verbose_name = _("Titles, commendations and care for model workers")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_employer_section
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from .models import (
            Activity,
            CareGiven,
            CareRule,
            HolderCondition,
            Nomination,
            NoticeSettings,
            Story,
            Title,
            TitleHolding,
        )
        from .views import employer_section_context, person_section_context

        for model in (Title, TitleHolding, Nomination, CareRule, CareGiven, Story, Activity):
            audit_register(model)
        audit_register(HolderCondition)
        audit_register(NoticeSettings)

        view = ["honours.view_titleholding", "honours.view_nomination", "honours.view_carerule"]
        read_more = ["honours.view_story", "honours.view_activity"]
        work = [
            "honours.nominate",
            "honours.manage_care",
            "honours.add_story",
            "honours.change_story",
            "honours.add_activity",
        ]
        staff = [
            "honours.review_nomination",
            "honours.add_titleholding",
            "honours.view_sensitive_care",
        ]
        register_permissions(
            Role.COUNTY_ADMIN, *view, *read_more, *work, *staff, "honours.configure_honours"
        )
        register_permissions(Role.STAFF, *view, *read_more, *work, *staff)
        # Chairs nominate their members and look after the model workers of their union;
        # illness stays with federation staff (PIPL: the fewest people who need it).
        register_permissions(Role.GRASSROOTS_CHAIR, *view, *read_more, *work)
        register_permissions(Role.LEADER, *view, *read_more)

        area = _("Excellence")
        register(
            NavItem(area, _("Titles held"), "honours:holding-list", view[0], 140),
            NavItem(area, _("Nominations"), "honours:nomination-list", view[1], 141),
            NavItem(area, _("Care for model workers"), "honours:care-list", view[2], 142),
            NavItem(area, _("Stories of model workers"), "honours:story-list", read_more[0], 143),
            NavItem(
                area, _("Activities of model workers"), "honours:activity-list", read_more[1], 144
            ),
            NavItem(area, _("Care rules"), "honours:rule-list", view[2], 145),
            NavItem(area, _("Titles"), "honours:title-list", "honours.configure_honours", 146),
        )
        register_section(
            label=_("Titles and commendations"),
            template="honours/_person_section.html",
            context_func=person_section_context,
            permission=view[0],
            order=60,
        )
        register_employer_section(
            label=_("Titles and commendations"),
            template="honours/_employer_section.html",
            context_func=employer_section_context,
            permission=view[0],
            order=60,
        )
        register_service(_("Model workers"), "portal-honours:stories", 80)
        from . import todo  # noqa: F401  (registers the app's to-do items)
