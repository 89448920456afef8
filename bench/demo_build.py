"""Time ``gonghui demo`` building the demo county (target: 1,000,000 workers in 10 minutes).

Migrates a database under ``--var-dir`` (a new temporary folder unless given)
and times the demo command alone, as a separate process, the way an operator
runs it. With ``--var-dir /tmp/bench-1m`` the result is the benchmark
database the other scripts read.

    python bench/demo_build.py [--scale 1000000] [--seed 1] [--var-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 600
GONGHUI = Path(sys.executable).with_name("gonghui")


def run(args: list[str], env: dict) -> float:
    started = time.monotonic()
    subprocess.run([str(GONGHUI), *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--var-dir", help="where the database goes (default: a new temporary one)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    var_dir = options.var_dir or tempfile.mkdtemp(prefix="gonghui-bench-")
    env = {**os.environ, "GONGHUI_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)  # SQLite under var_dir, whatever the shell says
    run(["migrate", "--verbosity", "0"], env)
    seconds = run(
        ["demo", "--scale", str(options.scale), "--seed", str(options.seed), "--force"], env
    )
    database = Path(var_dir) / "gonghui.sqlite3"
    result = {
        "scale": options.scale,
        "seed": options.seed,
        "seconds": round(seconds, 1),
        "target_seconds": TARGET_SECONDS,
        "database": str(database),
        "database_mb": round(database.stat().st_size / 2**20),
    }
    if options.json:
        print(json.dumps(result, indent=2))
        return
    verdict = "ok" if seconds <= TARGET_SECONDS else "MISSED"
    print(
        f"gonghui demo --scale {options.scale:,} --seed {options.seed}: {seconds:.1f} s "
        f"(target ≤ {TARGET_SECONDS} s: {verdict}); {result['database_mb']} MB at {database}"
    )


if __name__ == "__main__":
    main()
