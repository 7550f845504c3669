"""The audit log: who exported what, and when. No Streamlit here.

Every event goes to the server log (Python logging, logger `envol.audit`) and, as one JSON line,
to `$ENVOL_AUDIT_FILE` (default: `audit.jsonl` in the lake folder, `$ENVOL_LAKE_DIR`, default
`data/lake/`). Logged: board packs built (PPTX + PDF), table CSVs downloaded from the history
page, and the funnels page's CSVs of problem rows (they name member firms). Commits and
rollbacks carry their author in the lake itself (DuckLake commit metadata).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

LOG = logging.getLogger("envol.audit")
_lock = threading.Lock()


def audit_file(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("ENVOL_AUDIT_FILE"):
        return Path(env["ENVOL_AUDIT_FILE"])
    return Path(env.get("ENVOL_LAKE_DIR", "data/lake")) / "audit.jsonl"


def record(event: str, who: str, **details: object) -> dict:
    """Log one event (`event`, `who`, UTC time `at`, details); returns the record."""
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "event": event,
             "who": who, **details}
    line = json.dumps(entry, ensure_ascii=False, default=str)
    LOG.info("%s", line)
    path = audit_file()
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
    return entry


def read(path: Path | None = None) -> list[dict]:
    path = path or audit_file()
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def audited(action: Callable, event: str, who: str, **details: object) -> Callable:
    """`action` wrapped so that each successful call is recorded (after it returns)."""
    def run(*args, **kwargs):
        result = action(*args, **kwargs)
        record(event, who, **details)
        return result
    return run
