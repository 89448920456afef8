from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "gonghui.library"
    verbose_name = _("Workers' reading rooms")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.coverage import life
        from gonghui.orgs.sections import register_organisation_section
        from gonghui.portal.tabs import register_service

        from . import todo  # noqa: F401  (registers the overdue loans on the home page)
        from .models import Book, Loan, ReadingRoom

        audit_register(ReadingRoom)
        audit_register(Book)
        audit_register(Loan, exclude=("lent_by", "returned_to"))

        read = ["library.view_readingroom", "library.view_book", "library.view_loan"]
        manage = [
            *read,
            "library.add_readingroom",
            "library.change_readingroom",
            "library.add_book",
            "library.change_book",
            "library.add_loan",
            "library.change_loan",
        ]
        for role in (Role.COUNTY_ADMIN, Role.STAFF, Role.GRASSROOTS_CHAIR):
            register_permissions(role, *manage)
        register_permissions(Role.LEADER, *read)

        register(
            NavItem(_("Union life"), _("Reading rooms"), "library:room-list", read[0], 60),
            NavItem(_("Union life"), _("Book catalogue"), "library:book-list", read[1], 61),
            NavItem(_("Union life"), _("Book loans"), "library:loan-list", read[2], 62),
        )
        register_service(_("Reading rooms"), "portal-library:home", 60)
        register_organisation_section(
            label=_("Reading rooms"),
            template="library/_organisation_section.html",
            context_func=life.library_section,
            permission=read[0],
            order=60,
        )
