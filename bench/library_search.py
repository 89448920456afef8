"""The reading rooms' catalogue search over 200,000 books.

Builds synthetic rooms and books inside a transaction that is rolled back at the end
(the database is left as it was), then times ``selectors.catalogue`` — the query the
catalogue page runs: the scope rule, the search, the first page of 25 and the capped
count — for the county administrator (every room) and for one room, by a title word,
an author, an ISBN-13 with hyphens, an ISBN-10, and a word no book holds (the worst
case: every book is looked at). Target: 30 ms.

    GONGHUI_VAR_DIR=/tmp/bench-copy python bench/library_search.py [--books 200000] [--json]

Any database with migrations applied will do (a copy of the demo county, or a fresh
one: the script makes its own organisations if the database holds none).
"""

from __future__ import annotations

import json
import random
import sys

from common import median_ms
from django.db import transaction

TARGET_MS = 30
PAGE = 25
CAP = 500

_WORDS = (
    "中国 工人 劳动 技能 安全 生产 法律 健康 家庭 教育 历史 文化 经济 管理 故事 青年 "
    "时代 精神 工匠 创新 科学 技术 文学 诗歌 乡村 城市 发展 改革 人民 实践 理论 心理 "
    "营养 读本 指南 手册 百科 基础 常识 问答"
).split()
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文"
_PUBLISHERS = ("人民出版社", "工人出版社", "中国劳动社会保障出版社", "法律出版社", "科学出版社")


def _isbn13(n: int) -> str:
    from gonghui.library.isbns import isbn13_complete

    return isbn13_complete(f"978711{n:06d}")


class Rollback(Exception):
    pass


def build(books: int, rng: random.Random):
    from gonghui.accounts.models import User
    from gonghui.library.models import Book, ReadingRoom
    from gonghui.library.services import books_index
    from gonghui.orgs.models import Organisation, OrgKind

    county = Organisation.objects.filter(parent__isnull=True).first()
    if county is None:
        county = Organisation.objects.create(code="BENCH", name="基准县总工会", kind=OrgKind.COUNTY)
    townships = list(Organisation.objects.filter(parent=county)[:20])
    if not townships:
        townships = [
            Organisation.objects.create(
                code=f"BENCH{i}", name=f"基准镇{i}总工会", kind=OrgKind.TOWNSHIP, parent=county
            )
            for i in range(20)
        ]
    rooms = ReadingRoom.objects.bulk_create(
        ReadingRoom(
            organisation=townships[i % len(townships)], name=f"基准书屋{i}", location="一楼"
        )
        for i in range(500)
    )
    batch = []
    for n in range(books):
        title = "".join(rng.sample(_WORDS, rng.randint(2, 4)))
        author = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.randint(1, 2)))
        batch.append(
            Book(
                room=rooms[n % len(rooms)],
                title=title,
                author=author,
                publisher=rng.choice(_PUBLISHERS),
                isbn=_isbn13(n),
                copies=rng.randint(1, 3),
            )
        )
        if len(batch) == 5000:
            books_index(Book.objects.bulk_create(batch))
            batch = []
    books_index(Book.objects.bulk_create(batch))
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "library-bench", password=None
    )
    return admin, rooms[0]


def main() -> None:
    from stdnum import isbn

    from gonghui.library.selectors import catalogue

    count = int(sys.argv[sys.argv.index("--books") + 1]) if "--books" in sys.argv else 200_000
    rng = random.Random(1)
    results = {}
    keep = "--keep" in sys.argv  # a scratch database: keep the rows for the next run
    try:
        with transaction.atomic():
            from gonghui.accounts.models import User
            from gonghui.library.models import ReadingRoom

            if keep and ReadingRoom.objects.filter(name="基准书屋0").exists():
                admin = User.objects.filter(is_superuser=True).first()
                room = ReadingRoom.objects.get(name="基准书屋0")
            else:
                admin, room = build(count, rng)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE") if connection.vendor == "sqlite" else None
            some = _isbn13(count // 2)
            cases = {
                "title word (工匠)": "工匠",
                "author (王建国)": "王建国",
                "ISBN-13 with hyphens": isbn.format(some),
                "ISBN-10": isbn.to_isbn10(some),
                "no match (量子)": "量子",
                "one character (王)": "王",
                "long title part (工匠精神)": "工匠精神",
            }
            for scope, kwargs in (("every room", {}), ("one room", {"room": room})):
                for label, term in cases.items():

                    def run(term=term, kwargs=kwargs):
                        books = catalogue(admin, term, **kwargs)
                        shown = list(books[:PAGE])
                        total = books.order_by()[: CAP + 1].count()
                        return shown, total

                    _shown, total = run()
                    results[f"{scope} · {label}"] = {"matches": total, **median_ms(run)}
            if not keep:
                raise Rollback
    except Rollback:
        pass
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{count} books; target ≤ {TARGET_MS} ms (median)")
    print(f"{'search':40}{'matches':>9}{'median ms':>11}{'min':>8}{'max':>8}")
    for label, r in results.items():
        verdict = "ok" if r["median_ms"] <= TARGET_MS else "MISSED"
        print(
            f"{label:40}{r['matches']:>9}{r['median_ms']:>11}{r['min_ms']:>8}{r['max_ms']:>8}"
            f"  {verdict}"
        )


if __name__ == "__main__":
    main()
