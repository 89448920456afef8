"""The demo county's workers' reading rooms (职工书屋): one room at every township's
union and one at a few of the largest employers whose union runs it, each holding part
of one catalogue, with loans over the last months (most returned, some out, some of
those overdue).

Every title has one ISBN-13 wherever it is held, in the shape of a Chinese book's
(978-7-, a publisher's code, the title's number) with its check digit computed
(``library.isbns.isbn13_complete``: the ISBN-13's check digit is EAN-13's, as
python-stdnum's ``isbn.to_isbn13`` computes it).

Written in bulk; the values keep the rules the services keep: a borrower lies in the
room's organisation's subtree (a worker of the township, a member of the employer's
union), one open loan per book and worker, never more copies out than held (the
book's ``on_loan`` is the count of its open loans), a loan due ``loan_days()`` after it
is lent and returned on or after the day it was lent; the catalogue search's pieces are
written with the books (``library.services.books_index``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from gonghui.core.scope import subtree_q
from gonghui.library.isbns import isbn13_complete
from gonghui.library.models import Book, BookGram, Loan, ReadingRoom, RoomLevel, loan_days
from gonghui.library.services import books_index
from gonghui.orgs.models import Employer

from .care import BATCH_SIZE

#: Invented publishers of the catalogue, with the code each has inside group 7.
PUBLISHERS = (
    ("职工读物出版社", "5008"),
    ("劳动科技出版社", "5045"),
    ("城乡文艺出版社", "5302"),
    ("健康生活出版社", "5117"),
    ("少年读书出版社", "5324"),
)
#: (title, author, publisher's index) of the catalogue: what a workers' room holds
#: (law and rights, safety, skills, health, family, reading for pleasure). Invented.
CATALOGUE = (
    ("劳动合同法通俗读本", "本书编写组", 0),
    ("职工权益保护一百问", "本书编写组", 0),
    ("工会工作实务手册", "周立新", 0),
    ("安全生产知识读本", "孙志强", 1),
    ("电工操作入门与提高", "马永刚", 1),
    ("数控车床编程与操作", "吴建平", 1),
    ("焊接工艺实用技术", "郑国庆", 1),
    ("汽车维修技能图解", "黄海涛", 1),
    ("茶叶加工实用技术", "林秀兰", 1),
    ("家庭急救常识", "何文静", 3),
    ("职场心理调适", "罗晓梅", 3),
    ("中老年健康饮食", "高淑芬", 3),
    ("颈椎腰椎自我保健", "梁志远", 3),
    ("陪孩子读书的日子", "宋雅琴", 4),
    ("小学生成语故事", "唐春燕", 4),
    ("家庭教育漫谈", "许晓东", 4),
    ("山那边的灯火", "韩冬生", 2),
    ("小城纪事", "冯子健", 2),
    ("江边的工厂", "曹云飞", 2),
    ("远行的列车", "邓丽萍", 2),
    ("老街的故事", "彭建国", 2),
    ("车间里的春天", "蒋玉华", 2),
    ("劳模风采录", "本书编写组", 0),
    ("工匠精神读本", "董明辉", 0),
    ("农民工维权指南", "本书编写组", 0),
    ("女职工特殊保护问答", "袁丽华", 0),
    ("职业病防治常识", "潘建军", 3),
    ("消防安全知识读本", "杜海波", 1),
    ("电子商务入门", "程小燕", 1),
    ("手机摄影技巧", "魏晨光", 2),
    ("书法入门十讲", "薛文博", 2),
    ("家常菜谱大全", "叶桂英", 3),
    ("乡村振兴知识问答", "本书编写组", 0),
    ("新就业形态劳动者权益读本", "本书编写组", 0),
    ("会计基础与实务", "余海燕", 1),
    ("普通话口语训练", "潘玉兰", 4),
    ("散文选读", "田野", 2),
    ("唐诗三百首注析", "本书编写组", 4),
    ("中国历史小百科", "本书编写组", 4),
    ("快递物流从业指南", "姜伟", 1),
)
#: Keepers named in words where no staff account keeps the room (invented).
KEEPERS = ("李红梅", "王建华", "张秀英", "刘志强", "陈丽", "杨桂芳", "赵德明", "孙亚平")
#: Employers at least this large may run a room; at most this many do.
LARGE_EMPLOYER = 300
MAX_EMPLOYER_ROOMS = 20
#: Loans of a room per hundred workers near it, and bounds.
LOANS_PER_HUNDRED, MIN_LOANS, MAX_LOANS = 4, 8, 120
#: How far back the loans go.
HISTORY_DAYS = 150


def catalogue_isbn(index: int) -> str:
    """The ISBN-13 of the catalogue's ``index``-th title: 978-7-<publisher>-<number>-<check>."""
    _title, _author, publisher = CATALOGUE[index]
    return isbn13_complete(f"9787{PUBLISHERS[publisher][1]}{1000 + 37 * index:04d}")


def _rooms(world) -> list[tuple[ReadingRoom, list[int]]]:
    """The rooms (unsaved) with the workers who may borrow there."""
    rng = world.rng
    by_township: dict[int, list[int]] = {}
    by_union: dict[int, list[int]] = {}
    for person, union, township in zip(
        world.person_ids, world.person_orgs, world.person_townships, strict=True
    ):
        by_township.setdefault(township, []).append(person)
        by_union.setdefault(union, []).append(person)
    levels = (
        [RoomLevel.NONE] * 6 + [RoomLevel.COUNTY] * 3 + [RoomLevel.MUNICIPAL, RoomLevel.PROVINCIAL]
    )
    rooms = []
    for township in world.townships:
        name = world.organisation_name(township)
        keeper = world.level_user(township)
        rooms.append(
            (
                ReadingRoom(
                    organisation_id=township,
                    name=f"{name}职工书屋",
                    location=f"{name}职工服务中心二楼",
                    opening_hours="周一至周五 9:00-17:00",
                    keeper=keeper if keeper is not world.default_user else None,
                    keeper_name="" if keeper is not world.default_user else rng.choice(KEEPERS),
                    level=rng.choice(levels),
                ),
                by_township.get(township, []),
            )
        )
    employers = list(
        Employer.objects.filter(subtree_q(world.root.path, "township"), union__isnull=False)
        .order_by("-employee_count", "pk")
        .values_list("union_id", "name", "employee_count")[: 4 * MAX_EMPLOYER_ROOMS]
    )
    large = [e for e in employers if e[2] >= LARGE_EMPLOYER]
    # A small demo county still shows a room at a workplace: at its largest employers.
    # An employer covered by its township's union borrows at the township's room.
    chosen, seen = [], set(world.townships)
    for union, name, _count in large or employers:
        if union in seen or len(by_union.get(union, ())) < 3:
            continue
        seen.add(union)
        chosen.append((union, name))
    for union, name in chosen[: MAX_EMPLOYER_ROOMS if large else 2]:
        rooms.append(
            (
                ReadingRoom(
                    organisation_id=union,
                    name=f"{name[:90]}职工书屋",
                    location="职工活动中心三楼",
                    opening_hours="每天 12:00-13:30，17:30-20:00",
                    keeper_name=rng.choice(KEEPERS),
                    level=rng.choice(levels),
                ),
                by_union[union],
            )
        )
    return rooms


def build_library(world, summary) -> None:
    rng = world.rng
    today = world.today
    rooms = _rooms(world)
    if not rooms:
        return
    ReadingRoom.objects.bulk_create([room for room, _people in rooms], batch_size=BATCH_SIZE)

    books: list[tuple[Book, list[int]]] = []
    for room, people in rooms:
        held = rng.sample(range(len(CATALOGUE)), rng.randint(len(CATALOGUE) // 2, len(CATALOGUE)))
        for index in sorted(held):
            title, author, publisher = CATALOGUE[index]
            book = Book(
                room=room,
                title=title,
                author=author,
                publisher=PUBLISHERS[publisher][0],
                isbn=catalogue_isbn(index),
                copies=rng.choice((1, 1, 2, 2, 3, 5)),
            )
            books.append((book, people))
    Book.objects.bulk_create([book for book, _people in books], batch_size=BATCH_SIZE)
    books_index(book for book, _people in books)

    days = loan_days()
    by_room: dict[int, list[Book]] = {}
    for book, _people in books:
        by_room.setdefault(book.room_id, []).append(book)
    loans = []
    for room, people in rooms:
        if not people:
            continue
        by = room.keeper or world.level_user(room.organisation_id)
        held = by_room[room.pk]
        wanted = min(MAX_LOANS, max(MIN_LOANS, len(people) * LOANS_PER_HUNDRED // 100))
        open_pairs: set[tuple[int, int]] = set()
        for _n in range(wanted):
            book = rng.choice(held)
            person = rng.choice(people)
            lent_on = today - datetime.timedelta(days=rng.randint(0, HISTORY_DAYS))
            due_on = lent_on + datetime.timedelta(days=days)
            # Most loans older than their term came back (some late); a few are still out.
            still_out = due_on >= today or rng.random() < 0.15
            if still_out and (book.on_loan >= book.copies or (book.pk, person) in open_pairs):
                if due_on >= today:
                    continue  # every copy is out, or the worker has it: no such loan today
                still_out = False
            returned_on = None
            if not still_out:
                returned_on = min(
                    today, lent_on + datetime.timedelta(days=rng.randint(3, days + 10))
                )
            else:
                book.on_loan += 1
                open_pairs.add((book.pk, person))
            loans.append(
                Loan(
                    book=book,
                    person_id=person,
                    lent_on=lent_on,
                    due_on=due_on,
                    returned_on=returned_on,
                    lent_by=by,
                    returned_to=by if returned_on else None,
                )
            )
    Loan.objects.bulk_create(loans, batch_size=BATCH_SIZE)
    Book.objects.bulk_update(
        [book for book, _people in books if book.on_loan], ["on_loan"], batch_size=BATCH_SIZE
    )
    summary.library_rooms = len(rooms)
    summary.library_books = len(books)
    summary.library_loans = len(loans)
    summary.library_overdue = sum(
        1 for loan in loans if loan.returned_on is None and loan.due_on < today
    )


def library_querysets(path: str | None, people) -> list:
    """The demo's reading rooms and everything hanging on them (every row when ``path``
    is None), children before parents; loans of the county's people elsewhere too."""
    if path is None:
        return [
            Loan.objects.all(),
            BookGram.objects.all(),
            Book.objects.all(),
            ReadingRoom.objects.all(),
        ]
    rooms = ReadingRoom.objects.filter(subtree_q(path, "organisation"))
    books = Book.objects.filter(room__in=rooms)
    return [
        Loan.objects.filter(Q(book__in=books) | Q(person__in=people)),
        BookGram.objects.filter(book__in=books),
        books,
        rooms,
    ]
