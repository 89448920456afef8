"""Date and number formats of the interface (``FORMAT_MODULE_PATH``).

One format per kind of value in every language, so a record never shows one date
three ways: dates and times read as ISO 8601 (``2005-04-07``, ``2005-04-07 14:30``),
the way Chinese government forms write them (GB/T 7408-2005), and ISO comes first
among the input formats so a typed or date-picker ``YYYY-MM-DD`` is read in either
language. Date inputs write that format too (``core.widgets.DateInput``).
"""
