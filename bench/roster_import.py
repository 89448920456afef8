"""Benchmark: importing a generated 100,000-row .xlsx roster on SQLite.

    GONGHUI_VAR_DIR=/tmp/roster-bench .venv/bin/python bench/roster_import.py \
        [--rows 100000] [--existing 0] [--profile]

Builds a fresh database under GONGHUI_VAR_DIR (never the project's own var/:
the script refuses to run without the variable), or with ``--keep-db`` keeps
the one there (for instance a copy of the demo county at 1,000,000 workers,
see docs/benchmarks.md). In it go a small county of its own with one union and
its employer, optionally ``--existing`` people registered elsewhere (a quicker
stand-in for the demo county), and a roster of ``--rows`` rows with valid
generated ID numbers and one bad row in a hundred (check digit, number
cell, missing name, duplicate). Then it times the dry run, the real run, a
second real run of the same file (every row already a member) and the report,
and prints the figures and the peak memory.

This is a measurement, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=0, help="People registered beforehand.")
    parser.add_argument("--profile", action="store_true", help="Profile the real run.")
    parser.add_argument("--keep-db", action="store_true", help="Reuse the existing database.")
    parser.add_argument(
        "--format", choices=["xlsx", "csv"], default="xlsx", help="Format of the roster."
    )
    parser.add_argument(
        "--dry-run-only",
        action="store_true",
        help="Only the dry run (e.g. the memory of a 1,000,000-row CSV file).",
    )
    return parser.parse_args()


def setup_django(keep_db: bool) -> None:
    var_dir = os.environ.get("GONGHUI_VAR_DIR")
    if not var_dir:
        sys.exit("Set GONGHUI_VAR_DIR to a scratch folder, e.g. /tmp/roster-bench.")
    if Path(var_dir).resolve() == (ROOT / "var").resolve():
        sys.exit("GONGHUI_VAR_DIR must not be the project's own var/ folder.")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    database = Path(var_dir) / "gonghui.sqlite3"
    if not keep_db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_id(region: str, i: int) -> str:
    from gonghui.core.idnumbers import complete_id_number

    born = date(1970, 1, 1) + timedelta(days=i // 1000)
    return complete_id_number(f"{region}{born:%Y%m%d}{i % 1000:03d}")


def county():
    from gonghui.accounts.models import User
    from gonghui.core.creditcodes import make_credit_code
    from gonghui.orgs.models import Employer, Organisation
    from gonghui.orgs.services import employer_create, organisation_create

    existing = Organisation.objects.filter(code="BENCH-U").first()
    if existing:
        return existing, Employer.objects.get(union=existing)
    su = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.org", "Bench-Pass-2026!"
    )
    root = organisation_create(by=su, code="BENCH", name="基准县总工会", kind="county", parent=None)
    town = organisation_create(
        by=su, code="BENCH-T", name="基准镇总工会", kind="township", parent=root
    )
    union = organisation_create(
        by=su, code="BENCH-U", name="基准机械厂工会", kind="grassroots", parent=town
    )
    employer = employer_create(
        by=su,
        credit_code=make_credit_code("91330100000000001"),
        name="基准机械有限公司",
        industry="C",
        ownership="non_public",
        employee_count=100_000,
        township=town,
        union=union,
    )
    return union, employer


def register_existing(count: int, employer) -> float:
    """``count`` people at another place of the county (region 330102), none a member.

    Written as the import writes (prepared INSERTs): person_build + bulk_create
    would take minutes for a million.
    """
    from django.db import connection, transaction

    from gonghui.core.crypto import keyring
    from gonghui.core.idnumbers import parse_id_number
    from gonghui.people.models import Person, identity_columns
    from gonghui.people.roster.bulk import RowInserter

    started = time.perf_counter()
    ring = keyring()
    have = Person.objects.filter(region_code="330102").count()
    writer = RowInserter(
        Person,
        ("name", "id_number_encrypted", "id_hash", "id_suffix_hash", "birth_date", "gender"),
        region_code="330102",
        file_org_id=employer.township_id,
    )
    adapt = connection.ops.adapt_datefield_value
    for first in range(have, count, 50_000):
        rows = []
        for i in range(first, min(first + 50_000, count)):
            resident = parse_id_number(bench_id("330102", i))
            columns = identity_columns(resident, ring)
            rows.append(
                (
                    f"职工{i}",
                    columns["id_number_encrypted"],
                    columns["id_hash"],
                    columns["id_suffix_hash"],
                    adapt(resident.birth_date),
                    resident.gender,
                )
            )
        with transaction.atomic():
            writer.insert(rows)
    return time.perf_counter() - started


def roster_rows(rows: int):
    """The header and ``rows`` rows of the roster: one bad row in a hundred."""
    yield ["序号", "姓名", "性别", "民族", "公民身份号码", "文化程度", "手机号码", "工作单位"] + [
        "岗位",
        "入会时间",
        "会员卡号",
    ]
    for i in range(rows):
        number = bench_id("330106", i)
        name = f"会员{i}"
        kind = i % 100
        if kind == 17:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")  # check digit
        elif kind == 37 and number.isdigit():
            number = int(number)  # a number cell
        elif kind == 57:
            name = ""
        elif kind == 77 and i > 0:
            number = bench_id("330106", i - 1)  # the row above again
        gender = "男" if int(bench_id("330106", i)[16]) % 2 else "女"
        joined = f"{2000 + i % 24}.{1 + i % 12}.{1 + i % 28}"
        yield [i + 1, name, gender, "汉族", number, "本科", f"139{i:08d}", "基准机械有限公司"] + [
            "工人",
            joined,
            "",
        ]


def write_roster(path: Path, rows: int) -> float:
    """A roster of ``rows`` rows under a title, with a signature line under it."""
    started = time.perf_counter()
    if path.suffix == ".csv":
        import csv

        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["基准机械厂工会会员花名册"])
            for row in roster_rows(rows):
                # A number cell reaches CSV as Excel writes it: 3.30106E+17.
                writer.writerow(
                    [f"{v:.5E}" if isinstance(v, int) and v > 10**15 else v for v in row]
                )
            writer.writerow([])
            writer.writerow(["填表人：", "", "", "审核人："])
        return time.perf_counter() - started
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员花名册")
    sheet.append(["基准机械厂工会会员花名册"])
    for row in roster_rows(rows):
        sheet.append(row)
    sheet.append([])
    sheet.append(["填表人：", "", "", "审核人："])
    workbook.save(path)
    return time.perf_counter() - started


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{label:<40} {seconds:8.2f} s", flush=True)
    return value, seconds


def main() -> None:
    args = parse_args()
    setup_django(args.keep_db)
    from gonghui.people.models import Membership, Person
    from gonghui.people.roster.importer import roster_import
    from gonghui.people.roster.report import write_report

    union, employer = county()
    var_dir = Path(os.environ["GONGHUI_VAR_DIR"])
    if args.existing:
        seconds = register_existing(args.existing, employer)
        print(f"{'registered people beforehand':<40} {seconds:8.2f} s ({args.existing})")
    roster = var_dir / f"roster-{args.rows}.{args.format}"
    if not roster.exists():
        seconds = write_roster(roster, args.rows)
        print(f"{'wrote the roster':<40} {seconds:8.2f} s")
    print(
        f"roster: {roster} ({roster.stat().st_size / 1e6:.1f} MB), people in the database: "
        f"{Person.objects.count()}"
    )

    dry, dry_seconds = timed(
        "dry run", roster_import, by=None, union=union, path=roster, dry_run=True
    )
    print("   ", dry.summary())
    if args.dry_run_only:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'peak memory (RSS)':<40} {peak:8.0f} MB")
        return
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    real, real_seconds = timed("real run", roster_import, by=None, union=union, path=roster)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    print("   ", real.summary())
    again, again_seconds = timed(
        "real run again (all already members)", roster_import, by=None, union=union, path=roster
    )
    print("   ", again.summary())
    _value, report_seconds = timed(
        "report of the real run", write_report, real, var_dir / "report.xlsx"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (RSS)':<40} {peak:8.0f} MB")
    print(f"members now: {Membership.objects.filter(union=union).count()}")


if __name__ == "__main__":
    main()
