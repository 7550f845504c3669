"""The one helper every plotly chart goes through: offline maps, theme, separators, PNG name."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

# One colour per series family, readable on a projector and for colour-blind viewers (Okabe-Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
SEPARATORS = {"fr": ",\u202f", "en": ".,"}  # decimal then thousands, as plotly expects
FONT = "Source Sans Pro, sans-serif"  # bundled with Streamlit: no web font fetched
GEO_TRACES = {"scattergeo", "choropleth"}
# The house map: outlines from static/world_110m.json (countries, coasts), muted land so that
# markers and shaded countries stand out, no frame. Defaults only: a figure's own geo settings
# (projection, ranges) win, because these go into the figure's template.
GEO = {
    "projection": {"type": "natural earth"},
    "resolution": 110,
    "showframe": False,
    "showcountries": True,
    "countrycolor": "#8c96a3",
    "countrywidth": 0.7,
    "showcoastlines": True,
    "coastlinecolor": "#8c96a3",
    "coastlinewidth": 0.7,
    "showland": True,
    "landcolor": "#eef1f5",
    "showocean": True,
    "oceancolor": "#f8fbfe",
    "showlakes": False,
    "bgcolor": "white",
}


def style(fig: go.Figure, *, lang: str, height: int | None = None) -> go.Figure:
    """Apply the house look to a figure (also used for exported images)."""
    fig.update_layout(
        separators=SEPARATORS[lang],
        font={"family": FONT, "size": 15},
        colorway=PALETTE,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        **({"height": height} if height else {}),
    )
    fig.update_xaxes(gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(gridcolor="#e6e6e6", zeroline=False)
    if fig.layout.hoverlabel.font.size is None:  # Streamlit's theme would make it small
        fig.update_layout(hoverlabel={"font": {"family": FONT, "size": 15, "color": "#1b1f24"},
                                      "bgcolor": "white", "bordercolor": "#8c96a3",
                                      "align": "left"})
    if any(t.type in GEO_TRACES for t in fig.data):
        fig.layout.template.layout.geo = GEO
    return fig


def config(name: str) -> dict:
    """plotly.js config: outlines from our static folder (works offline and under a base
    path), no plotly logo, no zooming when the page is scrolled over a chart or a map, PNG
    download (the modebar's camera) named `<name>.png`."""
    return {
        "topojsonURL": "app/static/",
        "displaylogo": False,
        "scrollZoom": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    }


def show(fig: go.Figure, *, name: str, lang: str, height: int | None = None,
         key: str | None = None, **kwargs):
    """Draw a figure the house way; returns the selection state when `on_select` is passed."""
    style(fig, lang=lang, height=height)
    return st.plotly_chart(fig, config=config(name), key=key, width="stretch", **kwargs)
