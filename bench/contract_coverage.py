"""The collective-contract coverage page at a million workers, as the county
administrator sees it.

Times ``GET /contracts/coverage/`` through Django's test client (the whole request:
middleware, the grouped queries, the template), signed in as the county
administrator, whose scope is the whole county; township staff and a grassroots
chair for comparison. Target: 300 ms (median). The demo county holds its contracts
(``demo/care_contracts.py``).

    GONGHUI_VAR_DIR=/tmp/bench-1m python bench/contract_coverage.py [--json]
"""

from __future__ import annotations

import json
import sys

from common import median_ms, require_demo, signed_in_client
from django.urls import reverse

TARGET_MS = 300
PERSONAS = {"admin": "county administrator", "township1": "township staff", "chair1": "chair"}


def main() -> None:
    require_demo(100_000)
    url = reverse("contracts:coverage")
    results = {}
    for username, role in PERSONAS.items():
        client = signed_in_client(username)

        def run(client=client):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        total = run().context["report"].total
        results[role] = {
            "employers": total.employers,
            "covered": total.employers_covered,
            **median_ms(run),
            "target_ms": TARGET_MS,
        }
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{'as':24}{'employers':>10}{'covered':>10}{'median ms':>12}{'min':>8}{'max':>8}  target")
    for role, r in results.items():
        verdict = "ok" if r["median_ms"] <= TARGET_MS else "MISSED"
        print(
            f"{role:24}{r['employers']:>10}{r['covered']:>10}{r['median_ms']:>12}"
            f"{r['min_ms']:>8}{r['max_ms']:>8}  ≤ {TARGET_MS} ms {verdict}"
        )


if __name__ == "__main__":
    main()
