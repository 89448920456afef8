"""Making 1,000 award certificates as the background job does (``certificates_job``).

A synthetic locked competition of 1,000 winners is written into the database under
GONGHUI_VAR_DIR inside a transaction that is rolled back, and the job's handler runs
on it with MEDIA_ROOT in a temporary folder (removed at the end): the PDFs, the ZIP
for the starter and the progress written every 50 certificates.

    GONGHUI_VAR_DIR=/tmp/bench-1m python bench/competition_certificates.py [--json]

Target: 60 s for the 1,000 certificates (one run: it is a minute's work).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

from common import require_demo
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.competitions.certificates import JOB_KIND, certificates_job
from gonghui.competitions.models import Competition, Entry
from gonghui.jobs.models import Job, JobStatus
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

COUNT = 1000
TARGET_S = 60


class Rollback(Exception):
    pass


def main() -> None:
    require_demo(COUNT)
    figures: dict = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic():
                root = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
                admin = User.objects.filter(is_superuser=True).first() or User.objects.first()
                today = timezone.localdate()
                competition = Competition.objects.create(
                    name="县职工数控车工技能竞赛",
                    trade="数控车工",
                    level="county",
                    organiser=root,
                    starts_on=today,
                    ends_on=today,
                    registration_opens_on=today,
                    registration_closes_on=today,
                    status="locked",
                    locked_at=timezone.now(),
                    created_by=admin,
                )
                awards = ["first"] * 10 + ["second"] * 90 + ["third"] * 300 + ["excellence"] * 600
                people = Person.objects.order_by("pk").values_list("pk", flat=True)[:COUNT]
                Entry.objects.bulk_create(
                    Entry(
                        competition=competition,
                        person_id=pk,
                        status="approved",
                        place=place,
                        award=award,
                        final_score=90,
                    )
                    for place, (pk, award) in enumerate(zip(people, awards, strict=True), 1)
                )
                job = Job.objects.create(
                    kind=JOB_KIND,
                    title="bench",
                    started_by=admin,
                    params={"competition": competition.pk},
                )
                started = time.perf_counter()
                certificates_job(job)
                seconds = time.perf_counter() - started
                job.refresh_from_db()
                assert job.status == JobStatus.DONE and job.done == COUNT, job.message
                figures = {
                    "certificates": job.done,
                    "seconds": round(seconds, 1),
                    "per_certificate_ms": round(seconds * 1000 / COUNT, 1),
                    "target_s": TARGET_S,
                }
                raise Rollback
        except Rollback:
            pass
    if "--json" in sys.argv:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(f"{COUNT} certificates: {figures}")


if __name__ == "__main__":
    main()
