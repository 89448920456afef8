from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedyConfig(AppConfig):
    name = "gonghui.needy"
    verbose_name = _("Needy-worker files")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section

        from .models import FileCause, HouseholdMember, NeedyFile, ReviewRecord, Threshold
        from .views import person_section_context

        audit_register(NeedyFile)
        # The ciphertext and its hash change on every key rotation and say nothing.
        audit_register(HouseholdMember, exclude=("id_number_encrypted", "id_hash"))
        audit_register(FileCause)
        audit_register(ReviewRecord)
        audit_register(Threshold)

        view = ["needy.view_needyfile"]
        enter = ["needy.add_needyfile", "needy.change_needyfile"]
        establish = ["needy.establish_needyfile", "needy.exit_needyfile"]
        sensitive = ["needy.view_sensitive_needyfile"]
        thresholds = ["needy.view_threshold", "needy.add_threshold", "needy.change_threshold"]
        register_permissions(Role.COUNTY_ADMIN, *view, *enter, *establish, *sensitive, *thresholds)
        register_permissions(Role.STAFF, *view, *enter, *establish, *sensitive, *thresholds)
        # Chairs apply or refer for their members and record home visits; income
        # and health details, the notice and the filing stay with federation
        # staff (PIPL: the fewest people who need them).
        register_permissions(Role.GRASSROOTS_CHAIR, *view, *enter)
        register_permissions(Role.LEADER, *view)

        register(
            NavItem(_("Care"), _("Needy-worker files"), "needy:file-list", view[0], 50),
            NavItem(_("Care"), _("Public notice"), "needy:notice-list", view[0], 51),
            NavItem(
                _("Care"),
                _("Income thresholds"),
                "needy:threshold-list",
                "needy.view_threshold",
                52,
            ),
        )
        register_section(
            label=_("Needy-worker file"),
            template="needy/_person_section.html",
            context_func=person_section_context,
            permission="needy.view_needyfile",
            order=15,
        )
        from . import todo  # noqa: F401  (registers the app's to-do items)
