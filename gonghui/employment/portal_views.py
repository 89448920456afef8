"""Spring jobs in the worker portal (``/m/jobs/``): the open postings of the worker's
county (their own township's first), one posting with its "Apply" button, and the
worker's own applications. Thin, over ``services``.

A posting is an advert the employer wants every worker of the county to read, so the
board is not a worker's own record; what the worker did with it (an application) is,
and is read through ``mine()`` only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView

from gonghui.orgs.models import Organisation
from gonghui.portal import auth
from gonghui.portal.drafts import draft_clear
from gonghui.portal.formkeys import KeyedFormMixin
from gonghui.portal.mine import mine

from . import services
from .models import JobApplication, JobPosting

#: The apply form's purpose for its key against a double tap (``portal.formkeys``).
APPLY_FORM = "job-apply"
#: What a worker may add to an application: a line for the employer, not a CV.
COMMENT_MAX = 200


# --- Which postings a worker reads ---------------------------------------------------------


def _township_of(person) -> Organisation | None:
    """The township of the worker's employer, or the one keeping the file."""
    if person.employer_id is not None:
        return person.employer.township
    return person.file_org


def board(account):
    """The open postings of the worker's county, the worker's own township first.

    Nothing for an account not bound to a file: the county is the file's.
    """
    person = account.person if account is not None else None
    township = _township_of(person) if person is not None else None
    if township is None:
        return JobPosting.objects.none()
    county_path = Organisation.objects.get(pk=township.ancestor_ids()[0]).path
    return (
        JobPosting.objects.open()
        .filter(employer__township__path__startswith=county_path)
        .select_related("employer", "employer__township")
        .annotate(
            nearby=Case(
                When(employer__township=township, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("nearby", "-campaign_year", "-created_at", "-pk")
    )


def _applications(account):
    return mine(account, JobApplication.objects.select_related("posting", "posting__employer"))


# --- Pages --------------------------------------------------------------------------------


class PostingListView(auth.WorkerRequiredMixin, ListView):
    template_name = "employment/portal/list.html"
    context_object_name = "postings"
    paginate_by = 20

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:50]
        postings = board(self.account)
        if self.query:
            postings = postings.filter(title__icontains=self.query)
        return postings

    def get_context_data(self, **kwargs):
        person = self.account.person
        return super().get_context_data(
            title=_("Spring jobs"),
            person=person,
            township=_township_of(person) if person is not None else None,
            query=self.query,
            **kwargs,
        )


class ApplyForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("A word to the employer (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example, when you can start or your experience."),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)


class PostingDetailView(auth.WorkerRequiredMixin, KeyedFormMixin, FormView):
    """An open posting of the worker's county, and its one-tap application.

    The form carries an idempotency key, so that posting it twice (a double tap)
    lands on the one application it made.
    """

    template_name = "employment/portal/detail.html"
    form_class = ApplyForm
    form_purpose = APPLY_FORM

    def dispatch(self, request, *args, **kwargs):
        self.account = auth.worker_of(request)
        self.posting = None
        if self.account is not None:
            self.posting = board(self.account).filter(pk=kwargs["pk"]).first()
            if self.posting is None and self.account.person is not None:
                raise Http404(_("This job is closed or not offered here."))
        return super().dispatch(request, *args, **kwargs)

    def applied(self):
        return _applications(self.account).filter(posting=self.posting).first()

    def get_form(self, form_class=None):
        # No form for a worker without a file, nor once they have applied.
        if self.account.person is None or self.applied() is not None:
            return None
        return super().get_form(form_class)

    def post(self, request, *args, **kwargs):
        if self.account.person is None:
            return self.render_to_response(self.get_context_data(form=None))
        self.issued_at = self.form_key_issued_at()
        # A form sent again (a double tap) lands where its first sending did.
        if self.issued_at is not None and self._sent_since(self.issued_at):
            return self._done()
        if self.applied() is not None:
            messages.error(request, _("You have already applied for this job."))
            return self.render_to_response(self.get_context_data(form=None))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if self.issued_at is None:
            form.add_error(None, _("This form was out of date. Check it and send it again."))
            return self.form_invalid(form)
        try:
            services.job_application_portal_apply(
                person=self.account.person,
                posting=self.posting,
                comment=form.cleaned_data["comment"],
                issued_at=self.issued_at,
            )
        except ValidationError as exc:
            # A second tap that raced the first finds its application now.
            if self._sent_since(self.issued_at):
                return self._done()
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        return self._done()

    def _sent_since(self, issued_at) -> bool:
        return (
            _applications(self.account)
            .filter(posting=self.posting, created_by=None, applied_at__gte=issued_at)
            .exists()
        )

    def draft_key(self) -> str:
        return f"job-{self.posting.pk}" if self.posting else "job"

    def _done(self):
        draft_clear(self.account, self.draft_key())
        messages.success(
            self.request,
            _(
                "Your application for %(title)s is sent to %(employer)s. You will get a "
                "message here when it moves on."
            )
            % {"title": self.posting.title, "employer": self.posting.employer.name},
        )
        return redirect("portal-jobs:mine")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.posting.title if self.posting else _("Spring jobs"),
            posting=self.posting,
            application=self.applied() if self.posting else None,
            draft_key=self.draft_key(),
            **kwargs,
        )


class ApplicationListView(auth.WorkerRequiredMixin, ListView):
    """The worker's own applications and where each stands."""

    template_name = "employment/portal/mine.html"
    context_object_name = "applications"
    paginate_by = 20

    def get_queryset(self):
        return _applications(self.account).order_by("-applied_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("My job applications"), **kwargs)
