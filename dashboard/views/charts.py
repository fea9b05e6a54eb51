"""What every chart shares: colours, symbols, escaping and the base layout. Plotly, no Streamlit.

Colours are colour-blind safe (Okabe–Ito for outlets, a blue–orange diverging
scale for stances) and never carry meaning alone: stances also have a symbol
and a word, date precision has its own marker shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.data.bundle import Bundle

if TYPE_CHECKING:  # the views' declarations read the lanes from here, and the validator reads those
    import plotly.graph_objects as go

# Okabe & Ito (2008), minus yellow and black, which vanish on light or dark backgrounds.
OUTLET_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#882255")
STANCE_COLOUR = {
    "supports": "#2166AC",
    "leans_support": "#92C5DE",
    "mixed": "#BBBBBB",
    "leans_against": "#F4A582",
    "opposes": "#B2182B",
}
STANCE_SYMBOL = {"supports": "✔✔", "leans_support": "✔", "mixed": "≈", "leans_against": "✘", "opposes": "✘✘"}
# The evidence under a stance, by a letter in its square (so its strength shows without colour):
# the actor's own words, a named source, the outlet's own characterisation, unnamed sources.
BASIS_MARK = {"own_words": "A", "named_source": "S", "characterisation": "O", "unnamed_sources": "U", "": "?"}
SELECTED_LINE = "#E69F00"  # the chosen marker's outline: visible on light and dark backgrounds
PRECISION_SYMBOL = {"day": "circle", "month": "square", "year": "diamond"}
PRECISION_LABEL = {"day": "Known to the day", "month": "Known to the month", "year": "Known only to the year"}
LANES = {"category": "Category", "outlet": "Outlet", "camp": "Actor camp"}
_FONT = dict(size=15)


def esc(text: object) -> str:
    """Plotly renders a small HTML subset in hover and tick text: escape data before it gets there."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=_FONT,
        hoverlabel=dict(font_size=15, align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=None),
        dragmode=False,
    )
    return fig


def outlet_colours(outlet_ids: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """One colour per outlet, fixed by the outlets' order in the data, the same on every page."""
    overrides = overrides or {}
    return {o: overrides.get(o) or OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i, o in enumerate(outlet_ids)}


def colours(b: Bundle) -> dict[str, str]:
    """Each outlet's colour for this dataset (its own ``colour`` where the data gives one)."""

    def make() -> dict[str, str]:
        t = b.tables.outlets
        overrides = {o: c for o, c in zip(t["outlet"], t["colour"], strict=True) if c}
        return outlet_colours(list(t["outlet"]), overrides)

    return b.memo.get("outlet-colours", make)


# Presentation mode is read from the back of a room: larger type, and axis text in the body colour of the theme
# (the theme's own axis grey is about 3.9:1 on white; these are above 10:1, WCAG AA at any size).
PROJECTOR_FONT = 18
PROJECTOR_TICK_FONT = 17
PROJECTOR_TEXT = {"light": "#31333F", "dark": "#FAFAFA"}


def for_projector(
    fig: go.Figure, theme: str = "light", height: int | None = None, tick_size: int = PROJECTOR_TICK_FONT
) -> go.Figure:
    """A copy of ``fig`` for a projector: larger type, axis text dark enough (light enough on a dark theme)."""
    import plotly.graph_objects as go  # at run time only when a projector asks

    colour = PROJECTOR_TEXT.get(theme, PROJECTOR_TEXT["light"])
    out = go.Figure(fig)
    out.update_layout(
        font=dict(size=PROJECTOR_FONT, color=colour),
        hoverlabel=dict(font_size=PROJECTOR_FONT),
        legend=dict(font=dict(size=PROJECTOR_TICK_FONT - 1, color=colour)),
    )
    if height is not None:
        out.update_layout(height=height)
    out.update_xaxes(tickfont=dict(size=tick_size, color=colour), title_font=dict(color=colour))
    out.update_yaxes(tickfont=dict(size=tick_size, color=colour), title_font=dict(color=colour))
    out.update_annotations(font_color=colour)
    return out
