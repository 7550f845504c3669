"""A page that fails shows a friendly message with a reference; the details go to the server log.

`client.showErrorDetails = "none"` already keeps tracebacks out of the browser; this turns
Streamlit's bare "an error occurred" into a message in the user's language with a reference that
the administrator finds in the server log, beside the full traceback.
"""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Protocol

import streamlit as st

from envol import i18n

log = logging.getLogger("envol.pages")
if not log.handlers:  # the server's stderr is its log (systemd, docker, the test's log file)
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


class Page(Protocol):
    url_path: str

    def run(self) -> None: ...


def run_page(page: Page, lang: str) -> None:
    """`page.run()`; an unexpected exception is logged with its traceback and a reference, and
    the user sees a friendly message quoting that reference (never the traceback). `st.stop`,
    `st.rerun` and `st.switch_page` are not exceptions of this kind and pass through."""
    try:
        page.run()
    except Exception:
        ref = secrets.token_hex(4)
        log.exception("page %r failed, reference %s", getattr(page, "url_path", "?"), ref)
        st.error(i18n.t("app.error", lang, ref=ref), icon=":material/error:")
