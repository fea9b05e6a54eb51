"""check_dataset: every bad record is reported at its node, all at once, and nothing bad is ever raised."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from dataset_helpers import DATA, MINIMAL, check_text, edit, messages, minimal_dataset, where, write_yaml

from dashboard import dataset as dataset_module
from dashboard.dataset import DatasetError, check_dataset, data_path, load_dataset
from dashboard.yaml_reader import Budgets

# Text that anchors each edit; ``edit`` insists each occurs exactly once in MINIMAL.
C1_EVENTS = "    events: [talks-2024]\n"
C2_HEAD = "  - id: c2\n    article: daily-2024-01-15\n"
C2_SPEAKER = "    speaker: minister\n"
ARTICLE_DATE = '    date: "2024-01-15"\n'
ARTICLE_URL = "    url: https://daily.example.org/talks-begin\n"
EVENT_DATE = '    date: "2024-01"\n'

FRAMING = """\
framing:
  - article: daily-2024-01-15
    problem_definition: {text: Deadlock., claims: [c1]}
    causal_interpretation: {text: Pressure., claims: [c1]}
    moral_evaluation: {text: Authoritarian., claims: [c1]}
    remedy: {text: Talks., claims: [c2]}
"""

FACTS = """\
facts:
  - id: who-agreed
    question: Who agreed to talks?
    versions:
      - {claim: c1, value: President Smith}
      - {claim: c2, value: We}
"""


def problems_of(tmp_path: Path, text: str, **kwargs) -> tuple[str, list[str]]:
    """Check ``text`` and return (its path, its problems as 'PATH:LINE:COL: message' strings)."""
    path, dataset, problems = check_text(tmp_path, text, **kwargs)
    assert (dataset is None) == bool(problems)
    return path, messages(problems)


def at(path: str, text: str, snippet: str, message: str, occurrence: int = 1) -> str:
    line, col = where(text, snippet, occurrence)
    return f"{path}:{line}:{col}: {message}"


def assert_reported(tmp_path: Path, text: str, snippet: str, message: str, occurrence: int = 1) -> list[str]:
    """The dataset is refused, with ``message`` located at the start of ``snippet`` in ``text``."""
    path, found = problems_of(tmp_path, text)
    assert found, "expected the dataset to be refused"
    assert at(path, text, snippet, message, occurrence) in found, "\n".join(found)
    return found


# -- the minimal dataset ------------------------------------------------------------------


def test_minimal_dataset_is_valid(tmp_path: Path):
    path, dataset, problems = check_text(tmp_path, minimal_dataset())
    assert problems == []
    assert dataset is not None
    assert dataset.source == path
    assert [c.id for c in dataset.claims] == ["c1", "c2"]
    assert [c.kind for c in dataset.claims] == ["narration", "direct"]
    expected = {
        "outlets": 1,
        "articles": 1,
        "actors": 2,
        "issues": 1,
        "events": 1,
        "claims": 2,
        "positions": 1,
        "framing": 0,
        "facts": 0,
        "lexicon terms": 1,
    }
    counts = dataset.counts()
    assert {name: counts.get(name) for name in expected} == expected
    assert dataset.events[0].date.first.isoformat() == "2024-01-01"
    assert dataset.positions[0].since.iso == "2024-01"


def test_minimal_dataset_with_framing_and_facts_is_valid(tmp_path: Path):
    _, dataset, problems = check_text(tmp_path, minimal_dataset(FRAMING + FACTS))
    assert problems == []
    assert len(dataset.framing) == 1 and len(dataset.facts) == 1


def test_minimal_dataset_quotes_are_in_its_source_text(tmp_path: Path, minimal_sources: Path):
    _, dataset, problems = check_text(tmp_path, minimal_dataset(), sources=minimal_sources)
    assert problems == []
    assert dataset is not None


def test_load_dataset_returns_the_records_or_raises_with_the_problems(tmp_path: Path):
    good = write_yaml(tmp_path, minimal_dataset(), "good.yaml")
    assert load_dataset(good).by_id("actors")["minister"].name == "The Minister"
    bad = write_yaml(tmp_path, edit(MINIMAL, C2_SPEAKER, "    speaker: nobody\n"), "bad.yaml")
    with pytest.raises(DatasetError) as caught:
        load_dataset(bad)
    assert caught.value.problems
    assert all(p.path == str(bad) for p in caught.value.problems)
    assert any("unknown speaker" in p.message for p in caught.value.problems)


# -- shapes of records --------------------------------------------------------------------


def test_wrong_type_is_located_at_the_value(tmp_path: Path):
    text = edit(MINIMAL, "    outlet: daily\n", "    outlet: [daily]\n")
    assert_reported(tmp_path, text, "[daily]", "article daily-2024-01-15: outlet: Input should be a valid string")


def test_words_must_be_a_positive_count(tmp_path: Path):
    text = edit(MINIMAL, "    source_file: daily.txt\n", "    source_file: daily.txt\n    words: -5\n")
    assert_reported(tmp_path, text, "-5", "article daily-2024-01-15: words: Input should be greater than 0")


def test_year_must_be_quoted(tmp_path: Path):
    text = edit(MINIMAL, '  last_updated: "2024-01-20"\n', "  last_updated: 2024\n")
    assert_reported(tmp_path, text, "2024\n", 'meta.last_updated: write the year as a quoted string: "2024"')


def test_meta_that_is_not_a_mapping(tmp_path: Path):
    rest = MINIMAL.split("camps:\n")[1]
    text = "schema_version: 1\nmeta: just words\ncamps:\n" + rest
    assert_reported(tmp_path, text, "just words", "meta: Input should be a valid dictionary or instance of Meta")


def test_missing_required_field_points_at_the_mapping(tmp_path: Path):
    text = edit(MINIMAL, "    name: The Minister\n", "")
    assert_reported(tmp_path, text, "id: minister", "actor minister: missing required field 'name'")


def test_missing_required_meta_field(tmp_path: Path):
    text = edit(MINIMAL, "  licence: CC BY 4.0\n", "")
    assert_reported(tmp_path, text, "title: Test dataset", "meta: missing required field 'licence'")


def test_missing_required_section(tmp_path: Path):
    text = edit(MINIMAL, "issues:\n  - id: negotiate\n    question: Negotiate with the other side?\n", "")
    path, found = problems_of(tmp_path, text)
    assert f"{path}:1:1: missing section 'issues'" in found


def test_missing_schema_version(tmp_path: Path):
    text = edit(MINIMAL, "schema_version: 1\n", "")
    path, found = problems_of(tmp_path, text)
    assert f"{path}:1:1: missing 'schema_version' (this reader understands version 1)" in found


@pytest.mark.parametrize("version", ["2", "'1'", "true"])
def test_unsupported_schema_version(tmp_path: Path, version: str):
    text = edit(MINIMAL, "schema_version: 1\n", f"schema_version: {version}\n")
    path, found = problems_of(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:1:17: schema_version ")
    assert found[0].endswith("is not supported; expected 1")


def test_unknown_field_suggests_the_closest(tmp_path: Path):
    text = edit(MINIMAL, "    name: The Minister\n", "    name: The Minister\n    aliasses: [Minister]\n")
    assert_reported(tmp_path, text, "aliasses", "actor minister: unknown field 'aliasses' (did you mean 'aliases'?)")


def test_unknown_field_without_a_close_match_lists_the_fields(tmp_path: Path):
    text = edit(MINIMAL, "    name: Talks\n", "    name: Talks\n    zzz: 1\n")
    assert_reported(tmp_path, text, "zzz", "category talks: unknown field 'zzz'; expected one of: id, name")


def test_unknown_meta_field(tmp_path: Path):
    text = edit(MINIMAL, "  licence: CC BY 4.0\n", "  licence: CC BY 4.0\n  licens: x\n")
    assert_reported(tmp_path, text, "licens: x", "meta: unknown field 'licens' (did you mean 'licence'?)")


def test_unknown_top_level_section(tmp_path: Path):
    text = minimal_dataset("evnts: []\n")
    assert_reported(tmp_path, text, "evnts", "unknown section 'evnts' (did you mean 'events'?)")


def test_section_that_is_not_a_list(tmp_path: Path):
    text = minimal_dataset("facts: {id: x}\n")
    assert_reported(tmp_path, text, "{id: x}", "'facts' must be a list of records")


def test_record_that_is_not_a_mapping(tmp_path: Path):
    text = edit(MINIMAL, "  - id: talks\n    name: Talks\n", "  - talks\n")
    assert_reported(
        tmp_path, text, "talks\n", "categories[0]: Input should be a valid dictionary or instance of Category"
    )


@pytest.mark.parametrize("bad_id", ["'has space'", "-leading-dash", "'ü'"])
def test_ids_must_be_plain(tmp_path: Path, bad_id: str):
    text = edit(MINIMAL, "  - id: talks\n", f"  - id: {bad_id}\n")
    path, found = problems_of(tmp_path, text)
    line, col = where(text, bad_id)
    name = bad_id.strip("'")
    assert (
        f"{path}:{line}:{col}: category {name}: id: String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.-]{{0,79}}$'"
        in found
    )


# -- duplicates -------------------------------------------------------------------------------


def test_duplicate_id_names_the_first_line(tmp_path: Path):
    text = edit(MINIMAL, "  - id: minister\n", "  - id: president\n")
    first_line = where(text, "id: president")[0]
    assert_reported(
        tmp_path, text, "president", f"duplicate id 'president' in actors (first at line {first_line})", occurrence=2
    )


def test_duplicate_claim_id(tmp_path: Path):
    text = edit(MINIMAL, "  - id: c2\n", "  - id: c1\n")
    first_line = where(text, "id: c1")[0]
    assert_reported(tmp_path, text, "c1\n    article", f"duplicate id 'c1' in claims (first at line {first_line})", 2)


def test_duplicate_list_entry(tmp_path: Path):
    text = edit(MINIMAL, C1_EVENTS, "    events: [talks-2024, talks-2024]\n")
    assert_reported(tmp_path, text, "[talks-2024, talks-2024]", "claim c1: events: listed more than once: talks-2024")


def test_duplicate_lexicon_form(tmp_path: Path):
    text = minimal_dataset("  - {term: Authoritarian, category: again}\n")
    first_line = where(text, "{term: authoritarian")[0]
    assert_reported(
        tmp_path, text, "Authoritarian,", f"lexicon: 'Authoritarian' is listed twice (first at line {first_line})"
    )


# -- references between records -------------------------------------------------------------


def test_article_with_unknown_outlet(tmp_path: Path):
    text = edit(MINIMAL, "    outlet: daily\n", "    outlet: dailly\n")
    found = assert_reported(
        tmp_path, text, "dailly", "article daily-2024-01-15: unknown outlet 'dailly' (did you mean 'daily'?)"
    )
    # The outlet now has no article, which is a problem of its own.
    assert at(str(tmp_path / "data.yaml"), text, "daily\n", "outlet daily: no article belongs to this outlet") in found


def test_claim_with_unknown_article(tmp_path: Path):
    text = edit(MINIMAL, C2_HEAD, "  - id: c2\n    article: daily-2024-01-16\n")
    assert_reported(
        tmp_path,
        text,
        "daily-2024-01-16",
        "claim c2: unknown article 'daily-2024-01-16' (did you mean 'daily-2024-01-15'?)",
    )


def test_claim_with_unknown_speaker(tmp_path: Path):
    text = edit(MINIMAL, C2_SPEAKER, "    speaker: ministr\n")
    assert_reported(
        tmp_path,
        text,
        "ministr\n",
        "claim c2: unknown speaker (an actor, 'narration' or 'unnamed') 'ministr' (did you mean 'minister'?)",
    )


def test_claim_with_unknown_event(tmp_path: Path):
    text = edit(MINIMAL, C1_EVENTS, "    events: [talks-2025]\n")
    assert_reported(tmp_path, text, "talks-2025", "claim c1: unknown event 'talks-2025' (did you mean 'talks-2024'?)")


def test_claim_with_unknown_actor(tmp_path: Path):
    text = edit(MINIMAL, "    actors: [president]\n", "    actors: [president, nobody]\n")
    assert_reported(tmp_path, text, "nobody", "claim c1: unknown actor 'nobody'")


def test_claim_with_unknown_issue(tmp_path: Path):
    text = edit(MINIMAL, "    issues: [negotiate]\n    labels", "    issues: [negotiat]\n    labels")
    assert_reported(tmp_path, text, "negotiat]", "claim c1: unknown issue 'negotiat' (did you mean 'negotiate'?)")


def test_label_for_unknown_actor(tmp_path: Path):
    text = edit(MINIMAL, "labels: {president: ", "labels: {presidant: ")
    assert_reported(
        tmp_path,
        text,
        "authoritarian President Smith}",
        "claim c1: unknown actor 'presidant' (did you mean 'president'?)",
    )


def test_event_with_unknown_category_and_actor(tmp_path: Path):
    text = edit(
        MINIMAL,
        "    category: talks\n    actors: [president, minister]\n",
        "    category: talk\n    actors: [president, ministre]\n",
    )
    found = assert_reported(
        tmp_path, text, "talk\n", "event talks-2024: unknown category 'talk' (did you mean 'talks'?)"
    )
    assert (
        at(
            str(tmp_path / "data.yaml"),
            text,
            "ministre",
            "event talks-2024: unknown actor 'ministre' (did you mean 'minister'?)",
        )
        in found
    )


def test_actor_with_unknown_camp(tmp_path: Path):
    text = edit(
        MINIMAL,
        "    type: person\n    camp: government\n  - id: minister",
        "    type: person\n    camp: govt\n  - id: minister",
    )
    assert_reported(tmp_path, text, "govt", "actor president: unknown camp 'govt'")


def test_position_with_unknown_evidence(tmp_path: Path):
    text = edit(MINIMAL, "    evidence: [c2]\n", "    evidence: [c3]\n")
    assert_reported(tmp_path, text, "c3]", "position of minister on negotiate: unknown claim 'c3'")


def test_position_evidence_must_concern_the_actor_and_issue(tmp_path: Path):
    text = edit(MINIMAL, "    evidence: [c2]\n", "    evidence: [c2, c1]\n")
    assert_reported(
        tmp_path, text, "c1]", "position of minister on negotiate: claim c1 neither quotes nor concerns 'minister'"
    )
    text = edit(MINIMAL, "    kind: direct\n    issues: [negotiate]\n", "    kind: direct\n")
    assert_reported(
        tmp_path, text, "c2]", "position of minister on negotiate: claim c2 is not coded with issue 'negotiate'"
    )


def test_position_with_unknown_actor_and_issue(tmp_path: Path):
    text = edit(MINIMAL, "  - actor: minister\n    issue: negotiate\n", "  - actor: mister\n    issue: talk\n")
    found = assert_reported(
        tmp_path, text, "mister", "position of mister on talk: unknown actor 'mister' (did you mean 'minister'?)"
    )
    assert at(str(tmp_path / "data.yaml"), text, "talk\n", "position of mister on talk: unknown issue 'talk'") in found


def test_framing_with_unknown_claim(tmp_path: Path):
    text = minimal_dataset(edit(FRAMING, "{text: Talks., claims: [c2]}", "{text: Talks., claims: [c9]}"))
    assert_reported(tmp_path, text, "c9", "framing of daily-2024-01-15: unknown claim 'c9'")


def test_framing_with_unknown_article(tmp_path: Path):
    text = minimal_dataset(edit(FRAMING, "  - article: daily-2024-01-15\n", "  - article: daily-2024\n"))
    path, found = problems_of(tmp_path, text)
    assert (
        at(
            path,
            text,
            "daily-2024\n",
            "framing of daily-2024: unknown article 'daily-2024' (did you mean 'daily-2024-01-15'?)",
        )
        in found
    )


def test_framing_missing_a_function(tmp_path: Path):
    text = minimal_dataset(edit(FRAMING, "    remedy: {text: Talks., claims: [c2]}\n", ""))
    assert_reported(
        tmp_path, text, "article: daily-2024-01-15\n    problem", "framing[0]: missing required field 'remedy'"
    )


def test_facts_with_unknown_claim(tmp_path: Path):
    text = minimal_dataset(edit(FACTS, "{claim: c2, value: We}", "{claim: c5, value: We}"))
    assert_reported(tmp_path, text, "c5", "fact who-agreed: unknown claim 'c5'")


def test_fact_value_must_be_in_the_quote(tmp_path: Path):
    text = minimal_dataset(edit(FACTS, "{claim: c2, value: We}", "{claim: c2, value: They}"))
    assert_reported(tmp_path, text, "They", "fact who-agreed: 'They' is not in the quote of c2")


def test_fact_needs_two_versions(tmp_path: Path):
    text = minimal_dataset(edit(FACTS, "      - {claim: c2, value: We}\n", ""))
    path, found = problems_of(tmp_path, text)
    line, col = where(text, "- {claim: c1")  # the list of versions
    assert any(
        m.startswith(f"{path}:{line}:{col}: fact who-agreed: versions: List should have at least 2 items")
        for m in found
    )


def test_repost_of_unknown_article_and_of_itself(tmp_path: Path):
    text = edit(
        MINIMAL,
        "    source_file: daily.txt\n",
        "    source_file: daily.txt\n    reposts: {article: elsewhere, relation: excerpt}\n",
    )
    assert_reported(tmp_path, text, "elsewhere", "article daily-2024-01-15: unknown article 'elsewhere'")
    text = edit(
        MINIMAL,
        "    source_file: daily.txt\n",
        "    source_file: daily.txt\n    reposts: {article: daily-2024-01-15, relation: excerpt}\n",
    )
    assert_reported(
        tmp_path, text, "daily-2024-01-15, relation", "article daily-2024-01-15: an article cannot repost itself"
    )


# -- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-02-30", "'2019-02-30': February 2019 has 28 days"),
        ("2019-13", "'2019-13': there is no month 13"),
        ("2019-00-10", "'2019-00-10': there is no month 0"),
        ("2019-04-31", "'2019-04-31': April 2019 has 30 days"),
        ("22 May 2019", '\'22 May 2019\' is not a date: write "YYYY", "YYYY-MM" or "YYYY-MM-DD"'),
        ("0999", "'0999': year 999 is out of range"),
    ],
)
def test_impossible_dates(tmp_path: Path, value: str, message: str):
    text = edit(MINIMAL, ARTICLE_DATE, f'    date: "{value}"\n')
    assert_reported(tmp_path, text, f'"{value}"', f"article daily-2024-01-15: date: {message}")


def test_leap_day_is_a_date(tmp_path: Path):
    text = edit(MINIMAL, ARTICLE_DATE, '    date: "2024-02-29"\n')
    _, found = problems_of(tmp_path, text)
    assert found == []


def test_event_ending_before_it_starts(tmp_path: Path):
    text = edit(MINIMAL, EVENT_DATE, EVENT_DATE + '    end: "2023-12-31"\n')
    assert_reported(tmp_path, text, '"2023-12-31"', "event talks-2024: ends (2023-12-31) before it starts (2024-01)")


def test_event_ending_within_its_start_month_is_fine(tmp_path: Path):
    # The start is the month of January 2024, so an end on 1 January does not precede it.
    text = edit(MINIMAL, EVENT_DATE, EVENT_DATE + '    end: "2024-01-01"\n')
    _, found = problems_of(tmp_path, text)
    assert found == []


def test_position_ending_before_it_starts(tmp_path: Path):
    text = edit(MINIMAL, '    from: "2024-01"\n', '    from: "2024-01"\n    until: "2023"\n')
    assert_reported(
        tmp_path, text, '"2023"', "position of minister on negotiate: ends (2023) before it starts (2024-01)"
    )


# -- values ---------------------------------------------------------------------------------------


def test_stance_off_the_scale(tmp_path: Path):
    text = edit(MINIMAL, "    stance: supports\n", "    stance: strongly_supports\n")
    assert_reported(
        tmp_path,
        text,
        "strongly_supports",
        "positions[0]: stance: Input should be 'supports', 'leans_support', 'mixed', 'leans_against' or 'opposes'",
    )


@pytest.mark.parametrize("empty", ["''", "'   '", '""'])
def test_empty_quote(tmp_path: Path, empty: str):
    text = edit(MINIMAL, "    quote: We will negotiate in good faith,\n", f"    quote: {empty}\n")
    assert_reported(tmp_path, text, empty + "\n", "claim c2: quote: String should have at least 1 character")


def test_missing_quote_is_not_empty_quote(tmp_path: Path):
    text = edit(MINIMAL, "    quote: We will negotiate in good faith,\n", "    quote:\n")
    # The empty value stands just after the key.
    assert_reported(tmp_path, text, "\n    speaker: minister", "claim c2: quote: Input should be a valid string")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://daily.example.org/file", "data:text/html,hi", "//daily.example.org", "https:///x"],
)
def test_non_http_url(tmp_path: Path, url: str):
    text = edit(MINIMAL, ARTICLE_URL, f"    url: '{url}'\n")
    assert_reported(
        tmp_path,
        text,
        f"'{url}'",
        f"article daily-2024-01-15: url: '{url}' is not an http(s) URL; write the full address or 'unknown'",
    )


def test_url_with_markup_characters(tmp_path: Path):
    text = edit(MINIMAL, ARTICLE_URL, "    url: 'https://daily.example.org/\"><script>'\n")
    assert_reported(
        tmp_path,
        text,
        "'https://daily.example.org/\"",
        "article daily-2024-01-15: url: a URL may not contain spaces, quotes, angle brackets or control characters",
    )


def test_unknown_url_is_allowed(tmp_path: Path):
    _, found = problems_of(tmp_path, edit(MINIMAL, ARTICLE_URL, "    url: unknown\n"))
    assert found == []


def test_homepage_must_be_http(tmp_path: Path):
    text = edit(MINIMAL, "    homepage: https://daily.example.org\n", "    homepage: 'javascript:void(0)'\n")
    assert_reported(
        tmp_path,
        text,
        "'javascript",
        "outlet daily: homepage: 'javascript:void(0)' is not an http(s) URL; write the full address or 'unknown'",
    )


# -- claims against their own quote ---------------------------------------------------------------


def test_lexicon_term_in_quote_but_not_in_loaded_terms(tmp_path: Path):
    text = edit(MINIMAL, "    loaded_terms: [authoritarian]\n", "")
    assert_reported(
        tmp_path,
        text,
        "The authoritarian President",
        "claim c1: lexicon terms in the quote but not in loaded_terms: authoritarian",
    )


def test_loaded_term_not_in_quote(tmp_path: Path):
    text = edit(MINIMAL, "    loaded_terms: [authoritarian]\n", "    loaded_terms: [authoritarian, regime]\n")
    assert_reported(
        tmp_path,
        text,
        "[authoritarian, regime]",
        "claim c1: loaded_terms not found in the quote as lexicon terms: regime",
    )


def test_loaded_term_in_quote_but_not_in_the_lexicon(tmp_path: Path):
    # 'Monday' is in the quote, but it is not a lexicon term, so it cannot be coded as one.
    text = edit(MINIMAL, "    loaded_terms: [authoritarian]\n", "    loaded_terms: [authoritarian, Monday]\n")
    assert_reported(
        tmp_path,
        text,
        "[authoritarian, Monday]",
        "claim c1: loaded_terms not found in the quote as lexicon terms: Monday",
    )


def test_lexicon_term_added_later_is_required_in_loaded_terms(tmp_path: Path):
    text = minimal_dataset("  - {term: faith, category: test}\n")
    assert_reported(
        tmp_path, text, "We will negotiate", "claim c2: lexicon terms in the quote but not in loaded_terms: faith"
    )


def test_label_not_in_quote(tmp_path: Path):
    text = edit(MINIMAL, "labels: {president: authoritarian President Smith}", "labels: {president: the strongman}")
    assert_reported(tmp_path, text, "the strongman", "claim c1: label 'the strongman' does not occur in the quote")


def test_label_with_straight_apostrophe_matches_curly_quote(tmp_path: Path):
    text = edit(
        MINIMAL,
        "quote: The authoritarian President Smith agreed to “talks” on Monday,",
        "quote: The authoritarian President Smith’s side agreed to “talks” on Monday,",
    )
    text = edit(
        text, "labels: {president: authoritarian President Smith}", 'labels: {president: "President Smith\'s side"}'
    )
    _, found = problems_of(tmp_path, text)
    assert found == []


def test_scare_quote_not_in_quotation_marks(tmp_path: Path):
    text = edit(MINIMAL, "    scare_quotes: [talks]\n", "    scare_quotes: [talks, Monday]\n")
    assert_reported(tmp_path, text, "Monday]", "claim c1: 'Monday' is not in quotation marks in the quote")


def test_scare_quote_absent_from_quote(tmp_path: Path):
    text = edit(MINIMAL, "    scare_quotes: [talks]\n", "    scare_quotes: [dialogue]\n")
    assert_reported(tmp_path, text, "dialogue", "claim c1: 'dialogue' is not in quotation marks in the quote")


def test_narration_kind_with_a_named_speaker(tmp_path: Path):
    text = edit(MINIMAL, "    kind: direct\n", "    kind: narration\n")
    assert_reported(
        tmp_path,
        text,
        "narration\n    issues: [negotiate]\npositions",
        "claim c2: kind is 'narration' exactly when speaker is 'narration'",
    )


def test_narration_speaker_with_another_kind(tmp_path: Path):
    text = edit(
        MINIMAL, "    speaker: narration\n    kind: narration\n", "    speaker: narration\n    kind: paraphrase\n"
    )
    assert_reported(tmp_path, text, "paraphrase", "claim c1: kind is 'narration' exactly when speaker is 'narration'")


def test_unknown_kind(tmp_path: Path):
    text = edit(MINIMAL, "    kind: direct\n", "    kind: quote\n")
    assert_reported(
        tmp_path, text, "quote\n    issues", "claim c2: kind: Input should be 'narration', 'direct' or 'paraphrase'"
    )


def test_unnamed_speaker_without_source(tmp_path: Path):
    text = edit(MINIMAL, C2_SPEAKER, "    speaker: unnamed\n")
    assert_reported(
        tmp_path, text, "unnamed", "claim c2: an unnamed speaker needs 'source' (how the text attributes it)"
    )


def test_unnamed_speaker_with_source_is_fine(tmp_path: Path):
    text = edit(MINIMAL, C2_SPEAKER, "    speaker: unnamed\n    source: a person familiar with the talks\n")
    path, found = problems_of(tmp_path, text)
    # The position's evidence no longer quotes the minister; that is the only problem left.
    assert found == [
        at(path, text, "c2]", "position of minister on negotiate: claim c2 neither quotes nor concerns 'minister'")
    ]


def test_source_only_for_unnamed_speakers(tmp_path: Path):
    text = edit(MINIMAL, C2_SPEAKER, C2_SPEAKER + "    source: an aide\n")
    assert_reported(tmp_path, text, "an aide", "claim c2: 'source' is only for unnamed speakers")


def test_reserved_actor_ids(tmp_path: Path):
    text = edit(MINIMAL, "  - id: minister\n", "  - id: narration\n")
    assert_reported(tmp_path, text, "narration\n    name", "actor narration: the id 'narration' is reserved")


def test_event_reported_by_no_claim(tmp_path: Path):
    text = edit(MINIMAL, C1_EVENTS, "")
    path, found = problems_of(tmp_path, text)
    assert found == [at(path, text, "talks-2024\n", "event talks-2024: no claim reports this event")]


def test_article_with_source_but_no_claims(tmp_path: Path):
    extra_article = (
        "  - id: daily-2024-01-16\n    outlet: daily\n    headline: More talks\n    date: '2024-01-16'\n"
        "    authors: unknown\n    url: unknown\n    source_file: other.txt\n"
    )
    text = edit(MINIMAL, "actors:\n", extra_article + "actors:\n")
    path, found = problems_of(tmp_path, text)
    assert found == [at(path, text, "other.txt", "article daily-2024-01-16: has a source text but no claims")]


def test_claim_on_article_without_source_file(tmp_path: Path):
    text = edit(MINIMAL, "    source_file: daily.txt\n", "")
    path, found = problems_of(tmp_path, text)
    line, col = where(text, "daily-2024-01-15", 2)
    assert f"{path}:{line}:{col}: claim c1: article 'daily-2024-01-15' has no source_file to quote from" in found


# -- many problems at once --------------------------------------------------------------------------


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path):
    text = edit(MINIMAL, "    homepage: https://daily.example.org\n", "    homepage: 'ftp://x.org'\n")
    text = edit(
        text,
        "    type: person\n    camp: government\n  - id: minister",
        "    type: persn\n    camp: government\n  - id: minister",
    )
    text = edit(text, "    stance: supports\n", "    stance: maybe\n")
    text = edit(text, "    loaded_terms: [authoritarian]\n", "    loaded_terms: [authoritarian, regime]\n")
    text = edit(text, "  licence: CC BY 4.0\n", "  licence: CC BY 4.0\n  coverage: twice\n")
    path, found = problems_of(tmp_path, text)
    expected = [
        at(path, text, "coverage: twice", "duplicate key 'coverage' (first at line 5); YAML would keep only the last"),
        at(
            path,
            text,
            "'ftp://x.org'",
            "outlet daily: homepage: 'ftp://x.org' is not an http(s) URL; write the full address or 'unknown'",
        ),
        at(
            path,
            text,
            "persn",
            "actor president: type: Input should be 'person', 'government', 'coalition', 'institution', 'party', "
            "'international body', 'group', 'company' or 'media'",
        ),
        at(
            path,
            text,
            "[authoritarian, regime]",
            "claim c1: loaded_terms not found in the quote as lexicon terms: regime",
        ),
        at(
            path,
            text,
            "maybe",
            "positions[0]: stance: Input should be 'supports', 'leans_support', 'mixed', 'leans_against' or 'opposes'",
        ),
    ]
    for message in expected:
        assert message in found, "\n".join(found)
    # Sorted by position in the file.
    positions = [tuple(int(x) for x in m[len(path) + 1 :].split(":")[:2]) for m in found]
    assert positions == sorted(positions)


# -- the file and its environment ---------------------------------------------------------------------


def test_dashboard_data_env_chooses_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    chosen = write_yaml(tmp_path, edit(MINIMAL, C2_SPEAKER, "    speaker: nobody\n"), "chosen.yaml")
    monkeypatch.setenv("DASHBOARD_DATA", str(chosen))
    assert data_path() == chosen
    dataset, problems = check_dataset()
    assert dataset is None
    assert problems and all(p.path == str(chosen) for p in problems)
    with pytest.raises(DatasetError):
        load_dataset()
    write_yaml(tmp_path, minimal_dataset(), "chosen.yaml")
    assert load_dataset().source == str(chosen)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_dashboard_data_the_project_file_is_used(monkeypatch: pytest.MonkeyPatch, value):
    if value is None:
        monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_DATA", value)
    assert data_path() == DATA
    assert dataset_module.DEFAULT_DATA == DATA


def test_missing_file_is_a_located_problem(tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    dataset, problems = check_dataset(missing)
    assert dataset is None
    assert messages(problems) == [f"{missing}:1:1: cannot read the file: No such file or directory"]


def test_directory_instead_of_file(tmp_path: Path):
    dataset, problems = check_dataset(tmp_path)
    assert dataset is None
    assert len(problems) == 1 and problems[0].message.startswith("cannot read the file")


def test_oversized_file_is_refused_before_reading(tmp_path: Path):
    path = write_yaml(tmp_path, minimal_dataset())
    dataset, problems = check_dataset(path, budgets=Budgets(max_bytes=100))
    assert dataset is None
    assert messages(problems) == [f"{path}:1:1: file is {path.stat().st_size:,} bytes; the limit is 100"]


def test_uploaded_bytes_are_named(tmp_path: Path):
    dataset, problems = check_dataset(data=minimal_dataset().encode(), name="upload.yaml")
    assert problems == [] and dataset.source == "upload.yaml"
    _, problems = check_dataset(data=b"schema_version: 1\nmeta: [\n", name="upload.yaml")
    assert problems and all(p.path == "upload.yaml" for p in problems)


# -- provenance against a folder of texts -------------------------------------------------------------


def test_altered_quote_is_not_verbatim(tmp_path: Path, minimal_sources: Path):
    text = edit(MINIMAL, "We will negotiate in good faith,", "We shall negotiate in good faith,")
    path, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found == [at(path, text, "We shall", "claim c2: quote not found verbatim in daily.txt")]


def test_source_file_missing_from_the_folder(tmp_path: Path, minimal_sources: Path):
    (minimal_sources / "daily.txt").rename(minimal_sources / "renamed.txt")
    path, found = problems_of(tmp_path, MINIMAL, sources=minimal_sources)
    assert found == [
        at(path, MINIMAL, "daily.txt", f"article daily-2024-01-15: source_file daily.txt is not in {minimal_sources}")
    ]


def test_sources_that_are_not_a_folder(tmp_path: Path):
    path, found = problems_of(tmp_path, MINIMAL, sources=tmp_path / "absent")
    assert found == [f"{path}:1:1: --sources: {tmp_path / 'absent'} is not a folder"]


def test_sources_with_dangling_references_do_not_raise(tmp_path: Path, minimal_sources: Path):
    text = edit(MINIMAL, C2_HEAD, "  - id: c2\n    article: elsewhere\n")
    path, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found == [at(path, text, "elsewhere", "claim c2: unknown article 'elsewhere'")]


@pytest.mark.parametrize("claims", ["", "claims: 5\n"])
def test_sources_without_a_claims_list_do_not_raise(tmp_path: Path, minimal_sources: Path, claims: str):
    head, tail = MINIMAL.split("claims:\n")
    text = head + claims + "positions:\n" + tail.split("positions:\n")[1]
    _, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found  # reported, not raised
    assert any("claims" in m for m in found)


# -- garbage never raises -----------------------------------------------------------------------------


GARBAGE = [
    b"",
    b"\x00",
    b"[]",
    b"42",
    b"null",
    b"- a",
    b"~",
    b"# nothing but a comment\n",
    b"---\n",
    b"'just a string'",
    b"{a: 1}",
    b"schema_version: 1\nmeta: 5\n",
    b"schema_version: 1\nclaims: [1, [2], {id: 3}]\n",
    b"\xff\xfe\x00\x00",
    b"\xef\xbb\xbf",
    b": : :",
    b"&a [*a]",
]


@pytest.mark.parametrize("data", GARBAGE + [random.Random(seed).randbytes(200) for seed in range(8)])
def test_garbage_is_reported_never_raised(data: bytes):
    dataset, problems = check_dataset(data=data, name="garbage.yaml")
    assert dataset is None
    assert problems, "garbage must come with at least one located problem"
    assert all(p.path == "garbage.yaml" and p.line >= 1 and p.col >= 1 for p in problems)


def test_empty_file_says_what_is_expected(tmp_path: Path):
    path, found = problems_of(tmp_path, "")
    assert found == [f"{path}:1:1: the file must be a mapping with sections such as 'meta', 'outlets' and 'claims'"]
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert [str(p) for p in caught.value.problems] == found


def test_real_dataset_is_valid(real_dataset):
    assert real_dataset.source == str(DATA)
    assert len(real_dataset.claims) > 0


def test_a_lexicon_past_the_limit_is_refused_once_not_per_claim(tmp_path: Path):
    from dashboard.schema import MAX_LEXICON_TERMS

    terms = "".join(f"  - {{term: filler{i}, category: filler}}\n" for i in range(MAX_LEXICON_TERMS + 1))
    text = MINIMAL.replace("lexicon:\n", "lexicon:\n" + terms, 1)
    assert text != MINIMAL
    path, dataset, problems = check_text(tmp_path, text)
    line, col = where(text, "  - {term: filler0")
    assert dataset is None
    limit = MAX_LEXICON_TERMS
    assert [str(p) for p in problems] == [
        f"{path}:{line}:{col + 2}: the lexicon has {limit + 2:,} terms; at most {limit} are allowed"
    ]
