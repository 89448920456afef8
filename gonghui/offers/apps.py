from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "gonghui.offers"
    verbose_name = _("Member offers")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_organisation_section
        from gonghui.portal.tabs import register_service

        from . import selectors
        from .models import Claim, Offer

        # The PIN's hash and its failure count are not history anyone should read.
        audit_register(
            Offer,
            exclude=("created_by", "claimed_count", "pin_hash", "pin_failures", "pin_locked_until"),
        )
        audit_register(Claim, exclude=("code",))

        view = "offers.view_offer"
        publish = [view, "offers.add_offer", "offers.change_offer"]
        # County admins and township staff publish in their own subtree (the scope
        # rule); chairs and leaders read.
        register_permissions(Role.COUNTY_ADMIN, *publish)
        register_permissions(Role.STAFF, *publish)
        register_permissions(Role.GRASSROOTS_CHAIR, view)
        register_permissions(Role.LEADER, view)

        register(NavItem(_("Union life"), _("Member offers"), "offers:list", view, 72))
        register_service(_("Member offers"), "portal-offers:list", 63)
        register_organisation_section(
            label=_("Member offers"),
            template="offers/_organisation_section.html",
            context_func=lambda organisation, user: {
                "offers": selectors.subtree_counts(user, organisation)
            },
            permission=view,
            order=72,
        )
