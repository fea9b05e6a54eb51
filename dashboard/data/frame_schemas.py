"""The declared shape of every frame the data layer hands out: its columns, in order, and their dtypes.

One pandera ``DataFrameModel`` per frame is the single place a frame's columns
are named. ``frames.build_tables`` builds each frame to its model (an empty
section gives an empty frame with every column, so a view's filter or lookup
never meets a missing one), and the metrics return their empty results from
their models too.

The dtypes, as pandas 3 infers them from the rows ``build_tables`` writes:

- text is pandas' ``str`` dtype (missing text is written as "", never null);
- counts are ``int64``, flags ``bool``;
- list-valued columns are ``object`` and hold tuples (hashable, cheap to test
  for membership); the models check every object column holds only tuples;
- dates are ``datetime64[s]`` (``DATES``), which is what ``pd.Timestamp`` of a
  ``datetime.date`` gives. Not ``[ns]``: the validator accepts years 1000 to
  9999 and nanoseconds only reach 1677 to 2262. pandera treats every naive
  datetime64 unit as one dtype, so the models check the unit themselves.

When the models are checked: in the tests (tests/test_frame_schemas.py, on the
real data, on small fixtures and on generated datasets), not on every load.
On bench/synth.py's 10,000 events and 50,000 claims, validating all ten frames
took 0.24 s against 3.0 s for ``build_tables`` (best of 5 on a shared 2-core
machine; 0.49 s against 8.4 s under heavy load): 6-8% more on every load and
upload, to re-prove of the one function that builds the frames, from records
the validator has already checked, what the tests prove of it. A frame that
broke its model would be a bug in this code, not in the visitor's file, and
the visitor could do nothing with a SchemaError. Building to the models costs
about 1 ms per empty frame and nothing measurable otherwise.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines.pandas_engine import DateTime
from pandera.typing import Series

DATES = np.dtype("datetime64[s]")


class FrameModel(pa.DataFrameModel):
    """What every frame shares: exactly the declared columns, in the declared order."""

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check
    def list_columns_hold_tuples(cls, df: pd.DataFrame) -> bool:
        return all(df[c].map(type).eq(tuple).all() for c in df.columns if df[c].dtype == object)

    @pa.dataframe_check
    def dates_are_in_seconds(cls, df: pd.DataFrame) -> bool:
        return all(df[c].dtype == DATES for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c]))


class Outlets(FrameModel):
    outlet: Series[str]
    name: Series[str]
    kind: Series[str]
    scope: Series[str]
    country: Series[str]
    ownership: Series[str]
    funding: Series[str]
    language: Series[str]
    homepage: Series[str]
    note: Series[str]
    colour: Series[str]
    aliases: Series[object]
    short_name: Series[str]
    articles: Series[int]
    claims: Series[int]


class Articles(FrameModel):
    article: Series[str]
    outlet: Series[str]
    outlet_name: Series[str]
    headline: Series[str]
    headline_note: Series[str]
    title: Series[str]
    date: Series[str]
    date_iso: Series[str]
    date_precision: Series[str]
    sort_date: Series[pa.DateTime] = pa.Field(nullable=True)  # NaT: date unknown and no "not before"
    date_note: Series[str]
    authors: Series[str]
    url: Series[str]
    reposts: Series[str]
    relation: Series[str]
    reposts_outlet: Series[str]
    has_text: Series[bool]
    words: Series[int]
    claims: Series[int]


class Actors(FrameModel):
    actor: Series[str]
    name: Series[str]
    type: Series[str]
    camp: Series[str]
    camp_name: Series[str]
    role: Series[str]
    aliases: Series[object]


class Issues(FrameModel):
    issue: Series[str]
    question: Series[str]
    short: Series[str]
    description: Series[str]


class Events(FrameModel):
    event: Series[str]
    title: Series[str]
    summary: Series[str]
    start: Series[pa.DateTime]
    end: Series[pa.DateTime]
    precision: Series[str]
    date: Series[str]
    date_note: Series[str]
    category: Series[str]
    category_name: Series[str]
    actors: Series[object]
    articles: Series[object]
    outlets: Series[object]
    claims: Series[int]


class Claims(FrameModel):
    claim: Series[str]
    article: Series[str]
    outlet: Series[str]
    outlet_name: Series[str]
    article_date: Series[str]
    url: Series[str]
    quote: Series[str]
    speaker: Series[str]
    speaker_name: Series[str]
    speaker_camp: Series[str]
    voice: Series[str]
    kind: Series[str]
    events: Series[object]
    actors: Series[object]
    issues: Series[object]
    loaded_terms: Series[object]
    scare_quotes: Series[object]
    labels: Series[object]
    label_texts: Series[object]
    words: Series[int]
    loaded_hits: Series[int]
    note: Series[str]


class Labels(FrameModel):
    outlet: Series[str]
    outlet_name: Series[str]
    article: Series[str]
    claim: Series[str]
    actor: Series[str]
    actor_name: Series[str]
    label: Series[str]
    voice: Series[str]


class Positions(FrameModel):
    actor: Series[str]
    actor_name: Series[str]
    camp: Series[str]
    camp_name: Series[str]
    issue: Series[str]
    question: Series[str]
    short: Series[str]
    stance: Series[str]
    stance_label: Series[str]
    score: Series[int]
    since: Series[pa.DateTime]
    since_label: Series[str]
    until: Series[pa.DateTime] = pa.Field(nullable=True)  # NaT: still held
    until_label: Series[str]
    period: Series[str]
    evidence: Series[object]
    basis: Series[str]  # "" when not coded
    basis_label: Series[str]
    note: Series[str]


class Framing(FrameModel):
    article: Series[str]
    outlet: Series[str]
    outlet_name: Series[str]
    function: Series[str]
    function_name: Series[str]
    text: Series[str]
    claims: Series[object]


class Facts(FrameModel):
    fact: Series[str]
    question: Series[str]
    claim: Series[str]
    value: Series[str]
    outlet: Series[str]
    outlet_name: Series[str]
    article: Series[str]
    speaker: Series[str]
    note: Series[str]


# The model of each frame in ``frames.Tables``, by field name.
TABLES: dict[str, type[FrameModel]] = {
    "outlets": Outlets,
    "articles": Articles,
    "actors": Actors,
    "issues": Issues,
    "events": Events,
    "claims": Claims,
    "labels": Labels,
    "positions": Positions,
    "framing": Framing,
    "facts": Facts,
}


# -- what the metrics return ------------------------------------------------------------------------


class OutletMetrics(FrameModel):
    """``metrics.outlet_metrics``: the figures of ``metrics.METRIC_COLUMNS``, one row per outlet with text."""

    outlet: Series[str]
    outlet_name: Series[str]
    claims: Series[int]
    narration_share: Series[float]
    quoted_claims: Series[int]
    unnamed_claims: Series[int]
    unnamed_share: Series[float]
    loaded_per_100: Series[float]
    loaded_per_100_narration: Series[float]
    scare_quotes: Series[int]
    events_covered: Series[int]
    camps_quoted: Series[int]


class VoicesByCamp(FrameModel):
    """``metrics.voices_by_camp``: claims per outlet and speaker camp."""

    outlet: Series[str]
    outlet_name: Series[str]
    camp: Series[str]
    camp_name: Series[str]
    claims: Series[int]


class EventCoverage(FrameModel):
    """``metrics.event_coverage``: the event and its date, then one True/False column per outlet with text."""

    event: Series[str]
    date: Series[str]

    class Config:
        strict = False  # the outlet columns are the data's
        ordered = True

    @pa.dataframe_check
    def outlet_columns_are_flags(cls, df: pd.DataFrame) -> bool:
        return all(df[c].dtype == bool for c in df.columns[2:])


# -- building frames to their models -----------------------------------------------------------------


@cache
def dtypes(model: type[FrameModel]) -> dict[str, Any]:
    """Column -> the exact pandas dtype its frame has, in the declared order."""
    out: dict[str, Any] = {}
    for name, column in model.to_schema().columns.items():
        out[name] = DATES if isinstance(column.dtype, DateTime) else column.dtype.type
    return out


def columns(model: type[FrameModel]) -> list[str]:
    return list(dtypes(model))


def empty(model: type[FrameModel]) -> pd.DataFrame:
    """A frame with no rows and every declared column, each with its dtype."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes(model).items()})


def frame(rows: list[dict[str, Any]], model: type[FrameModel]) -> pd.DataFrame:
    """The frame of ``rows`` (dicts keyed by the model's columns) with the declared columns and dtypes."""
    if not rows:
        return empty(model)
    built = pd.DataFrame(rows, columns=columns(model))
    # Inference already gives the declared dtypes; cast only what it does not (at 10k events a full astype costs 5%).
    differ = {name: dtype for name, dtype in dtypes(model).items() if built[name].dtype != dtype}
    return built.astype(differ) if differ else built
