"""Background jobs for the access sweep (``core/tests/test_access_sweep.py``): a
finished export started by the subtree's chair, with its file. A job is its
starter's alone, so every other persona is outside it."""

from pathlib import Path

from django.conf import settings

from gonghui.jobs.models import Job, JobStatus

ROUTES = {
    "jobs:detail": {"pk": "job"},
    "jobs:download": {"pk": "job"},
}


def build(subtree):
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sweep-{subtree.key}.xlsx"
    path.write_bytes(b"not a real workbook")
    job = Job.objects.create(
        kind="export",
        title=f"{subtree.union.name} export",
        started_by=subtree.chair,
        status=JobStatus.DONE,
        result_file=str(path),
        result_name=path.name,
    )
    return {"job": job}
