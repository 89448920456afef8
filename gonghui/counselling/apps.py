from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "gonghui.counselling"
    verbose_name = _("Counselling")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from . import selectors, todo  # noqa: F401  (todo registers the app's to-do items)
        from .models import Booking, CounsellingSlot

        # SessionNote is left out of the audit trail on purpose: its history
        # would be readable by auditors, and only its author may read a note.
        audit_register(CounsellingSlot)
        audit_register(Booking)

        staff = [
            "counselling.view_booking",
            "counselling.add_booking",
            "counselling.change_booking",
        ]
        register_permissions(Role.COUNTY_ADMIN, *staff, "counselling.change_counsellingslot")
        register_permissions(Role.STAFF, *staff)
        # A chair books counselling for the members of their union and cancels what
        # they booked; the scope rule keeps them to their union's workers.
        register_permissions(Role.GRASSROOTS_CHAIR, *staff)
        register_permissions(Role.COUNSELLOR, "counselling.add_counsellingslot")

        register(
            NavItem(
                _("Counselling"),
                _("Bookings"),
                "counselling:booking-list",
                "counselling.view_booking",
                70,
            ),
            NavItem(
                _("Counselling"),
                _("Free slots"),
                "counselling:slot-list",
                "counselling.add_booking",
                71,
            ),
            NavItem(
                _("Counselling"),
                _("My calendar"),
                "counselling:my-calendar",
                "counselling.add_counsellingslot",
                72,
            ),
        )
        register_section(
            label=_("Counselling"),
            template="counselling/_person_section.html",
            context_func=lambda person, user: {
                "bookings": selectors.bookings_for_person(user, person)
            },
            permission="counselling.view_booking",
            order=70,
        )
        register_service(_("Counselling"), "portal-counselling:slots", 20)
