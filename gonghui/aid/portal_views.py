"""Aid in the worker portal (``/m/aid/``): the programmes open to the worker, applying
with photos of evidence and separate consent, and following the application to its
payment. Thin, over ``services`` and ``evidence``; every read of the worker's
applications goes through ``mine``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from gonghui.portal import auth
from gonghui.portal.formkeys import KeyedFormMixin
from gonghui.portal.mine import mine

from . import evidence, services
from .models import AidApplication
from .portal_forms import MAX_PHOTOS, ApplyForm
from .vocabularies import AidStatus, Fact, StepAction

#: The apply form's purpose for its key against a double tap (``portal.formkeys``).
APPLY_FORM = "aid"
#: The statuses in which photos can still be added (``evidence._store``).
UNDECIDED = (AidStatus.DRAFT, AidStatus.RETURNED, AidStatus.SUBMITTED)


def _my_applications(account):
    return mine(
        account,
        AidApplication.objects.select_related("programme", "campaign", "current_level"),
    )


def _photos(request) -> list:
    return request.FILES.getlist("photos")[:MAX_PHOTOS]


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AidListView(auth.WorkerRequiredMixin, TemplateView):
    """The campaigns open to the worker now, and their own applications below."""

    template_name = "aid/portal/list.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        campaigns = (
            list(services.campaigns_open_to(person).order_by("ends_on", "pk"))
            if person is not None
            else []
        )
        for campaign in campaigns:
            campaign.asks = _asks(campaign.programme)
        applications = list(_my_applications(self.account).order_by("-created_at", "-pk"))
        return super().get_context_data(
            title=_("Aid"),
            person=person,
            campaigns=campaigns,
            applications=applications,
            **kwargs,
        )


def _asks(programme) -> list[str]:
    """What the programme asks for, in words."""
    return [str(Fact(f).label) for f in programme.required_facts or [] if f in Fact.values]


class ApplyView(auth.WorkerRequiredMixin, KeyedFormMixin, FormView):
    """Apply under one campaign open to the worker: consent first where the programme
    needs health or income facts, then the facts, the amount, the account and photos.
    Made and submitted at once; sent twice (a double tap), it is one application."""

    template_name = "aid/portal/apply.html"
    form_purpose = APPLY_FORM
    form_class = ApplyForm

    def dispatch(self, request, *args, **kwargs):
        self.account = auth.worker_of(request)
        self.campaign = None
        if self.account is not None and self.account.person is not None:
            self.campaign = get_object_or_404(
                services.campaigns_open_to(self.account.person), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.campaign is None:
            return self.render_to_response(self.get_context_data(form=None))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.campaign is None:
            return self.render_to_response(self.get_context_data(form=None))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "programme": self.campaign.programme,
            "notices": services.notices_to_consent(self.campaign.programme, self.account.person),
        }

    def form_valid(self, form):
        issued_at = self.form_key_issued_at()
        if issued_at is None:
            form.add_error(None, _("This form was out of date. Check it and send it again."))
            return self.form_invalid(form)
        photos = _photos(self.request)
        try:
            application = services.aid_application_apply_by_worker(
                person=self.account.person,
                campaign=self.campaign,
                consents=form.consents(),
                photos=photos,
                issued_at=issued_at,
                **form.facts(),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
            return self.form_invalid(form)
        return redirect("portal-aid:detail", pk=application.pk)

    def form_invalid(self, form):
        # (A fresh key comes with the form: KeyedFormMixin.) A double tap's second
        # sending lands here only if the first was refused too.
        if _photos(self.request):
            form.add_error(
                None, _("Choose your photos again: a page shown again cannot keep them.")
            )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Apply for aid"),
            campaign=self.campaign,
            max_photos=MAX_PHOTOS,
            **kwargs,
        )


class ApplicationDetailView(auth.WorkerRequiredMixin, TemplateView):
    """One of the worker's applications: where it stands, every step, the evidence and
    the payment; photos may be added while it is undecided. Another worker's
    application does not exist here (404)."""

    template_name = "aid/portal/detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.account = auth.worker_of(request)
        if self.account is not None:
            self.application = get_object_or_404(_my_applications(self.account), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        photos = _photos(request)
        if not photos:
            return self.render_to_response(
                self.get_context_data(photo_error=_("Choose or take a photo first."))
            )
        try:
            for photo in photos:
                evidence.evidence_add_by_worker(
                    person=self.account.person, application=self.application, upload=photo
                )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            self.application.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(photo_error=" ".join(exc.messages))
            )
        messages.success(request, _("Your photos were added. Your union will see them."))
        return redirect("portal-aid:detail", pk=self.application.pk)

    def get_context_data(self, **kwargs):
        application = self.application
        steps = list(application.steps.select_related("level").order_by("at", "pk"))
        returned = next((s for s in reversed(steps) if s.action == StepAction.RETURN), None)
        paid = application.status == AidStatus.PAID
        payment = getattr(application, "payment", None) if paid else None
        return super().get_context_data(
            title=_("My aid application"),
            application=application,
            steps=steps,
            returned=returned if application.status == AidStatus.RETURNED else None,
            evidence=list(application.evidence.order_by("uploaded_at", "pk")),
            payment=payment,
            may_add_photos=application.status in UNDECIDED,
            max_photos=MAX_PHOTOS,
            **kwargs,
        )
