"""The closed vocabularies of outreach: visit occasions, wish states and wish steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    """Why a visit was made (冬送温暖 and the festival visits, 节日慰问)."""

    WINTER_WARMTH = "winter_warmth", _("Winter warmth")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival visit")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn visit")
    MODEL_WORKER = "model_worker", _("Model-worker visit")
    OTHER = "other", _("Other visit")


class WishStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WishAction(models.TextChoices):
    """One step of a wish's life; each is a row of ``WishStep``."""

    POST = "post", _("Posted")
    CLAIM = "claim", _("Claimed")
    FULFIL = "fulfil", _("Fulfilled")
    WITHDRAW = "withdraw", _("Withdrawn")


#: Which status each action leads from and to: the only transitions there are.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    WishAction.CLAIM: ((WishStatus.POSTED,), WishStatus.CLAIMED),
    WishAction.FULFIL: ((WishStatus.CLAIMED,), WishStatus.FULFILLED),
    WishAction.WITHDRAW: ((WishStatus.POSTED, WishStatus.CLAIMED), WishStatus.WITHDRAWN),
}
