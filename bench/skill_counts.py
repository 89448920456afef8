"""The counts of skilled and highly skilled workers at a million workers.

The benchmark county has no skill records of its own: the script adds the demo's
(``demo.care_skills.build_skills``: about one worker in eight, some with two
records) inside a transaction rolled back at the end, so the database is left as
found. Work on a copy:

    cp -a /tmp/bench-1m /tmp/skills-1m
    GONGHUI_VAR_DIR=/tmp/skills-1m gonghui migrate
    GONGHUI_VAR_DIR=/tmp/skills-1m python bench/skill_counts.py [--json]

Target (median): the counts for the county, a township and a union 500 ms each;
the counts page for the county 1 s.
"""

from __future__ import annotations

import json
import sys

from common import median_ms, require_demo, signed_in_client
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.care import CareSummary, CareWorld
from gonghui.demo.care_skills import build_skills
from gonghui.demo.models import DemoCounty
from gonghui.skills import selectors
from gonghui.skills.models import SkillRecord

COUNTS_MS = 500
PAGE_MS = 1000


class Rollback(Exception):
    pass


def main() -> None:
    require_demo(100_000)
    results: dict[str, dict] = {}
    try:
        with transaction.atomic():
            root = DemoCounty.objects.select_related("root").get().root
            world = CareWorld(seed=1, root=root, today=timezone.localdate())
            summary = CareSummary()
            build_skills(world, summary)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            for username in ("admin", "township1", "chair1"):
                user = User.objects.get(username=username)
                report = selectors.skill_counts(user)
                results[f"counts for {username}"] = {
                    "skilled": report.total.skilled,
                    "high_skilled": report.total.high_skilled,
                    **median_ms(lambda user=user: selectors.skill_counts(user)),
                    "target_ms": COUNTS_MS,
                }
            client = signed_in_client("admin")
            url = reverse("skills:counts")

            def page():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            results["counts page (county)"] = {
                "records": SkillRecord.objects.count(),
                **median_ms(page, runs=7, warmup=1),
                "target_ms": PAGE_MS,
            }
            raise Rollback
    except Rollback:
        pass
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
        return
    for name, r in results.items():
        verdict = "ok" if r["median_ms"] <= r["target_ms"] else "MISSED"
        extra = {
            k: v
            for k, v in r.items()
            if k not in ("median_ms", "min_ms", "max_ms", "runs", "target_ms")
        }
        print(
            f"{name:24} median {r['median_ms']:>8} ms (min {r['min_ms']}, max {r['max_ms']})"
            f"  ≤ {r['target_ms']} ms {verdict}  {extra}"
        )


if __name__ == "__main__":
    main()
