"""A draft's story: JSON round trip, the YAML through the validator, the data's "unknown" conventions,
accepted-only output, and problems mapped back to the draft fields they name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dashboard.build.draft import Draft, DraftEvent, DraftIssue, DraftPosition
from dashboard.build.extract import read_article, read_pasted
from dashboard.build.story import check, source_files, source_texts, to_story, to_yaml
from dashboard.build.suggest import accept_all, add_article
from dashboard.data.dataset import check_dataset

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    for name in ("gazette.txt", "radio.txt"):
        shutil.copy(ARTICLES / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def draft(texts: Path) -> Draft:
    d = Draft()
    for name in ("gazette.txt", "radio.txt"):
        d = add_article(d, read_article(name, (texts / name).read_bytes()))
    return d


def _valid(text: str, tmp_path: Path, sources: Path | None = None) -> tuple:
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return check_dataset(path, sources=sources)


def test_a_draft_round_trips_through_json(draft: Draft) -> None:
    again = Draft.model_validate_json(draft.model_dump_json())
    assert again == draft
    accepted = accept_all(draft)
    assert Draft.model_validate_json(accepted.model_dump_json()) == accepted


def test_the_story_of_an_accepted_draft_passes_the_validator_with_its_sources(draft: Draft, texts: Path) -> None:
    dataset, problems = _valid(to_yaml(accept_all(draft)), texts, sources=texts)
    assert problems == [] and dataset is not None
    assert len(dataset.claims) == len(draft.claims)  # the headline and every sentence
    by_id = {c.id: c for c in dataset.claims}
    lind = next(a for a in dataset.actors if a.name == "Anna Lind")
    direct = next(c for c in dataset.claims if c.speaker == lind.id)
    assert direct.kind == "direct"
    unnamed = next(c for c in dataset.claims if c.speaker == "unnamed")
    assert unnamed.source == "Residents who asked not to be named"
    assert "so-called" in unnamed.loaded_terms
    headline = by_id[f"{dataset.articles[0].id}-00"]
    assert headline.quote == "Council votes to sell the old harbour" and headline.speaker == "narration"


def test_what_the_texts_do_not_say_is_written_unknown(draft: Draft) -> None:
    story = to_story(accept_all(draft), accepted_only=True)
    radio = story["articles"][1]
    assert (radio["headline"], radio["date"], radio["authors"], radio["url"]) == ("unknown",) * 4
    outlet = story["outlets"][0]
    assert all(outlet[k] == "unknown" for k in ("kind", "country", "ownership", "funding", "homepage"))
    assert {a["camp"] for a in story["actors"]} == {"unknown"} and story["camps"] == [
        {"id": "unknown", "name": "unknown"}
    ]


def test_accepted_only_leaves_out_what_the_teacher_has_not_accepted(draft: Draft, tmp_path: Path) -> None:
    story = to_story(draft, accepted_only=True)
    assert story["claims"] == [] and story["actors"] == []
    assert all("source_file" not in a for a in story["articles"])  # no claims to check against a text
    dataset, problems = _valid(yaml.safe_dump(story, allow_unicode=True), tmp_path)
    assert problems == [] and dataset is not None
    one = draft.model_copy(deep=True)
    claim = one.claims[1]
    claim.speaker, claim.kind = "narration", "narration"  # the teacher's own values, no suggestion accepted
    story = to_story(one, accepted_only=True)
    assert [c["id"] for c in story["claims"]] == [claim.id]
    assert to_story(draft, accepted_only=False)["claims"], "suggestions apply when not accepted_only"


def test_a_teachers_value_wins_over_the_suggestion(draft: Draft) -> None:
    edited = accept_all(draft)
    claim = next(c for c in edited.claims if c.kind == "direct")
    claim.speaker, claim.kind = "unnamed", "paraphrase"
    claim.source = "a resident"
    out = next(c for c in to_story(edited, accepted_only=True)["claims"] if c["id"] == claim.id)
    assert (out["speaker"], out["kind"], out["source"]) == ("unnamed", "paraphrase", "a resident")


def test_accept_all_keeps_the_teachers_own_values(draft: Draft) -> None:
    edited = draft.model_copy(deep=True)
    claim = next(c for c in edited.claims if c.suggested["kind"].value == "direct")
    claim.speaker, claim.kind = "unnamed", "paraphrase"  # typed by the teacher, before "accept all"
    accepted = accept_all(edited).claim(claim.id)
    assert (accepted.speaker, accepted.kind) == ("unnamed", "paraphrase")
    assert accepted.quote_span == claim.suggested["quote_span"].value  # a field the teacher left empty
    assert not accepted.is_accepted("speaker") and accepted.is_accepted("quote_span")


def test_an_accepted_scare_quote_in_a_sources_words_is_written() -> None:
    d = accept_all(add_article(Draft(), read_pasted("Anonymous “people” said the vote was rigged.")))
    (claim,) = to_story(d, accepted_only=True)["claims"]
    assert (claim["speaker"], claim["source"], claim["scare_quotes"]) == ("unnamed", "Anonymous “people”", ["people"])


def test_the_yaml_is_the_same_text_whichever_emitter_writes_it(draft: Draft) -> None:
    from dashboard.build import story

    class Pure(yaml.SafeDumper):
        pass

    Pure.add_representer(str, story._str)
    data = to_story(accept_all(draft), accepted_only=True)
    pure = yaml.dump(data, Dumper=Pure, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    assert to_yaml(accept_all(draft), accepted_only=True).endswith(pure)


def test_a_dropped_claim_is_left_out(draft: Draft) -> None:
    edited = accept_all(draft)
    edited.claims[1].keep = False
    ids = [c["id"] for c in to_story(edited, accepted_only=True)["claims"]]
    assert edited.claims[1].id not in ids and edited.claims[2].id in ids


def test_events_group_claims_and_an_undated_event_waits(draft: Draft, texts: Path) -> None:
    edited = accept_all(draft)
    first = edited.claims[1].id
    edited.events = [
        DraftEvent(id="vote", title="Council vote", summary="The council votes.", date="2024-03-01",
                   category="Decisions", claims=[first]),
        DraftEvent(id="later", title="Undated", claims=[first]),
    ]  # fmt: skip
    story = to_story(edited, accepted_only=True)
    assert [e["id"] for e in story["events"]] == ["vote"]
    assert story["categories"] == [{"id": "decisions", "name": "Decisions"}]
    assert next(c for c in story["claims"] if c["id"] == first)["events"] == ["vote"]
    _, problems = _valid(to_yaml(edited), texts, sources=texts)
    assert problems == []


def test_check_maps_an_audit_finding_to_the_field_it_names(draft: Draft) -> None:
    edited = accept_all(draft)
    edited.events = [
        DraftEvent(id="vote", title="Council vote", summary="The regime sold the harbour.", date="2024-03-01",
                   category="Decisions", claims=[edited.claims[1].id]),
    ]  # fmt: skip
    found = check(edited)
    summary = [p for p in found if p.field == ("events", "vote", "summary")]
    assert summary and summary[0].audit and "'regime'" in summary[0].message


def test_check_maps_a_validation_error_to_the_field_it_names(draft: Draft) -> None:
    edited = accept_all(draft)
    edited.articles[0].date = "2024-13-01"
    found = check(edited)
    article = edited.articles[0].id
    assert any(p.field == ("articles", article, "date") and not p.audit for p in found), found


def test_the_builders_own_words_carry_no_judgement() -> None:
    d = Draft()
    for name in ("election.txt", "strike.txt", "local.txt", "gazette.txt", "radio.txt"):
        d = add_article(d, read_article(name, (ARTICLES / name).read_bytes()))
    built = accept_all(d)
    # valid, and the audit's own-voice check finds nothing in what the builder wrote itself: the title,
    # description, coverage, the "unknown"s; the loaded words of the texts are in claims, coded as terms
    assert check(built) == []
    meta = to_story(built, accepted_only=True)["meta"]
    assert (meta["title"], meta["description"], meta["coverage"]) == (
        "Draft story",
        "A story built from 5 article(s).",
        "5 article(s) from 5 outlet(s).",
    )
    built.meta.title = "The regime's sham vote"  # the check that would catch a judgement of ours
    assert {p.field for p in check(built) if p.audit} == {("meta", "title")}


def test_a_clean_draft_has_no_validation_errors(draft: Draft) -> None:
    assert [p for p in check(accept_all(draft)) if not p.audit] == []


def test_an_outlet_given_with_the_article_is_used_and_shared(texts: Path) -> None:
    gazette = {"name": "The Gazette", "kind": "local daily", "country": "Exampleland", "colour": None}
    d = add_article(Draft(), read_article("gazette.txt", (texts / "gazette.txt").read_bytes()), outlet=gazette)
    d = add_article(d, read_article("radio.txt", (texts / "radio.txt").read_bytes()), outlet=gazette)
    assert [(o.id, o.name, o.kind, o.country) for o in d.outlets] == [
        ("the-gazette", "The Gazette", "local daily", "Exampleland")
    ]
    assert {a.outlet for a in d.articles} == {"the-gazette"}
    assert len({a.id for a in d.articles}) == 2
    story = to_story(accept_all(d), accepted_only=True)
    assert story["outlets"][0]["ownership"] == "unknown" and story["outlets"][0]["kind"] == "local daily"


def test_an_html_articles_site_name_names_its_outlet() -> None:
    page = (
        b"<html><head><meta property='og:site_name' content='Example Radio'></head><body><article>"
        b"<p>Residents packed the hall on Tuesday to defend the harbour against the sale.</p></article></body></html>"
    )
    d = add_article(Draft(), read_article("radio.html", page))
    assert [o.name for o in d.outlets] == ["Example Radio"]


def test_the_general_lexicon_is_copied_once(texts: Path) -> None:
    d = add_article(Draft(), read_article("gazette.txt", (texts / "gazette.txt").read_bytes()))
    assert "regime" in {e.term for e in d.lexicon} and d.lexicon_started
    d.lexicon = []  # the teacher empties it on purpose
    d = add_article(d, read_article("radio.txt", (texts / "radio.txt").read_bytes()))
    assert d.lexicon == []
    assert all(c.suggested["loaded_terms"].value == [] for c in d.claims if c.article == d.articles[-1].id)


def test_what_the_teacher_fills_in_is_written_and_the_story_stays_valid(draft: Draft, texts: Path) -> None:
    edited = accept_all(draft)
    edited.meta.language = "en"
    edited.outlets[0].scope = "local"
    edited.outlets[0].aliases = ["The Gazette"]
    anna = next(a for a in edited.actors if a.id == "anna_lind")
    anna.camp, anna.role = "council", "Mayor"
    quote = next(c for c in edited.claims if c.speaker == "anna_lind")
    edited.issues = [DraftIssue(id="sale", question="Should the harbour be sold?")]
    quote.issues, quote.note = ["sale"], "Said at the council meeting."
    edited.events = [
        DraftEvent(id="vote", title="Council vote", summary="The council votes.", date="2024-03-01", end="2024-03-02",
                   date_note="Two sittings.", category="Decisions", claims=[quote.id], actors=["anna_lind", "nobody"]),
    ]  # fmt: skip
    edited.positions = [
        DraftPosition(actor="anna_lind", issue="sale", stance="supports", since="2024-03", evidence=[quote.id],
                      basis="own_words", note="Her own words."),
        DraftPosition(actor="anna_lind", issue="sale", stance="opposes", since="2024-03", evidence=["no-such-claim"]),
    ]  # fmt: skip
    story = to_story(edited, accepted_only=True)
    assert story["meta"]["language"] == "en"
    assert story["outlets"][0]["scope"] == "local" and story["outlets"][0]["aliases"] == ["The Gazette"]
    assert next(a for a in story["actors"] if a["id"] == "anna_lind")["role"] == "Mayor"
    claim = next(c for c in story["claims"] if c["id"] == quote.id)
    assert claim["issues"] == ["sale"] and claim["note"] == "Said at the council meeting."
    [event] = story["events"]
    assert (event["end"], event["date_note"], event["actors"]) == ("2024-03-02", "Two sittings.", ["anna_lind"])
    # A position whose evidence is no claim of the story is left out; the other keeps its basis and note.
    assert story["positions"] == [
        {"actor": "anna_lind", "issue": "sale", "stance": "supports", "from": "2024-03", "evidence": [quote.id],
         "basis": "own_words", "note": "Her own words."},
    ]  # fmt: skip
    assert [p for p in check(edited, accepted_only=True) if not p.audit] == []


def test_articles_sharing_a_file_name_get_a_source_file_each() -> None:
    d = Draft()
    for _ in range(3):
        d = add_article(d, read_pasted("Council votes\n\nThe town council voted on Friday to sell the old harbour."))
    for a in d.articles:
        a.filename = "article.txt"
    files = source_files(d)
    assert len(set(files.values())) == 3 and files[d.articles[0].id] == "article.txt"
    assert set(source_texts(d)) == set(files.values())


def test_an_article_without_a_site_name_is_given_the_outlet_its_address_names() -> None:
    pasted = read_pasted("Council votes\n\nThe town council voted on Friday to sell the old harbour.")
    d = Draft()
    for url in ("https://www.harbour-news.org/2024/vote", "http://harbour-news.org/other", "https://radio.example/x"):
        d = add_article(d, pasted.model_copy(update={"url": url}))
    assert [(o.id, o.name) for o in d.outlets] == [
        ("harbour-news-org", "harbour-news.org"),  # "www." and the scheme are no part of the name
        ("radio-example", "radio.example"),
    ]
    assert [a.outlet for a in d.articles] == ["harbour-news-org", "harbour-news-org", "radio-example"]
    assert len({a.id for a in d.articles}) == 3  # one outlet, two articles: each its own id
