"""Vocabularies of needy-worker files (困难职工档案).

The levels and filing standards follow the national union's 帮扶 system
(全国总工会困难职工帮扶工作): a file is kept at one of three levels and
established under the standard of one administrative level.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gonghui.core import publicnotice


class Cause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    DISASTER = "disaster", _("Disaster or accident")
    EDUCATION = "education", _("Children's education")
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    OTHER = "other", _("Other")


#: Causes that reveal health (PIPL 第二十八条: sensitive personal information).
HEALTH_CAUSES = frozenset({Cause.ILLNESS, Cause.DISABILITY})


class Level(models.TextChoices):
    DEEP = "deep", _("Deep difficulty")
    RELATIVE = "relative", _("Relative difficulty")
    ACCIDENT = "accident", _("Difficulty from an accident")


class Standard(models.TextChoices):
    NATIONAL = "national", _("National standard")
    PROVINCE = "province", _("Provincial standard")
    CITY = "city", _("City standard")
    COUNTY = "county", _("County standard")
    GRASSROOTS = "grassroots", _("Grassroots standard")


class Origin(models.TextChoices):
    APPLICATION = "application", _("Application by the worker")
    REFERRAL = "referral", _("Referral by a union")


class FileStatus(models.TextChoices):
    """Where a file stands; the establishment steps come first, in order."""

    APPLIED = "applied", _("Applied")
    VISITED = "visited", _("Home visit recorded")
    CHECKED = "checked", _("Income checked")
    NOTICE = "notice", _("On public notice")
    FILED = "filed", _("Filed")
    EXITED = "exited", _("Exited")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: A file in any other status is open: the person has at most one of those.
CLOSED_STATUSES = (FileStatus.EXITED, FileStatus.WITHDRAWN)
#: Statuses of a file still being established (not yet filed).
ESTABLISHING_STATUSES = (
    FileStatus.APPLIED,
    FileStatus.VISITED,
    FileStatus.CHECKED,
    FileStatus.NOTICE,
)


class StepAction(models.TextChoices):
    CREATE = "create", _("Application or referral entered")
    VISIT = "visit", _("Home visit recorded")
    INCOME_CHECK = "income_check", _("Household income checked")
    NOTICE_START = "notice_start", _("Public notice started")
    OBJECTION = "objection", _("Objection recorded")
    OBJECTION_DISMISSED = "objection_dismissed", _("Objection found without substance")
    OBJECTION_UPHELD = "objection_upheld", _("Objection upheld: sent back")
    FILE = "file", _("Filed")
    REVIEW = "review", _("Yearly review")
    EXIT = "exit", _("Exited")
    WITHDRAW = "withdraw", _("Withdrawn")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other")


#: The public notice's (``core.publicnotice``), named here too for needy's readers.
ObjectionStatus = publicnotice.ObjectionStatus


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Stays on file")
    LEVEL_CHANGED = "level_changed", _("Level changed")
    EXIT = "exit", _("Out of difficulty")


class ExitReason(models.TextChoices):
    INCOME = "income", _("Household income above the threshold")
    EMPLOYMENT = "employment", _("Found stable work")
    RECOVERY = "recovery", _("Recovered from illness or accident")
    EDUCATION_DONE = "education_done", _("Children finished education")
    DECEASED = "deceased", _("Deceased")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")
