"""The "Build a story" page (AppTest): texts in, suggestions marked until accepted, events, checks beside
their record, open in the views, save / open / delete by the edit link, and bad input said plainly with
nothing of the draft lost.

Two short invented articles (tests/pages/fixtures/build) stand in for a teacher's texts. Each test has its
own store file (NT_ROOMS_URL).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from page_kit import goto, open_page
from streamlit.testing.v1 import AppTest

from dashboard.build.draft import Draft
from dashboard.data.dataset import check_dataset
from dashboard.rooms import RoomStore
from dashboard.rooms.drafts import DraftStore
from dashboard.rooms.engine import ENV_URL
from dashboard.shell.loading import UPLOAD_KEY
from dashboard.views.build.page import DRAFT, PENDING_FILE, SAVED

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "build"
TEXTS = (("gazette.txt", "The Example Gazette"), ("radio.txt", "Example Community Radio"))


@pytest.fixture(autouse=True)
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    return url


def paste(at: AppTest, text: str, outlet: str = "") -> AppTest:
    at.text_input(key="build.outlet").input(outlet)
    paste_box(at).input(text)
    at.button(key="build.add_paste").click()
    return at.run()


def paste_box(at: AppTest):
    return next(t for t in at.text_area if t.label == "Article text")


def with_two_texts() -> AppTest:
    at = open_page("build")
    for name, outlet in TEXTS:
        paste(at, (FIXTURES / name).read_text(encoding="utf-8"), outlet)
    assert not at.exception and not at.error
    return at


def draft_of(at: AppTest) -> Draft:
    return at.session_state[DRAFT]


def claim_tables(at: AppTest) -> list:
    return [d.value for d in at.dataframe if "suggested" in d.value.columns and "quote" in d.value.columns]


def messages(at: AppTest, kind: str = "error") -> str:
    return " ".join(e.value for e in getattr(at, kind)).replace("\\", "")


def test_the_page_is_in_the_menu_after_the_views() -> None:
    at = open_page("build")
    assert not at.exception
    assert at.title[0].value == "Build a story"
    assert [h.value for h in at.header] == ["1. Texts"]  # nothing to code before a text is added


def test_pasted_texts_become_claims_whose_suggestions_stay_marked_until_accepted() -> None:
    at = with_two_texts()
    draft = draft_of(at)
    assert [o.name for o in draft.outlets] == [name for _, name in TEXTS]
    headlines = ["Council votes to sell the old harbour", "Residents protest harbour sale"]
    assert [a.headline for a in draft.articles] == headlines
    assert draft.articles[0].date == "2024-03-02" and draft.articles[0].authors == ["A. Reporter"]
    tables = claim_tables(at)
    assert len(tables) == 2
    gazette = tables[0]
    quote = gazette[gazette["quote"].str.contains("Mayor Jane Doe said")].iloc[0]
    assert (quote["speaker"], quote["kind"]) == ("jane_doe", "direct")
    assert "speaker" in quote["suggested"] and not quote["accept"]  # only a suggestion so far
    assert all(t["suggested"].str.len().gt(0).all() for t in tables)
    assert all(not c.accepted for c in draft.claims)

    at.button(key="build.accept_all").click().run()
    tables = claim_tables(at)
    assert all((t["suggested"] == "").all() and t["accept"].all() for t in tables)
    draft = draft_of(at)
    doe = next(c for c in draft.claims if "Jane Doe said" in c.quote)
    assert (doe.speaker, doe.kind, doe.accepted["speaker"]) == ("jane_doe", "direct", True)
    assert {a.id for a in draft.actors if a.confirmed} >= {"jane_doe", "tom_lee"}


def test_one_articles_suggestions_are_accepted_alone_and_the_rules_are_one_click_away() -> None:
    at = with_two_texts()
    first, second = (a.id for a in draft_of(at).articles)
    at.button(key=f"build.accept.{first}").click().run()
    draft = draft_of(at)
    assert all(c.accepted for c in draft.claims if c.article == first)
    assert not any(c.accepted for c in draft.claims if c.article == second)
    rules = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "said-name" in rules or "name-said" in rules  # the attribution rule behind "…, Mayor Jane Doe said"
    assert "codebook: speaker and kind" in rules
    assert any("Read the codebook" in link.label for link in at.get("page_link"))


def test_an_event_groups_claims_and_the_own_voice_check_flags_a_loaded_word_in_its_summary() -> None:
    at = with_two_texts()
    at.button(key="build.accept_all").click().run()
    claims = [c.id for c in draft_of(at).claims][1:3]
    at.text_input(key="build.new_event.date").input("2024-02-29")
    next(b for b in at.button if b.label == "Add the event").click()
    at.run()
    assert "An event needs a title." in messages(at) and not draft_of(at).events  # refused, said plainly
    at.text_input(key="build.new_event.title").input("Council votes to sell the harbour")
    at.text_input(key="build.new_event.date").input("2024-02-29")
    at.text_input(key="build.new_event.category").input("Decisions")
    at.text_area(key="build.new_event.summary").input("The council regime sold the harbour.")
    at.multiselect(key="build.new_event.claims").set_value(claims)
    next(b for b in at.button if b.label == "Add the event").click()
    at.run()
    event = draft_of(at).events[0]
    assert (event.title, event.date, event.category, event.claims) == (
        "Council votes to sell the harbour",
        "2024-02-29",
        "Decisions",
        claims,
    )
    flagged = messages(at, "warning")
    assert "summary: event council-votes-to-sell-the-harbour summary: 'regime'" in flagged
    summary = f"build.event.{event.id}.summary"
    at.text_area(key=summary).input("The council voted to sell the harbour.").run()  # reworded: the flag goes
    assert "regime" not in messages(at, "warning")
    assert draft_of(at).events[0].summary == "The council voted to sell the harbour."
    picker = next(m for m in at.multiselect if m.key.startswith(f"build.event.{event.id}.claims."))
    picker.set_value(claims[:1]).run()
    assert draft_of(at).events[0].claims == claims[:1]
    at.button(key=f"build.event.{event.id}.drop").click().run()
    assert not draft_of(at).events and not any(t.key.startswith("build.event.") for t in at.text_input)


def test_a_relative_date_is_suggested_with_the_words_it_came_from() -> None:
    at = with_two_texts()
    dates = next(d.value for d in at.dataframe if "in" in d.value.columns)
    rows = {(r.words, r.date) for r in dates.itertuples()}
    assert ("on Thursday", "2024-02-29") in rows  # the gazette of Saturday 2 March 2024
    assert any(words == "last week" for words, _ in rows)


def test_a_problem_is_shown_beside_the_claim_it_names() -> None:
    at = with_two_texts()
    at.button(key="build.accept_all").click().run()
    draft = draft_of(at).model_copy(deep=True)
    doe = next(c for c in draft.claims if "Jane Doe said" in c.quote)
    doe.speaker = "narration"  # the outlet's own voice, yet a direct quote: the validator says no
    at.session_state[DRAFT] = draft
    at.run()
    table = claim_tables(at)[0].set_index("quote")
    row = next(r for q, r in table.iterrows() if "Jane Doe said" in q)
    assert "kind is 'narration' exactly when speaker is 'narration'" in row["problems"]
    assert not any(r["problems"] for q, r in table.iterrows() if "Jane Doe said" not in q)
    at.text_input(key="build.title").input("  Harbour sale  ").run()
    assert draft_of(at).meta.title == "Harbour sale"
    at.button(key="build.open").click().run()  # a draft the validator refuses is not opened in the views
    said = messages(at)
    assert "The draft could not be opened in the views:" in said and "speaker is 'narration'" in said
    assert UPLOAD_KEY not in at.session_state and not [p for p in at.get("page_link") if p.label == "Timeline"]
    at.run()
    assert "could not be opened" not in messages(at)  # said once, for the click that asked


def test_open_in_the_dashboard_shows_the_draft_in_every_view_for_this_tab() -> None:
    at = with_two_texts()
    at.button(key="build.accept_all").click().run()
    at.button(key="build.open").click().run()
    assert not at.exception and not messages(at)
    handle = at.session_state[UPLOAD_KEY]
    links = {link.label: link for link in at.get("page_link")}
    for view in ("Timeline", "Actor positions", "Compare outlets", "Guess the outlet"):
        match = links[view]
        assert parse_qs(match.proto.query_string)["story"] == [handle.token]
    goto(at, "timeline", {"story": handle.token})
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.get("markdown")) + " ".join(str(e.value) for e in at.info)
    assert "uploaded story" in shown


def test_the_yaml_download_is_a_story_the_validator_accepts(tmp_path: Path) -> None:
    from dashboard.build.story import to_yaml

    at = with_two_texts()
    at.button(key="build.accept_all").click().run()
    path = tmp_path / "story.yaml"
    path.write_text(to_yaml(draft_of(at)), encoding="utf-8")
    dataset, problems = check_dataset(path)
    assert problems == [] and dataset is not None
    assert len(dataset.articles) == 2 and {a.id for a in dataset.actors} >= {"jane_doe", "tom_lee"}
    assert yaml.safe_load(path.read_text())["meta"]["title"]


def test_save_gives_the_edit_link_once_and_the_link_opens_the_draft_with_its_key_off_the_address(
    store_url: str,
) -> None:
    at = with_two_texts()
    at.button(key="build.save").click().run()
    assert "Saved" in messages(at, "success")
    link = next(c.value for c in at.code if "/build?" in c.value)
    at.run()
    assert not any("/build?" in c.value for c in at.code)  # shown once
    query = parse_qs(urlsplit(link).query)
    draft_id, key = query["draft"][0], query["key"][0]
    assert len(key) >= 32

    tomorrow = open_page("build", {"draft": draft_id, "key": key})
    assert not tomorrow.exception
    assert "Opened the saved draft" in messages(tomorrow, "success")
    assert [a.headline for a in draft_of(tomorrow).articles] == [a.headline for a in draft_of(at).articles]
    assert "key" not in tomorrow.query_params and "draft" not in tomorrow.query_params
    goto(tomorrow, "build", {"draft": draft_id})  # Back to the link, its key gone: this tab has the draft open
    assert not messages(tomorrow) and draft_of(tomorrow).articles

    paste(tomorrow, "A third text. It says little.", "Third Outlet")
    tomorrow.button(key="build.save").click().run()
    assert "Saved. The draft is kept until" in messages(tomorrow, "success")
    again = open_page("build", {"draft": draft_id, "key": key})
    assert len(draft_of(again).articles) == 3


def test_delete_needs_the_confirmation_and_then_removes_the_draft_at_once() -> None:
    at = with_two_texts()
    at.button(key="build.save").click().run()
    draft_id, key = at.session_state[SAVED]
    at.button(key="build.delete").click().run()
    assert "Tick “Yes, delete it” first" in messages(at, "info")
    assert draft_of(at).articles  # nothing deleted
    at.checkbox(key="build.delete_sure").check().run()
    at.button(key="build.delete").click().run()
    assert "deleted from this page and from the server" in messages(at, "success")
    assert not draft_of(at).articles
    gone = open_page("build", {"draft": draft_id, "key": key})
    assert "There is no draft" in messages(gone) and not draft_of(gone).articles


def test_unknown_wrong_key_and_expired_links_each_say_so_and_keep_the_draft_on_the_page(store_url: str) -> None:
    live = DraftStore(RoomStore.from_url(store_url)).create(Draft().model_dump_json())  # first: making one purges
    unreadable = DraftStore(RoomStore.from_url(store_url)).create('{"articles": "not a list"}')
    old = DraftStore(RoomStore.from_url(store_url, clock=lambda: datetime(2020, 1, 1, tzinfo=UTC)))
    expired = old.create(Draft().model_dump_json())
    at = with_two_texts()
    before = draft_of(at)
    for params, said in (
        ({"draft": unreadable.draft_id, "key": unreadable.key}, "could not be read by this version of the app"),
        ({"draft": "nosuchdraft", "key": "x"}, "There is no draft “nosuchdraft”"),
        ({"draft": live.draft_id, "key": "not-the-key"}, "key does not belong to the draft"),
        ({"draft": expired.draft_id, "key": expired.key}, "This draft expired on 31 January 2020"),
        ({"draft": live.draft_id}, "This edit link has no key"),
    ):
        goto(at, "build", params)
        assert said in messages(at), params
        assert draft_of(at) == before  # nothing lost
        assert "key" not in at.query_params


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("   \n\n  ", "pasted text: no article text found"),
        ("word " * 420_000, "pasted text: 2,100,000 characters; the limit is 200,000"),
    ],
    ids=["empty", "2-MB"],
)
def test_a_bad_paste_is_refused_with_a_message_and_nothing_is_lost(text: str, said: str) -> None:
    at = with_two_texts()
    before = draft_of(at)
    paste(at, text)
    assert said in messages(at)
    assert "Nothing was added; the draft is unchanged" in messages(at)
    assert draft_of(at) == before
    assert paste_box(at).value == text  # the teacher's text is still in the box


def _docx(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


HOSTILE = {
    "zip-bomb": ("bomb.docx", _docx({"word/document.xml": b"\0" * (60 * 1024 * 1024)}), "looks like a zip bomb"),
    "not-a-zip": ("fake.docx", b"this is plain text, not a Word file", "not a Word (.docx) file"),
    "not-utf-8": ("latin.txt", "Café au lait, señor.".encode("latin-1"), "is not UTF-8"),
    "not-an-article-type": ("story.pdf", b"%PDF-1.4", "use .txt, .html or .docx"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_bad_file_is_read_in_the_checker_and_refused_with_a_message(case: str) -> None:
    name, data, said = HOSTILE[case]
    at = with_two_texts()
    before = draft_of(at)
    at.session_state[PENDING_FILE] = (name, data)  # what the uploader hands the next run
    at.run()
    assert not at.exception
    assert said in messages(at) and "Nothing was added; the draft is unchanged" in messages(at)
    assert draft_of(at) == before


def test_html_full_of_scripts_is_read_as_text_and_shown_escaped() -> None:
    html = (
        b"<html lang='en'><head><title>Harbour <b>sale</b></title><script>alert('head')</script></head><body>"
        b"<script>document.cookie</script><article><h1>Harbour sale</h1>"
        b"<p>The council voted to sell the harbour on Thursday, officials said.</p>"
        b'<p>"It is a <i>fair</i> price," the mayor said. <img src=x onerror=alert(1)></p>'
        b"<p>[click](javascript:alert(1)) and :red[colour] stay text.</p></article>"
        b"<style>body{display:none}</style></body></html>"
    )
    at = open_page("build")
    at.session_state[PENDING_FILE] = ("harbour.html", html)
    at.run()
    assert not at.exception and not messages(at)
    article = draft_of(at).articles[0]
    for bad in ("<script", "alert('head')", "document.cookie", "onerror", "<img", "display:none"):
        assert bad not in article.text
    quotes = " ".join(claim_tables(at)[0]["quote"])
    assert "council voted to sell the harbour" in quotes
    shown = " ".join(m.value for m in at.markdown) + " ".join(e.label for e in at.expander)
    assert "<b>" not in shown and "<script" not in shown


def test_a_draft_already_gone_from_the_server_is_saved_anew_and_deleted_from_the_page(store_url: str) -> None:
    at = paste(open_page("build"), "The council met on Monday. It voted.", "Small Outlet")
    at.button(key="build.save").click().run()
    first_id, first_key = at.session_state[SAVED]
    DraftStore(RoomStore.from_url(store_url)).delete(first_id, first_key)  # deleted from another tab, or purged
    at.button(key="build.save").click().run()
    assert "There is no draft" in messages(at) and "The draft on this page is unchanged" in messages(at)
    assert at.button(key="build.save").label == "Save and make the edit link"  # the dead link is forgotten
    at.button(key="build.save").click().run()
    second_id, second_key = at.session_state[SAVED]
    assert second_id != first_id and any("/build?" in c.value for c in at.code)
    DraftStore(RoomStore.from_url(store_url)).delete(second_id, second_key)
    at.checkbox(key="build.delete_sure").check().run()
    at.button(key="build.delete").click().run()
    assert not draft_of(at).articles and SAVED not in at.session_state  # deleted from the page all the same
    assert "already gone from the server" in messages(at, "success")


def test_with_uploads_off_the_upload_tab_says_so_and_pasting_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOADS", "off")
    at = open_page("build")
    assert "Uploads are turned off on this server" in messages(at, "info")
    assert not at.get("file_uploader")
    paste(at, "The council met on Monday. It voted.", "Small Outlet")
    assert len(draft_of(at).articles) == 1
