"""A page that fails: a friendly message with a reference, no traceback for the user, the
traceback in the server log (issue 10 point 4)."""

from __future__ import annotations

import logging
import re

from streamlit.testing.v1 import AppTest


def _failing_page():
    import streamlit as st

    from components.errors import run_page

    class Boom:
        url_path = "boom"

        def run(self):
            st.title("Avant l'erreur")
            raise RuntimeError("secret detail: /srv/envol/lake password=hunter2")

    run_page(Boom(), st.session_state.get("lang", "fr"))


def _stopping_page():
    import streamlit as st

    from components.errors import run_page

    class Stops:
        url_path = "stops"

        def run(self):
            st.title("Arrêt")
            st.stop()
            st.title("jamais")

    run_page(Stops(), "fr")


def test_a_failing_page_shows_a_friendly_message_and_logs_the_traceback(caplog):
    at = AppTest.from_function(_failing_page)
    with caplog.at_level(logging.ERROR, logger="envol.pages"):
        at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Avant l'erreur"]
    (error,) = at.error
    ref = re.search(r"\*\*([0-9a-f]{8})\*\*", error.value).group(1)
    assert error.value == (
        "Cette page n'a pas pu s'afficher : une erreur inattendue s'est produite. Rechargez la "
        "page ; si cela se reproduit, donnez à votre administrateur la référence "
        f"**{ref}** (le détail est dans le journal du serveur).")
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert len(at.main.children) == 2  # the title and the message, nothing else
    assert "secret detail" not in shown and "Traceback" not in shown and "hunter2" not in shown
    (record,) = [r for r in caplog.records if r.name == "envol.pages"]
    assert record.getMessage() == f"page 'boom' failed, reference {ref}"
    assert record.exc_info[0] is RuntimeError
    assert "secret detail" in caplog.text and "Traceback" in caplog.text


def test_the_message_is_in_english_too():
    at = AppTest.from_function(_failing_page)
    at.session_state["lang"] = "en"
    at.run()
    assert at.error[0].value.startswith("This page could not be shown: an unexpected error")


def test_st_stop_is_not_an_error(caplog):
    at = AppTest.from_function(_stopping_page)
    with caplog.at_level(logging.ERROR, logger="envol.pages"):
        at.run()
    assert [t.value for t in at.title] == ["Arrêt"] and not at.error and not at.exception
    assert not [r for r in caplog.records if r.name == "envol.pages"]
