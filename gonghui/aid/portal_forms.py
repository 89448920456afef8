"""The worker's aid application form in the portal: the facts the programme asks for
(the same fields as the console's, ``forms.FactsForm``), and a consent box for each
notice the worker has not agreed to yet. It validates; the services decide."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import BANK_ACCOUNT, FactsForm
from .vocabularies import Fact

#: The most photos sent with one form: a slow phone connection carries no more.
MAX_PHOTOS = 6
#: Fields every worker's application carries, whatever the programme.
ALWAYS = ("amount_requested", "reason", "bank_name", "bank_account")
#: The console's help texts speak to staff ("the worker's consent"): not shown here.
STAFF_HELP = ("diagnosis_category", "per_capita_income", "bank_account")


def consent_field_name(notice) -> str:
    return f"consent_{notice.kind}"


class ApplyForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, programme, notices, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices = list(notices)
        for notice in self.notices:
            self.fields[consent_field_name(notice)] = forms.BooleanField(
                label=_("I have read this and agree"), required=False
            )
        facts = [f for f in programme.required_facts or [] if f != Fact.BANK_ACCOUNT]
        if programme.income_threshold is not None and Fact.PER_CAPITA_INCOME not in facts:
            facts.append(Fact.PER_CAPITA_INCOME)
        for name in [*facts, *ALWAYS]:
            field = copy.deepcopy(FactsForm.base_fields[name])
            if name in STAFF_HELP:
                field.help_text = ""
            self.fields[name] = field
            if name in facts:
                field.required = True
        self.fields["bank_name"].required = True
        self.fields["bank_account"].required = True
        self.fields["bank_account"].help_text = _(
            "The aid is paid into this account: 8 to 30 digits."
        )
        self.fields["bank_account"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off"}
        )
        self.fields["amount_requested"].widget.attrs.update({"inputmode": "decimal"})
        if "total_cost" in self.fields:
            self.fields["total_cost"].widget.attrs.update({"inputmode": "decimal"})
            self.fields["insurance_reimbursement"].widget.attrs.update({"inputmode": "decimal"})

    def consent_rows(self):
        """Each notice with its box, in the order the page shows them."""
        return [(notice, self[consent_field_name(notice)]) for notice in self.notices]

    def fact_fields(self):
        return [
            self[name] for name in self.fields if name != "key" and not name.startswith("consent_")
        ]

    def clean_bank_account(self):
        account = self.cleaned_data["bank_account"].replace(" ", "")
        if not BANK_ACCOUNT.match(account):
            raise forms.ValidationError(_("A bank account number is 8 to 30 digits."))
        return account

    def clean(self):
        data = super().clean()
        refused = [n for n in self.notices if not data.get(consent_field_name(n))]
        if refused:
            # PIPL 第二十九条: health and income facts only with the worker's separate
            # consent; without it the application is not sent and nothing is kept.
            raise forms.ValidationError(
                _(
                    "Without your consent the union cannot review the facts this programme "
                    "needs, so your application was not sent. Tick each box above to agree."
                ),
                code="no_consent",
            )
        return data

    def facts(self) -> dict:
        """The service's keyword arguments for the facts and the money."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "key" and not name.startswith("consent_")
        }

    def consents(self):
        return [n for n in self.notices if self.cleaned_data.get(consent_field_name(n))]
