from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "gonghui.outreach"
    verbose_name = _("Outreach")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from .models import Delivery, Visit, Wish
        from .profile import person_outreach

        audit_register(Delivery, exclude=("created_by",))
        audit_register(Visit, exclude=("created_by",))
        # The photo path is a random name and says nothing to a reader.
        audit_register(Wish, exclude=("photo", "photo_type"))

        view = ["outreach.view_delivery", "outreach.view_visit", "outreach.view_wish"]
        edit = [
            "outreach.add_delivery",
            "outreach.change_delivery",
            "outreach.add_visit",
            "outreach.change_visit",
            "outreach.add_wish",
            "outreach.change_wish",
            "outreach.handle_wish",
        ]
        for role in (Role.COUNTY_ADMIN, Role.STAFF, Role.GRASSROOTS_CHAIR):
            register_permissions(role, *view, *edit)
        register_permissions(Role.LEADER, *view)

        area = _("Outreach")
        register(
            NavItem(
                area,
                _("Cooling deliveries"),
                "outreach:delivery-list",
                "outreach.view_delivery",
                60,
            ),
            NavItem(
                area,
                _("Deliveries per organisation"),
                "outreach:delivery-summary",
                "outreach.view_delivery",
                61,
            ),
            NavItem(area, _("Visits"), "outreach:visit-list", "outreach.view_visit", 62),
            NavItem(area, _("Micro-wishes"), "outreach:wish-list", "outreach.view_wish", 63),
            NavItem(area, _("Practical things done"), "outreach:ledger", "outreach.view_wish", 64),
        )
        # The worker's own micro-wishes in the portal (``portal_urls``).
        register_service(_("Micro-wishes"), "portal-wishes:mine", 40)
        register_section(
            label=_("Visits and micro-wishes"),
            template="outreach/_person_section.html",
            context_func=person_outreach,
            permission="outreach.view_visit",
            order=50,
        )
