from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "gonghui.contracts"
    verbose_name = _("Collective contracts")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_employer_section

        from . import selectors, todo  # noqa: F401  (todo registers the app's to-do items)
        from .models import CollectiveContract

        # The stored file's path is a random name and says nothing to a reader.
        audit_register(CollectiveContract, exclude=("text", "created_by"))

        view = "contracts.view_collectivecontract"
        edit = [view, "contracts.add_collectivecontract", "contracts.change_collectivecontract"]
        register_permissions(Role.COUNTY_ADMIN, *edit)
        register_permissions(Role.STAFF, *edit)
        # A chair records their own employer's contract; the scope rule keeps them there.
        register_permissions(Role.GRASSROOTS_CHAIR, *edit)
        register_permissions(Role.LEADER, view)

        register(
            NavItem(_("Rights"), _("Collective contracts"), "contracts:list", view, 82),
            NavItem(_("Rights"), _("Contract coverage"), "contracts:coverage", view, 83),
        )
        register_employer_section(
            label=_("Collective contracts"),
            template="contracts/_employer_section.html",
            context_func=lambda employer, user: {
                "contracts": selectors.contracts_for_employer(user, employer)
            },
            permission=view,
            order=20,
        )
