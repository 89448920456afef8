"""Edit pages of the newer apps for ``test_edit_forms_show_record``: each builder
returns an ``EditCase`` (a record, the persona who edits it, one field and its new
value), as the builders in that module do."""

from __future__ import annotations

from gonghui.core.tests.edit_case import EditCase  # noqa: F401

CASES: dict = {}
