from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "gonghui.people"
    verbose_name = _("People and membership")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register

        from .models import FileTransfer, JoinApplication, Membership, MembershipRequest, Person
        from .roster import tasks  # noqa: F401  (registers the roster job handlers)

        # Ciphertexts and hashes change on every key rotation and say nothing to
        # a reader; the derived columns show that an ID number was changed.
        audit_register(
            Person,
            exclude=(
                "id_number_encrypted",
                "id_hash",
                "id_suffix_hash",
                "phone_encrypted",
                "phone_hash",
                "phone_suffix_hash",
            ),
        )
        audit_register(Membership, exclude=("transferred_to", "application"))
        audit_register(JoinApplication, exclude=("file_transfer",))
        audit_register(FileTransfer)
        audit_register(MembershipRequest)

        view = [
            "people.view_person",
            "people.view_membership",
            "people.view_joinapplication",
            "people.view_filetransfer",
        ]
        edit = [
            "people.add_person",
            "people.change_person",
            "people.change_membership",
            "people.add_joinapplication",
            "people.decide_joinapplication",
            # A file kept elsewhere comes over only when its keeper confirms.
            "people.add_filetransfer",
            "people.decide_filetransfer",
        ]
        reveal = ["people.reveal_sensitive"]
        register_permissions(Role.COUNTY_ADMIN, *view, *edit, *reveal, "people.view_reveallog")
        register_permissions(Role.STAFF, *view, *edit, *reveal)
        # Chairs keep their own members' files; revealing full numbers is left to
        # federation staff (PIPL: the fewest people who need it).
        register_permissions(Role.GRASSROOTS_CHAIR, *view, *edit)
        register_permissions(Role.LEADER, *view)

        register(
            NavItem(_("Members"), _("People"), "people:person-list", "people.view_person", 30),
            NavItem(
                _("Members"),
                _("Join applications"),
                "people:application-list",
                "people.view_joinapplication",
                31,
            ),
            NavItem(
                _("Members"),
                _("File transfer requests"),
                "people:file-transfer-list",
                "people.view_filetransfer",
                32,
            ),
            NavItem(
                _("Members"),
                _("Transfer and leaving requests"),
                "membership-requests:list",
                "people.view_membership",
                36,
            ),
            NavItem(
                _("Members"), _("Reveal log"), "people:reveal-log", "people.view_reveallog", 39
            ),
            NavItem(
                _("Members"), _("Import a roster"), "people:roster:import", "people.add_person", 33
            ),
            NavItem(
                _("Members"),
                _("Export the roster"),
                "people:roster:export",
                "people.view_person",
                34,
            ),
        )
        from . import todo  # noqa: F401  (registers the app's to-do items)
