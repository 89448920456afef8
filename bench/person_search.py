"""Search on the person list page at a million workers: by name and by the end of an ID number.

Times the request the search box sends as one types (``GET /people/?q=…`` from
htmx, answered with the result table) through Django's test client, signed in
as the county administrator, who searches the whole county: sign-in checks,
the search, the count for the pager and the 25 rows with their masked numbers.
Target: 50 ms each (median). The first visit of the whole page is timed too,
for comparison.

    GONGHUI_VAR_DIR=/tmp/bench-1m python bench/person_search.py [--json]
"""

from __future__ import annotations

import json
import sys

from common import median_ms, require_demo, signed_in_client
from django.urls import reverse

from gonghui.people.models import Person

TARGET_MS = 50
#: What the search box sends as one types: htmx asks for the table fragment only.
HTMX_SEARCH = {"HX-Request": "true", "HX-Target": "object-table"}


def search_terms() -> dict[str, str]:
    """Terms taken from one person in the middle of the table (the same for every run)."""
    total = Person.objects.count()
    # From the middle of the table, the first with a three-character name, so
    # that the full name and its first two characters are different searches.
    person = next(
        p
        for p in Person.objects.filter(pk__gte=total // 2).exclude(card_number="").order_by("pk")
        if len(p.name) == 3
    )
    number = person.plain_id_number()
    return {
        "name, surname only": person.name[:1],
        "name (full)": person.name,
        "name (first two characters)": person.name[:2],
        "ID number, last 4": number[-4:],
        "ID number, last 6": number[-6:],
        "phone, last 4": person.plain_phone()[-4:] or number[-4:],
        "card number": person.card_number,
    }


def main() -> None:
    require_demo(100_000)
    client = signed_in_client("admin")
    url = reverse("people:person-list")
    results = {}
    for label, term in search_terms().items():

        def run(term=term):
            response = client.get(url, {"q": term}, headers=HTMX_SEARCH)
            assert response.status_code == 200, response.status_code
            return response

        found = run().context["paginator"].count
        results[label] = {"term": term, "found": found, **median_ms(run), "target_ms": TARGET_MS}

    # For comparison: the whole page (the first visit, with its filter form), not a search.
    name = search_terms()["name (full)"]

    def full_page():
        assert client.get(url, {"q": name}).status_code == 200

    results["whole page, name (full)"] = {"term": "", "found": 0, **median_ms(full_page)}
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{'search':32}{'found':>8}{'median ms':>12}{'min':>8}{'max':>8}  target")
    for label, r in results.items():
        if "target_ms" not in r:
            print(f"{label:32}{'':>8}{r['median_ms']:>12}{r['min_ms']:>8}{r['max_ms']:>8}")
            continue
        verdict = "ok" if r["median_ms"] <= TARGET_MS else "MISSED"
        print(
            f"{label:32}{r['found']:>8}{r['median_ms']:>12}{r['min_ms']:>8}{r['max_ms']:>8}"
            f"  ≤ {TARGET_MS} ms {verdict}"
        )


if __name__ == "__main__":
    main()
