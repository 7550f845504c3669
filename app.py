"""Envol: router only. Page config, who may see what, navigation, the shared filter bar and the
language switch.

Two modes. Without an `[auth]` section in the secrets: local mode, one user with every right
(a "local mode" badge in the sidebar). With one: login through OpenID Connect (`st.login`); the
visitor's role and clusters come from the access file (`envol.access`), and nothing of the data
is read before that: the checks below run before the first query.
"""

import streamlit as st

from components.access import bad_access_file, login_screen, mode_badge, unknown_user
from components.errors import run_page
from components.filters import language_switch, shared_filters
from envol import access, data, i18n

st.set_page_config(page_title="Envol", page_icon="✈️", layout="wide")

if data.login_configured():
    if not st.user.is_logged_in:
        data.set_scope(access.nobody())
        login_screen(language_switch(), st.login)
        st.stop()
    claims = st.user.to_dict()
    try:
        rules = access.load(access.default_path(st.get_option("secrets.files")))
    except access.AccessFileError as error:
        data.set_scope(access.nobody(access.identity_of(claims)))
        bad_access_file(error, language_switch(), st.logout)
        st.stop()
    scope = access.resolve(rules, claims)
    if scope is None:
        data.set_scope(access.nobody(access.identity_of(claims)))
        unknown_user(access.identity_of(claims), language_switch(), st.logout)
        st.stop()
else:
    scope = access.LOCAL
data.set_scope(scope)

latest = data.latest_version()
lang, clusters, as_of = shared_filters(data.query("clusters_by_name", version=latest),
                                       data.query("snapshots_by_time", version=latest))
T = i18n.translator(lang)
data.set_view(data.View(lang=lang, clusters=tuple(clusters), version=as_of or latest,
                        latest=as_of is None, newest=latest))

data_pages = [
    st.Page("app_pages/upload.py", title=T("nav.upload"), url_path="upload"),
    st.Page("app_pages/history.py", title=T("nav.history"), url_path="history"),
    st.Page("app_pages/sources.py", title=T("nav.sources"), url_path="sources"),
]
if not scope.can_write:  # hidden, and refused below the pages anyway (envol.ingest, store)
    data_pages = data_pages[1:]
page = st.navigation({
    T("nav.section_dashboards"): [
        st.Page("app_pages/overview.py", title=T("nav.overview"), url_path="overview",
                default=True),
        st.Page("app_pages/maps.py", title=T("maps.nav"), url_path="maps"),
        st.Page("app_pages/funnels.py", title=T("funnels.nav"), url_path="funnels"),
        st.Page("app_pages/scenario.py", title=T("scenario.nav"), url_path="scenario"),
    ],
    T("nav.section_board"): [
        st.Page("app_pages/present.py", title=T("board.nav"), url_path="present"),
    ],
    T("nav.section_data"): data_pages,
})
mode_badge(scope, lang, st.logout)
st.sidebar.caption(T("app.tagline"))
run_page(page, lang)
