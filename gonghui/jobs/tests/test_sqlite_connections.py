"""Every process's SQLite connection (web, task worker, commands) waits for the write
lock instead of failing, takes it at the start of a transaction, and uses WAL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GONGHUI = str(Path(sys.executable).parent / "gonghui")
SHOW = (
    "from django.db import connection; cursor = connection.cursor(); "
    "print(cursor.execute('PRAGMA busy_timeout').fetchone()[0], "
    "cursor.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode)"
)


def test_a_new_connection_has_a_busy_timeout_immediate_transactions_and_wal(tmp_path):
    env = {**os.environ, "GONGHUI_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": ""}
    result = subprocess.run(
        [GONGHUI, "shell", "-c", SHOW], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "5000 wal IMMEDIATE", result.stderr
