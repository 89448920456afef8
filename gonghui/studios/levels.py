"""The skill level an apprentice reached, read from ``gonghui.skills`` when it is there.

The skills app owns the vocabulary (``gonghui.skills.models.SkillLevel``, with
``SkillLevel.HIGH_SKILLED`` the set of 高级工 and above). A mentoring pair stores the
level's value as text so that its table does not depend on that app's migrations;
when the vocabulary is missing the level is free text, shown as entered, and no
apprentice counts as highly skilled (nothing can be compared with the levels).
"""

from __future__ import annotations


def skill_levels():
    """The ``SkillLevel`` TextChoices, or None when the skills app does not provide it."""
    try:
        from gonghui.skills.models import SkillLevel
    except ImportError:
        return None
    return SkillLevel


def level_choices() -> list[tuple[str, str]] | None:
    levels = skill_levels()
    return list(levels.choices) if levels is not None else None


def high_skilled_values() -> frozenset[str]:
    """The stored values that count as 高级工 or above."""
    levels = skill_levels()
    if levels is None:
        return frozenset()
    return frozenset(str(getattr(level, "value", level)) for level in levels.HIGH_SKILLED)


def level_label(value: str) -> str:
    """The level as a reader sees it: its label when it is one of the vocabulary's."""
    if not value:
        return ""
    levels = skill_levels()
    if levels is not None:
        for key, label in levels.choices:
            if key == value:
                return str(label)
    return value
