"""What an edit page is tested with (``test_edit_forms_show_record``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class EditCase:
    """A record, the persona who edits it, and one field changed to a new value."""

    record: Any
    user: Any
    field: str
    new_value: str
