"""Reading rooms for the access sweep (``core/tests/test_access_sweep.py``): a room of
the subtree's union, a book in it, and a loan of the book to the subtree's worker."""

from gonghui.library import services

ROUTES = {
    "library:room-update": {"pk": "reading_room"},
    "library:book-create": {"pk": "reading_room"},
    "library:book-import": {"pk": "reading_room"},
    "library:room-lend": {"pk": "reading_room"},
    "library:book-update": {"pk": "book"},
    "library:book-return": {"pk": "book"},
    "library:loan-return": {"pk": "loan"},
    "portal-library:room": {"pk": "reading_room"},
}


def build(subtree):
    person = subtree.records.get("person") or subtree.person("读者甲")
    room = services.room_create(
        by=subtree.admin,
        organisation=subtree.union,
        name=f"{subtree.union.name}职工书屋",
        location="一楼",
    )
    book = services.book_create(
        by=subtree.admin, room=room, title=f"{subtree.key}书目", author="作者", copies=2
    )
    loan = services.loan_create(by=subtree.admin, book=book, person=person)
    return {"reading_room": room, "book": book, "loan": loan}


POST_DATA = {
    "library:book-create": {"title": "新书", "copies": "1"},
    "library:book-update": {"title": "改名", "copies": "2"},
    "library:room-lend": {"token": "not-a-card"},
}

#: The worker's own loans and the rooms near them in the portal; staff are visitors there.
ANSWERS = {
    ("portal-library:home", None, "worker1"): 200,
    ("portal-library:home", None, "worker2"): 200,
    ("portal-library:home", None, "chair1"): "login",
}

#: A township's (or the county's) reading room is open to the workers of the unions
#: below it: the portal lists it among the rooms near them.
SEEN_BELOW = {"reading_room": "a room is open to the workers below its organisation"}
