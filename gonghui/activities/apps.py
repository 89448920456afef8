from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "gonghui.activities"
    verbose_name = _("Cultural and sports activities")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.coverage import life
        from gonghui.orgs.sections import register_organisation_section
        from gonghui.portal.tabs import register_service

        from .models import Activity, SignUp

        audit_register(Activity, exclude=("created_by", "signed_up_count"))
        audit_register(SignUp)

        view = "activities.view_activity"
        organise = [view, "activities.add_activity", "activities.change_activity"]
        # County admins, staff and chairs organise in their own subtree (the scope rule);
        # leaders read.
        register_permissions(Role.COUNTY_ADMIN, *organise)
        register_permissions(Role.STAFF, *organise)
        register_permissions(Role.GRASSROOTS_CHAIR, *organise)
        register_permissions(Role.LEADER, view)

        register(
            NavItem(_("Union life"), _("Activities"), "activities:list", view, 70),
            NavItem(_("Union life"), _("Activity attendance"), "activities:attendance", view, 71),
        )
        register_service(_("Activities"), "portal-activities:list", 62)
        register_organisation_section(
            label=_("Activities"),
            template="activities/_organisation_section.html",
            context_func=life.activities_section,
            permission=view,
            order=70,
        )
