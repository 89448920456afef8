from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def organisation_stations(organisation, user) -> dict:
    """The stations run in the organisation's subtree and their visits last month."""
    from django.utils import timezone

    from .models import Station
    from .selectors import visits_last_month

    stations = Station.objects.for_user(user).in_subtree(organisation)
    shown = list(stations.order_by("-active", "name", "pk")[:10])
    return {
        "stations": shown,
        "station_count": stations.count(),
        "visits_last_month": visits_last_month(stations, today=timezone.localdate()),
    }


class StationsConfig(AppConfig):
    name = "gonghui.stations"
    verbose_name = _("Rest stations")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_organisation_section
        from gonghui.portal.tabs import register_service

        from .models import Station, StationVisit

        audit_register(Station, exclude=("created_by",))
        audit_register(StationVisit)

        view = "stations.view_station"
        manage = [view, "stations.add_station", "stations.change_station"]
        # County admins, staff and chairs run stations in their own subtree (the scope
        # rule); leaders read.
        register_permissions(Role.COUNTY_ADMIN, *manage)
        register_permissions(Role.STAFF, *manage)
        register_permissions(Role.GRASSROOTS_CHAIR, *manage)
        register_permissions(Role.LEADER, view)

        register(
            NavItem(_("Union life"), _("Rest stations"), "stations:list", view, 80),
            NavItem(_("Union life"), _("Rest station visits"), "stations:use", view, 81),
        )
        register_organisation_section(
            label=_("Rest stations"),
            template="stations/_organisation_section.html",
            context_func=organisation_stations,
            permission=view,
            order=80,
        )
        register_service(_("Rest stations"), "portal-stations:list", 66)
