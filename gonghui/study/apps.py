from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "gonghui.study"
    verbose_name = _("Study online")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.coverage import life
        from gonghui.orgs.sections import register_organisation_section
        from gonghui.portal.tabs import register_service

        from .models import Article

        # The body is long and its history is the article's own page; the fields
        # that decide who reads what, and when, are kept.
        audit_register(Article, exclude=("body", "author"))

        view = "study.view_article"
        edit = [view, "study.add_article", "study.change_article"]
        activity = "study.view_reading"
        register_permissions(Role.COUNTY_ADMIN, *edit, activity)
        register_permissions(Role.STAFF, *edit, activity)
        # A chair publishes for their own union; the scope rule keeps them there.
        register_permissions(Role.GRASSROOTS_CHAIR, *edit, activity)
        register_permissions(Role.LEADER, view, activity)

        register(
            NavItem(_("Union life"), _("Study articles"), "study:list", view, 65),
            NavItem(_("Union life"), _("Reading activity"), "study:activity", activity, 66),
        )
        register_service(_("Study online"), "portal-study:list", 70)
        register_organisation_section(
            label=_("Study online"),
            template="study/_organisation_section.html",
            context_func=life.study_section,
            permission=view,
            order=65,
        )
