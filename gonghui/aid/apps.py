from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "gonghui.aid"
    verbose_name = _("Aid")

    def ready(self):
        from gonghui.accounts.models import Role
        from gonghui.accounts.roles import register_permissions
        from gonghui.core.audit import audit_register
        from gonghui.core.navigation import NavItem, register
        from gonghui.people.profile import register_section
        from gonghui.portal.tabs import register_service

        from .models import AidApplication, Campaign, Fund, Programme
        from .notices import ensure_first_notices
        from .selectors import person_aid_context

        post_migrate.connect(
            ensure_first_notices, sender=self, dispatch_uid="gonghui.aid.first_notices"
        )
        register_service(_("Aid"), "portal-aid:list", 10)

        audit_register(Programme)
        audit_register(Campaign)
        audit_register(Fund)
        # Health, income and account facts stay out of the history, which more
        # people read than the application itself (PIPL: the fewest who need it).
        audit_register(
            AidApplication,
            exclude=(
                "diagnosis_category",
                "total_cost",
                "insurance_reimbursement",
                "per_capita_income",
                "bank_account_encrypted",
                "bank_account_hash",
                "slot",
            ),
        )

        view = [
            "aid.view_programme",
            "aid.view_campaign",
            "aid.view_fund",
            "aid.view_aidapplication",
            "aid.view_payment",
        ]
        enter = [
            "aid.add_evidence",
            "aid.view_evidence",
            "aid.add_aidapplication",
            "aid.change_aidapplication",
            "aid.delete_aidapplication",
            "aid.add_consent",
            "aid.view_consent",
            "aid.view_privacynotice",
        ]
        decide = ["aid.approve_aidapplication"]
        pay = ["aid.pay_aidapplication"]
        manage = [
            "aid.add_programme",
            "aid.change_programme",
            "aid.add_campaign",
            "aid.change_campaign",
            "aid.add_fund",
            "aid.change_fund",
            "aid.add_staffperson",
            "aid.add_privacynotice",
        ]
        reports = ["aid.view_aid_reports"]
        register_permissions(Role.COUNTY_ADMIN, *view, *enter, *decide, *pay, *manage, *reports)
        register_permissions(Role.STAFF, *view, *enter, *decide, *pay, *reports)
        register_permissions(Role.GRASSROOTS_CHAIR, *view, *enter, *decide)
        register_permissions(Role.LEADER, *view, *reports)

        register(
            NavItem(
                _("Aid"),
                _("Aid applications"),
                "aid:application-list",
                "aid.view_aidapplication",
                50,
            ),
            NavItem(_("Aid"), _("Campaigns"), "aid:campaign-list", "aid.view_campaign", 51),
            NavItem(_("Aid"), _("Programmes"), "aid:programme-list", "aid.view_programme", 52),
            NavItem(
                _("Aid"), _("Privacy notices"), "aid:notice-list", "aid.view_privacynotice", 57
            ),
            NavItem(_("Aid"), _("Payment list"), "aid:payment-list", "aid.pay_aidapplication", 53),
            NavItem(_("Aid"), _("Duplicates"), "aid:duplicates", "aid.view_aid_reports", 54),
            NavItem(_("Aid"), _("Missed needy workers"), "aid:missed", "aid.view_aid_reports", 55),
            NavItem(
                _("Aid"),
                _("Staff members' person records"),
                "aid:staff-person-list",
                "aid.add_staffperson",
                56,
            ),
        )
        register_section(
            label=_("Aid"),
            template="aid/_person_section.html",
            context_func=person_aid_context,
            permission="aid.view_aidapplication",
            order=20,
        )
        from . import todo  # noqa: F401  (registers the app's to-do items)
