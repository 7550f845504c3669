"""What a visitor sees about access: the login screen, the "ask your administrator" and "bad
access file" pages, and the sidebar's mode badge / who is logged in. Nothing of the data."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from envol import i18n
from envol.access import AccessFileError, Scope


def login_screen(lang: str, on_login: Callable[[], None]) -> None:
    T = i18n.translator(lang)
    with st.container(key="login_screen", horizontal_alignment="center"):
        st.title(T("access.login_title"), anchor=False)
        st.write(T("access.login_intro"))
        st.button(T("access.login"), type="primary", key="login_button",
                  icon=":material/login:", on_click=on_login)


def unknown_user(identity: str, lang: str, on_logout: Callable[[], None]) -> None:
    T = i18n.translator(lang)
    st.title(T("access.unknown_title"), anchor=False)
    st.warning(T("access.unknown", who=_plain(identity)), icon=":material/person_off:")
    st.button(T("access.logout"), key="logout_button", icon=":material/logout:",
              on_click=on_logout)


def bad_access_file(error: AccessFileError, lang: str, on_logout: Callable[[], None]) -> None:
    T = i18n.translator(lang)
    st.title(T("access.bad_title"), anchor=False)
    problem = T(f"access.bad.{error.rule}", value=error.value)
    st.error(T("access.bad", path=str(error.path), where=error.where, problem=problem),
             icon=":material/gpp_bad:")
    st.button(T("access.logout"), key="logout_button", icon=":material/logout:",
              on_click=on_logout)


def mode_badge(scope: Scope, lang: str, on_logout: Callable[[], None]) -> None:
    """Local mode: a badge saying so. Login mode: who is logged in, their role and clusters,
    and a logout button."""
    T = i18n.translator(lang)
    box = st.sidebar.container(key="access_box")
    if scope.local:
        box.badge(T("access.local"), icon=":material/computer:", color="gray",
                  help=T("access.local_help"))
        return
    clusters = (T("access.clusters_all") if scope.clusters is None
                else ", ".join(sorted(scope.clusters)))
    box.caption(T("access.who", who=_plain(scope.identity), role=T(f"access.role.{scope.role}"))
                + f" · {clusters}")
    box.button(T("access.logout"), key="logout_button", icon=":material/logout:",
               on_click=on_logout)


def _plain(text: str) -> str:
    """An identity shown inside Markdown: its Markdown characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~$" else ch for ch in text)
