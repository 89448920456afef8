from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "gonghui.congress"
    verbose_name = _("Workers' congress and open affairs")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.orgs.sections import register_employer_section
        from gonghui.people.profile import register_section

        from . import selectors
        from .models import CongressSession, Delegate, Disclosure, Proposal, Resolution

        audit_register(CongressSession, exclude=("created_by",))
        audit_register(Delegate)
        audit_register(Proposal)
        audit_register(Resolution, exclude=("created_by",))
        audit_register(Disclosure, exclude=("created_by",))

        view = "congress.view_congresssession"
        # The union's chair organises the congress of the employer it covers; the
        # township and the county keep the record too. The scope rule decides where.
        for role in (Role.COUNTY_ADMIN, Role.STAFF, Role.GRASSROOTS_CHAIR):
            register_permissions(role, view, "congress.manage_congress")
        register_permissions(Role.LEADER, view)

        area = _("Rights")
        register(
            NavItem(area, _("Workers' congresses"), "congress:overview", view, 86),
            NavItem(area, _("Open factory affairs"), "congress:disclosure-list", view, 87),
        )
        register_section(
            label=_("Workers' congress"),
            template="congress/_person_section.html",
            context_func=lambda person, user: {
                "delegacies": selectors.delegacies_for_person(user, person)
            },
            permission=view,
            order=85,
        )
        register_employer_section(
            label=_("Workers' congress"),
            template="congress/_employer_section.html",
            context_func=lambda employer, user: selectors.employer_section(employer, user),
            permission=view,
            order=30,
        )
