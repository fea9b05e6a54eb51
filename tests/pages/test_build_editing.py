"""The Build page's tables as data (views/build/editing.py): a cell edit is the teacher's own value, a
suggestion stays one until accepted, and nothing the teacher did not touch changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.build.draft import Draft
from dashboard.build.extract import read_article
from dashboard.build.suggest import add_article
from dashboard.views.build import editing as ed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "build"


@pytest.fixture(scope="module")
def draft() -> Draft:
    made = Draft()
    for name, outlet in (("gazette.txt", "The Example Gazette"), ("radio.txt", "Example Community Radio")):
        made = add_article(made, read_article(name, (FIXTURES / name).read_bytes()), {"name": outlet})
    return made


def _row(frame, needle: str):
    return next(r for i, r in frame.iterrows() if needle in r["quote"])


def test_a_claim_row_shows_the_suggestion_marked_until_a_cell_edit_makes_it_the_teachers(draft: Draft) -> None:
    gazette = draft.articles[0].id
    frame = ed.claim_rows(draft, gazette, ed.Problems(()))
    ids = list(frame.index)
    row = _row(frame, "Jane Doe said")
    assert (row["speaker"], row["kind"], row["accept"]) == ("jane_doe", "direct", False)
    assert "speaker" in row["suggested"] and "kind" in row["suggested"]
    position = ids.index(row.name)
    edited = ed.apply_claim_edits(draft, ids, {position: {"kind": "paraphrase"}})
    claim = edited.claim(row.name)
    assert claim.kind == "paraphrase" and claim.accepted == {"kind": True}
    after = _row(ed.claim_rows(edited, gazette, ed.Problems(())), "Jane Doe said")
    assert after["kind"] == "paraphrase" and "kind" not in after["suggested"] and "speaker" in after["suggested"]
    assert draft.claim(row.name).kind is None  # the held draft is never changed in place


def test_ticking_accept_takes_every_suggestion_of_the_row_and_unticking_keep_leaves_it_out(draft: Draft) -> None:
    gazette = draft.articles[0].id
    frame = ed.claim_rows(draft, gazette, ed.Problems(()))
    ids = list(frame.index)
    position = ids.index(_row(frame, "Jane Doe said").name)
    edited = ed.apply_claim_edits(draft, ids, {position: {"accept": True}, 0: {"keep": False}})
    claim = edited.claim(ids[position])
    assert (claim.speaker, claim.kind) == ("jane_doe", "direct")
    assert ed.pending(claim) == [] and claim.accepted["speaker"]
    assert edited.claim(ids[0]).keep is False
    others = [c for c in edited.claims if c.id not in (ids[position], ids[0])]
    assert all(not c.accepted for c in others)


def test_facts_and_actors_are_edited_in_place_and_an_actor_can_be_added(draft: Draft) -> None:
    article = draft.articles[1].id
    edited = ed.apply_fact_edits(draft, "articles", [a.id for a in draft.articles], {1: {"authors": "B. Host; C. Two"}})
    assert edited.article(article).authors == ["B. Host", "C. Two"]
    outlets = [o.id for o in draft.outlets]
    edited = ed.apply_fact_edits(edited, "outlets", outlets, {0: {"kind": "local daily", "name": ""}})
    assert edited.outlets[0].kind == "local daily" and edited.outlets[0].name == "The Example Gazette"
    ids = [a.id for a in edited.actors]
    doe = ids.index("jane_doe")
    edited = ed.apply_actor_edits(edited, ids, {doe: {"camp": "council"}}, [{"name": "Harbour Trust", "camp": "x"}])
    assert edited.actor("jane_doe").camp == "council" and edited.actor("jane_doe").confirmed
    added = edited.actor("harbour_trust")
    assert added is not None and added.confirmed and added.camp == "x"


def test_an_optional_row_without_what_it_needs_is_kept_back_with_a_message(draft: Draft) -> None:
    frame = ed.optional_rows(draft, "issues")
    state = {"added_rows": [{"id": "sale", "question": "Should the harbour be sold?"}, {"short": "no id"}]}
    edited, errors = ed.apply_optional(draft, "issues", frame, state)
    assert [i.id for i in edited.issues] == ["sale"]
    assert errors == ["Issues, row 2: give its id and question; the row is not kept yet."]
    steps, errors = ed.apply_optional(
        edited, "steps", ed.optional_rows(edited, "steps"), {"added_rows": [{"title": "Start", "page": "timeline"}]}
    )
    assert errors == [] and steps.paths[0].steps[0].page == "timeline"


def test_an_event_groups_claims_and_removing_a_text_takes_its_claims_out_of_events(draft: Draft) -> None:
    gazette, radio = (a.id for a in draft.articles)
    picked = [c.id for c in draft.claims][:1] + [c.id for c in draft.claims if c.article == radio][:1]
    edited = ed.add_event(draft, "Harbour sold", "2024-02-29", "Decisions", "The council sold it.", picked)
    edited = ed.add_event(edited, "Harbour sold", "2024-03", "", "", [])
    assert [e.id for e in edited.events] == ["harbour-sold", "harbour-sold-2"]
    dropped = ed.drop_article(edited, gazette)
    assert [a.id for a in dropped.articles] == [radio]
    assert dropped.events[0].claims == picked[1:]
    assert all(c.article == radio for c in dropped.claims)


def test_a_stale_row_an_unticked_accept_and_a_list_cell_change_only_what_the_teacher_typed(draft: Draft) -> None:
    gazette = draft.articles[0].id
    frame = ed.claim_rows(draft, gazette, ed.Problems(()))
    ids = list(frame.index)
    position = ids.index(_row(frame, "Jane Doe said").name)
    edited = ed.apply_claim_edits(
        draft, ids, {position: {"accept": False, "scare_quotes": "fair; ; sold "}, len(ids): {"keep": False}}
    )
    claim = edited.claim(ids[position])
    assert claim.scare_quotes == ["fair", "sold"] and claim.accepted == {"scare_quotes": True}
    assert claim.speaker is None and "speaker" in ed.pending(claim)  # an unticked Accept accepts nothing
    assert [c.keep for c in edited.claims] == [c.keep for c in draft.claims]  # a row past the table: ignored


def test_an_actor_keeps_its_name_and_a_second_actor_of_the_same_name_gets_its_own_id(draft: Draft) -> None:
    ids = [a.id for a in draft.actors]
    doe = ids.index("jane_doe")
    edited = ed.apply_actor_edits(
        draft,
        ids,
        {doe: {"name": "  ", "keep": False, "aliases": "Doe; J. Doe"}, len(ids) + 3: {"name": "Ghost"}},
        [{"name": "Jane Doe"}, {"name": "Jane Doe"}, {"name": " ", "camp": "nobody"}],
    )
    doe_actor = edited.actor("jane_doe")
    assert doe_actor.name == draft.actor("jane_doe").name and doe_actor.confirmed is False
    assert doe_actor.aliases == ["Doe", "J. Doe"]
    assert [a.id for a in edited.actors][len(ids) :] == ["jane_doe_2", "jane_doe_3"]  # the nameless row is not added
    assert not any(a.name == "Ghost" for a in edited.actors)


def test_a_facts_edit_past_the_table_or_in_a_column_it_does_not_own_changes_nothing(draft: Draft) -> None:
    ids = [a.id for a in draft.articles]
    edited = ed.apply_fact_edits(draft, "articles", ids, {0: {"id": "renamed", "kind": "x"}, 9: {"headline": "No"}})
    assert edited == draft


def test_an_event_is_changed_and_dropped_by_its_id_alone(draft: Draft) -> None:
    two = ed.add_event(ed.add_event(draft, "Sold", "2024-02", "", "", []), "Kept", "2024-03", "", "", [])
    changed = ed.set_event(two, "sold", title="  Harbour sold ", summary="  ")
    assert [(e.title, e.summary) for e in changed.events] == [("Harbour sold", None), ("Kept", None)]
    assert [e.id for e in ed.drop_event(changed, "sold").events] == ["kept"]
    assert [e.title for e in two.events] == ["Sold", "Kept"]  # the held draft is never changed in place


def test_an_optional_table_keeps_edited_rows_lists_its_evidence_and_counts_minutes(draft: Draft) -> None:
    positions, errors = ed.apply_optional(
        draft,
        "positions",
        ed.optional_rows(draft, "positions"),
        {"added_rows": [{"actor": "jane_doe", "issue": "sale", "stance": "for", "evidence": "c1; c2"}]},
    )
    assert errors == [] and positions.positions[0].evidence == ["c1", "c2"]
    frame = ed.optional_rows(positions, "positions")
    again, _ = ed.apply_optional(positions, "positions", frame, {"edited_rows": {0: {"stance": "against"}, 5: {}}})
    assert [(p.stance, p.evidence) for p in again.positions] == [("against", ["c1", "c2"])]
    steps, errors = ed.apply_optional(
        draft,
        "steps",
        ed.optional_rows(draft, "steps"),
        {"added_rows": [{"title": "Start", "page": "timeline", "minutes": 5.0}]},
    )
    assert errors == [] and steps.paths[0].steps[0].minutes == 5
