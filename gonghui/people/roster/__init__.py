"""Member rosters (会员花名册): import from .xlsx/.xls/.csv and export to Excel.

- ``reader``: the file's format by content, ZIP-bomb checks, rows streamed.
- ``columns``: the header row and what each column holds.
- ``parse``: cell values (dates, ID number cells, vocabularies).
- ``importer``: every row checked, the good ones written (the rules are there).
- ``employers``: the employer a row names.
- ``bulk``: prepared INSERTs and batched lookups for tens of thousands of rows.
- ``result`` and ``report``: the outcome per row, and the Excel report of it.
- ``services`` and ``tasks``: uploads, background jobs, the roster export.
"""
