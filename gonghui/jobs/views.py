from pathlib import Path

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from gonghui.core.exports import xlsx_file_response
from gonghui.core.views import is_htmx

from .models import Job
from .selectors import own_jobs


class OwnJobsMixin(LoginRequiredMixin):
    """A job is visible only to the user who started it."""

    def get_queryset(self):
        return Job.objects.filter(started_by=self.request.user)


class JobList(OwnJobsMixin, ListView):
    template_name = "jobs/job_list.html"
    paginate_by = 25
    extra_context = {"title": _("Background jobs")}

    def get_queryset(self):
        # Filtered by ``status`` and ``days``, as the home page's to-do links ask (jobs.todo).
        return own_jobs(self.request.user, self.request.GET)


class JobDetail(OwnJobsMixin, DetailView):
    def get_template_names(self):
        return ["jobs/_job_progress.html"] if is_htmx(self.request) else ["jobs/job_detail.html"]

    def get_context_data(self, **kwargs):
        from .tasks import KINDS

        kind = KINDS.get(self.object.kind)
        return super().get_context_data(
            title=self.object.title,
            outcome_template=kind.outcome_template if kind is not None else "",
            **kwargs,
        )


def job_download(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    job = get_object_or_404(Job, pk=pk, started_by=request.user)
    if not job.result_file or not Path(job.result_file).exists():
        raise Http404
    return xlsx_file_response(Path(job.result_file), job.result_name or Path(job.result_file).name)
