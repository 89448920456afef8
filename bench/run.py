"""Run the benchmarks that read the demo county, one process each, and summarise them.

Every script reads the database under ``GONGHUI_VAR_DIR`` like the application
does; build it once (about four minutes at a million workers, with its care data):

    GONGHUI_VAR_DIR=/tmp/bench-1m .venv/bin/gonghui migrate
    GONGHUI_VAR_DIR=/tmp/bench-1m .venv/bin/gonghui demo --scale 1000000 --seed 1
    GONGHUI_VAR_DIR=/tmp/bench-1m make bench            # or: python bench/run.py

    python bench/run.py [--only person_search,coverage_page] [--list]

``demo_build.py`` and ``roster_import.py`` build databases of their own and take
minutes, so they run only when named with ``--only``. Without ``GONGHUI_VAR_DIR``
nothing runs: the project's own ``var/`` holds the small ``make run`` county, whose
figures would mean nothing. The exit status is non-zero when a script fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Scripts that read the demo county under GONGHUI_VAR_DIR, in the order they run.
ON_THE_DEMO_COUNTY = ("person_search", "coverage_page", "aid_care")
#: Scripts that build their own database (minutes each): run only when named.
BUILDING = ("demo_build", "roster_import")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated script names (without .py)")
    parser.add_argument("--list", action="store_true", help="list the scripts and stop")
    args = parser.parse_args()

    if args.list:
        for name in (*ON_THE_DEMO_COUNTY, *BUILDING):
            print(f"{name:16} {first_line(name)}")
        return 0
    names = args.only.split(",") if args.only else list(ON_THE_DEMO_COUNTY)
    unknown = [name for name in names if name not in (*ON_THE_DEMO_COUNTY, *BUILDING)]
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (see --list)")
    if not os.environ.get("GONGHUI_VAR_DIR") and set(names) & set(ON_THE_DEMO_COUNTY):
        print("\n\n".join(__doc__.split("\n\n")[1:3]), file=sys.stderr)
        print("GONGHUI_VAR_DIR is not set: nothing was run.", file=sys.stderr)
        return 2

    failed = []
    for name in names:
        print(f"=== {name} ===", flush=True)
        started = time.monotonic()
        status = subprocess.call([sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent)
        print(f"--- {name}: exit {status}, {time.monotonic() - started:.1f} s", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def first_line(name: str) -> str:
    text = (HERE / f"{name}.py").read_text(encoding="utf-8")
    return text.split('"""')[1].strip().splitlines()[0]


if __name__ == "__main__":
    sys.exit(main())
