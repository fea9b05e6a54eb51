"""Build a story: texts in, the coding suggested and checked as the teacher goes, a story every view opens.

The draft lives in this tab's session ("build.draft"); every change makes a new draft (editing.py).
Its problems (``check``) are worked out once per draft and shown beside the record they name.
Saved, the draft is kept in the store under a secret edit link, shown once and only on request.
An uploaded article is read in the upload checker's child process, under the upload limits.
Everything that came from a text is shown as text (``md``, tables), never as markup.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.build.draft import Draft
from dashboard.build.extract import SUFFIXES, BuildInputError, SourceText, read_pasted
from dashboard.build.story import check, to_yaml
from dashboard.build.suggest import add_article
from dashboard.markup.safe import md
from dashboard.rooms import DraftNotFound, RoomError
from dashboard.rooms.connection import draft_store
from dashboard.shell import public_address
from dashboard.shell.loading import PROBLEMS_KEY, UPLOAD_KEY, queue_story, story_params
from dashboard.shell.page import Page
from dashboard.shell.streamlit_internals import forget_uploaded_file
from dashboard.shell.targets import page_of
from dashboard.uploads import limits as upload_limits
from dashboard.uploads.spool import Spooled, spool
from dashboard.uploads.worker import call_in_checker
from dashboard.views.build import editing as ed
from dashboard.views.checks import view_checks

DRAFT = "build.work"  # the draft this tab is building ("build.draft" is the link setting's key)
REV = "build.rev"  # bumped when the draft changes other than through a table: the tables start afresh
SAVED = "build.saved"  # (draft id, edit key) of the stored draft this tab edits
LINK = "build.link"  # an edit link just made: shown once, in the Save popover
FLASH = "build.flash"  # messages from a callback, shown on the next run: (kind, text)
CHECKED = "build.checked"  # (the draft, its hash, its Problems): checked once per draft
SEEDED = "build.seeded"  # (revision, the inputs given the draft's value since it)
OPENED = "build.opened"  # the draft was sent to the views: say where to see it
PASTE = "build.paste"  # the paste box: "build.paste.N", a new empty one after each text added
PASTES = "build.pastes"
OUTLET = "build.outlet"
PENDING_FILE = "build.pending_file"  # (name, file) taken from the uploader, read at the start of the next run
UPLOADS = "build.uploads"  # how many files the uploader has taken (its key: a new, empty uploader each time)
OPEN_VIEWS = ("timeline", "positions", "compare", "quiz")


def render(page: Page) -> None:
    st.title("Build a story")
    _open_from_link(page)
    page.publish()
    st.caption(
        "Turn three to six articles into a story every view can show. The builder splits each text into "
        "sentences and suggests the coding by the codebook's rules; a suggestion stays marked until you accept "
        "it, and the checks run as you go. Nothing here is public: open the story in the views for this tab, "
        "download it, or save it under a secret edit link."
    )
    _read_pending_file()
    _flash()
    draft = _draft()
    problems = _problems(draft)

    st.header("1. Texts")
    if draft.articles:
        _facts(draft)
    _add_text(draft)

    if not draft.articles:
        return
    st.header("2. Claims")
    st.caption(
        "One row per sentence. Values in force are yours once you change or accept them; until then the "
        "“Suggested” column names the fields that are only suggestions. Untick “Keep” to leave a sentence out."
    )
    st.button(
        "Accept all suggestions",
        key="build.accept_all",
        icon=":material/done_all:",
        on_click=_change,
        args=(ed.accept_article,),
        help="Every suggested value of every article becomes yours (you can still change any cell).",
    )
    for article in draft.articles:
        _claims(article.id)

    st.header("3. Actors")
    _actors(draft)

    st.header("4. Events")
    _events(draft, problems)

    st.header("5. Positions, prompts and a presenter path")
    _optional(draft, problems)

    st.header("6. Check")
    _check(problems)

    st.header("7. Use it")
    _use_it(page, draft, problems)


# --- the draft in the session --------------------------------------------------------------------


def _draft() -> Draft:
    return st.session_state.setdefault(DRAFT, Draft())


def _set_draft(draft: Draft, *, fresh: bool = True) -> None:
    st.session_state[DRAFT] = draft
    if fresh:
        st.session_state[REV] = st.session_state.get(REV, 0) + 1


def _rev() -> int:
    return st.session_state.get(REV, 0)


def _change(edit: Callable[..., Draft], *args: Any) -> None:
    """A button's callback: the draft through ``edit``."""
    _set_draft(edit(_draft(), *args))


def _say(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def _flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        icon = {"error": ":material/error:", "success": ":material/check_circle:"}.get(kind, ":material/info:")
        getattr(st, kind)(md(text), icon=icon)


def _problems(draft: Draft) -> ed.Problems:
    """The draft's problems, checked once per draft (a check is the validator and the audit on its story)."""
    held = st.session_state.get(CHECKED)
    if held is not None and held[0] is draft:  # drafts are never changed in place: the same one, the same problems
        return held[2]
    digest = hashlib.sha256(draft.model_dump_json().encode("utf-8")).hexdigest()
    if held is not None and held[1] == digest:
        st.session_state[CHECKED] = (draft, digest, held[2])
        return held[2]
    found = ed.Problems(tuple(check(draft, checks=view_checks()))) if draft.articles else ed.Problems(())
    st.session_state[CHECKED] = (draft, digest, found)
    return found


def _show_problems(found: list[Any]) -> None:
    for p in found:
        field = f"{p.field[2]}: " if len(p.field) > 2 and p.field[2] else ""
        what = "Codebook" if p.audit else "Problem"
        st.warning(md(f"{what}: {field}{p.message}"), icon=":material/rule:")


# --- opening a saved draft ----------------------------------------------------------------------


def _open_from_link(page: Page) -> None:
    """An edit link (``?draft=ID&key=KEY``) opens its draft in this tab; the key leaves the address at once."""
    draft_id, key = str(page.value("draft") or ""), str(page.value("key") or "")
    if not draft_id and not key:
        return
    page.set("key", "")
    page.set("draft", "")
    held = st.session_state.get(SAVED)
    if held is not None and held[0] == draft_id and not key:
        return  # this tab has it open already
    if not key:
        _say("error", "This edit link has no key: open the whole link you were given when the draft was saved.")
        return
    try:
        saved = draft_store().load(draft_id, key)
        draft = Draft.model_validate_json(saved.body)
    except RoomError as err:
        _say("error", f"{err} The draft on this page, if any, is unchanged.")
        return
    except ValueError:
        _say(
            "error",
            "The saved draft could not be read by this version of the app. The draft on this page is unchanged.",
        )
        return
    _set_draft(draft)
    st.session_state[SAVED] = (saved.draft_id, key)
    _say("success", f"Opened the saved draft. It is kept until {saved.expires_at:%-d %B %Y}, 30 days after each save.")


# --- 1. texts ------------------------------------------------------------------------------------


def _facts(draft: Draft) -> None:
    """The texts' facts and their outlets' facts, in two tables; each cell is editable, empty where not known."""
    problems = _problems(draft)
    st.caption(
        "Facts read from each text are filled in (“Read from the text” says which); change any, and leave a "
        "fact empty where it is not known. Dates may be partial: 2024, 2024-03 or 2024-03-02."
    )
    frame = ed.article_rows(draft, problems)
    key = f"build.articles.{_rev()}"
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_order=["outlet", *ed.ARTICLE_FACTS, "words", "found", "problems"],
        column_config={
            "outlet": st.column_config.TextColumn("Outlet", disabled=True),
            "headline": st.column_config.TextColumn("Headline", width="medium"),
            "date": st.column_config.TextColumn("Date", help="2024, 2024-03 or 2024-03-02"),
            "authors": st.column_config.TextColumn("Authors", help="Separate several with “;”."),
            "url": st.column_config.TextColumn("URL"),
            "language": st.column_config.TextColumn("Language", help="A language code: en, es, pt."),
            "words": st.column_config.NumberColumn("Words", disabled=True),
            "found": st.column_config.TextColumn("Read from the text", disabled=True),
            "problems": st.column_config.TextColumn("Problems", disabled=True, width="medium"),
        },
        on_change=_edit_facts,
        args=("articles", key, list(frame["id"])),
    )
    st.markdown("**The outlets**, described by facts only, as the codebook says")
    frame = ed.outlet_rows(draft, problems)
    key = f"build.outlets.{_rev()}"
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_order=[*ed.OUTLET_FACTS, "problems"],
        column_config={
            "name": st.column_config.TextColumn("Name", required=True),
            "kind": st.column_config.TextColumn("Kind", help="What it is: “national daily newspaper”, “public radio”."),
            "country": st.column_config.TextColumn("Country"),
            "ownership": st.column_config.TextColumn("Ownership", help="Who owns it: a company, the state, …"),
            "funding": st.column_config.TextColumn("Funding", help="Advertising, subscriptions, licence fee, …"),
            "language": st.column_config.TextColumn("Language", help="A language code: en, es, pt."),
            "problems": st.column_config.TextColumn("Problems", disabled=True, width="medium"),
        },
        on_change=_edit_facts,
        args=("outlets", key, list(frame["id"])),
    )
    left, right = st.columns([2, 1])
    gone = left.selectbox(
        "Remove a text",
        [a.id for a in draft.articles],
        index=None,
        format_func=lambda i: md(draft.article(i).headline or i) if draft.article(i) else i,
        key=f"build.drop_pick.{_rev()}",
        placeholder="Choose a text to remove with its claims",
    )
    right.button(
        "Remove it",
        key="build.drop",
        icon=":material/delete:",
        disabled=gone is None,
        on_click=_change,
        args=(ed.drop_article, gone),
    )


def _edit_facts(section: str, key: str, ids: list[str]) -> None:
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    _set_draft(ed.apply_fact_edits(_draft(), section, ids, edits))


def _add_text(draft: Draft) -> None:
    limits = upload_limits.current()
    outlet_help = "The outlet's name; left empty, it is read from the file (its site name) where it can be."
    with st.container(border=True):
        st.markdown("**Add an article**" if draft.articles else "**Add your first article**")
        paste, upload = st.tabs(["Paste the text", "Upload a file"])
        with paste, st.form("build.paste_form", border=False):  # one submit: nothing races a rerun
            st.text_input("Outlet (optional)", key=OUTLET, help=outlet_help)
            st.text_area(
                "Article text",
                key=_paste_key(),
                height=160,
                help="The first lines may give the headline, a “By AUTHOR” line and the date.",
            )
            st.form_submit_button("Add this text", key="build.add_paste", icon=":material/add:", on_click=_add_pasted)
        with upload:
            if not limits.enabled:
                st.info("Uploads are turned off on this server; paste the text instead.", icon=":material/block:")
                return
            st.text_input("Outlet of the file (optional)", key=OUTLET + ".upload", help=outlet_help)
            taken = st.session_state.get(UPLOADS, 0)
            file = st.file_uploader(
                "An article (.txt, .html or .docx)",
                type=[s.lstrip(".") for s in SUFFIXES],
                max_upload_size=max(1, math.ceil(limits.max_mb)),
                key=f"build.upload-{taken}",
            )
            if file is not None:
                # Read at the start of the next run, in the checker; meanwhile on disk, not in memory.
                st.session_state[PENDING_FILE] = (file.name, spool(file.getvalue(), file.name))
                forget_uploaded_file(file)  # the bytes are not kept for the session
                st.session_state[UPLOADS] = taken + 1  # a new, empty uploader
                st.rerun()


def _paste_key() -> str:
    return f"{PASTE}.{st.session_state.get(PASTES, 0)}"


def _outlet(key: str) -> dict[str, str] | None:
    name = " ".join(str(st.session_state.get(key, "")).split())
    return {"name": name} if name else None


def _add_source(source: SourceText, key: str) -> bool:
    try:
        _set_draft(add_article(_draft(), source, _outlet(key)))
    except ValueError as err:
        _say("error", f"The text could not be added: {err}")
        return False
    return True


def _add_pasted() -> None:
    text = str(st.session_state.get(_paste_key(), ""))
    try:
        source = read_pasted(text)
    except BuildInputError as err:
        _say("error", f"{err}. Nothing was added; the draft is unchanged.")
        return
    if _add_source(source, OUTLET):
        st.session_state[PASTES] = st.session_state.get(PASTES, 0) + 1  # added: a new, empty box for the next one
        _say("success", f"Added the pasted text ({len(source.text.split()):,} words).")


def _read_pending_file() -> None:
    """Read an uploaded article in the upload checker's child process, under the upload limits (a .docx is a
    zip: it is inflated there, never here)."""
    pending = st.session_state.pop(PENDING_FILE, None)
    if pending is None:
        return
    name, file = pending
    limits = upload_limits.current()
    with st.status(f"Reading {name}…", expanded=False) as status:
        spooled = isinstance(file, Spooled)
        try:
            called = call_in_checker(
                "dashboard.build.extract:read_article", name, file.path if spooled else file, limits
            )
        finally:
            if spooled:
                file.discard()
        if called.value is None:
            status.update(label=f"{name} was not added.", state="error")
            message = called.message if called.message.startswith(name) else f"{name}: {called.message}"
            _say("error", f"{message}. Nothing was added; the draft is unchanged.")
            return
        status.update(label=f"Read {name}.", state="complete")
    if _add_source(called.value, OUTLET + ".upload"):  # type: ignore[arg-type]
        _say("success", f"Added {name}.")


# --- 2. claims -----------------------------------------------------------------------------------


def _claims(article_id: str) -> None:
    """One article's claims table. Not a fragment: an edit changes what the actors, the events and the checks
    show, and the whole page redraws within the rerun budget (bench/README.md, "Build a story")."""
    draft = _draft()
    article = draft.article(article_id)
    if article is None:
        return
    problems = _problems(draft)
    frame = ed.claim_rows(draft, article_id, problems)
    st.subheader(md(article.headline or article.id), anchor=False)
    left, right = st.columns([1, 1])
    left.button(
        "Accept this article's suggestions",
        key=f"build.accept.{article_id}",
        icon=":material/done:",
        on_click=_change,
        args=(ed.accept_article, article_id),
    )
    with right.popover("The codebook's rules", icon=":material/menu_book:"):
        st.caption("Why each suggestion was made: the rule, and the codebook section that states it.")
        for rule in ed.rules_used(c for c in draft.claims if c.article == article_id):
            section = rule.anchor.partition("#")[2].replace("-", " ")
            st.markdown(md(f"{rule.rule}: {rule.rule_text} (codebook: {section})"))
        st.page_link(page_of("methods"), label="Read the codebook (Methods & data)", icon=":material/menu_book:")
    key = f"build.claims.{article_id}.{_rev()}"
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        height=min(400, 38 + 35 * max(1, len(frame))),
        column_order=[  # what a projector shows first: the sentence, who and how, and whether it is settled
            "keep",
            "quote",
            "speaker",
            "kind",
            "suggested",
            "accept",
            "problems",
            "source",
            "quote_span",
            "scare_quotes",
            "loaded_terms",
        ],
        column_config={
            "keep": st.column_config.CheckboxColumn("Keep", help="Untick to leave the sentence out of the story."),
            "quote": st.column_config.TextColumn("Sentence", disabled=True, width="large"),
            "speaker": st.column_config.SelectboxColumn(
                "Speaker",
                options=ed.speaker_options(draft),
                help="An actor's id, “narration” (the outlet's own voice) or “unnamed” (a source not named).",
            ),
            "kind": st.column_config.SelectboxColumn("Kind", options=list(ed.KINDS)),
            "source": st.column_config.TextColumn("Source as worded", help="For an unnamed source: its words."),
            "quote_span": st.column_config.TextColumn("Quoted words", help="A direct quote's words inside quotes."),
            "scare_quotes": st.column_config.TextColumn("Scare quotes", help="Separate several with “;”."),
            "loaded_terms": st.column_config.TextColumn(
                "Loaded terms", disabled=True, help="Found by the story's lexicon (mechanical)."
            ),
            "suggested": st.column_config.TextColumn(
                "Suggested", disabled=True, help="Fields whose value is still only a suggestion."
            ),
            "accept": st.column_config.CheckboxColumn("Accept", help="Accept every suggestion in the row."),
            "problems": st.column_config.TextColumn("Problems", disabled=True, width="medium"),
        },
        on_change=_edit_claims,
        args=(key, list(frame.index)),
    )


def _edit_claims(key: str, ids: list[str]) -> None:
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    _set_draft(ed.apply_claim_edits(_draft(), ids, edits))


# --- 3. actors -----------------------------------------------------------------------------------


def _actors(draft: Draft) -> None:
    st.caption(
        "Candidates from the speakers and the names in the texts, merged by alias. Confirm each one you keep "
        "(“Keep”), and give its camp, type and role; add one in the last row."
    )
    problems = _problems(draft)
    frame = ed.actor_rows(draft, problems)
    key = f"build.actors.{_rev()}"
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="dynamic",
        width="stretch",
        column_order=["keep", "name", "type", "camp", "role", "aliases", "speaks", "suggested", "problems"],
        column_config={
            "keep": st.column_config.CheckboxColumn("Keep"),
            "name": st.column_config.TextColumn("Name", required=True),
            "type": st.column_config.SelectboxColumn("Type", options=list(ed.ACTOR_TYPES)),
            "camp": st.column_config.TextColumn("Camp", help="The side the actor belongs to in this story."),
            "role": st.column_config.TextColumn("Role", help="A fact: “president”, “union leader”."),
            "aliases": st.column_config.TextColumn("Aliases", help="Other names in the texts; separate with “;”."),
            "speaks": st.column_config.CheckboxColumn("Speaks", disabled=True, help="A claim names it as speaker."),
            "suggested": st.column_config.TextColumn("Suggested", disabled=True),
            "problems": st.column_config.TextColumn("Problems", disabled=True, width="medium"),
        },
        on_change=_edit_actors,
        args=(key, list(frame["id"])),
    )


def _edit_actors(key: str, ids: list[str]) -> None:
    state = st.session_state.get(key, {})
    draft = ed.apply_actor_edits(_draft(), ids, state.get("edited_rows", {}), state.get("added_rows", []))
    gone = {ids[i] for i in state.get("deleted_rows", []) if i < len(ids)}
    if gone:
        draft.actors = [a for a in draft.actors if a.id not in gone]
    _set_draft(draft)


# --- 4. events -----------------------------------------------------------------------------------


def _events(draft: Draft, problems: ed.Problems) -> None:
    st.caption(
        "Group claims into events: a title, a date (2024, 2024-03 or 2024-03-02), a category and a summary in "
        "the story's own voice (the checks flag a loaded word in it)."
    )
    dates = ed.date_suggestions(draft)
    if not dates.empty:
        with st.expander("Dates the texts give relative to their own date", icon=":material/event:"):
            st.caption("Suggestions: each relative date resolved from its article's date, with the words it came from.")
            st.dataframe(
                dates,
                hide_index=True,
                width="stretch",
                column_config={"words": "Words", "date": "Suggested date", "in": "In the text", "article": "Article"},
            )
    claims = {c.id: c for c in draft.claims if c.keep}
    for event in draft.events:
        with st.container(border=True):
            base = f"build.event.{event.id}"
            for field, label in (("title", "Title"), ("date", "Date"), ("category", "Category")):
                _event_input(st.text_input, label, event.id, field, getattr(event, field) or "", f"{base}.{field}")
            _event_input(st.text_area, "Summary", event.id, "summary", event.summary or "", f"{base}.summary")
            st.multiselect(
                "Claims",
                options=list(claims),
                default=[c for c in event.claims if c in claims],
                format_func=lambda cid: ed.claim_label(claims[cid]),
                key=f"{base}.claims.{_rev()}",
                on_change=_edit_event_claims,
                args=(event.id, f"{base}.claims.{_rev()}"),
            )
            _show_problems(problems.of("events", event.id))
            st.button(
                "Remove this event",
                key=f"{base}.drop",
                icon=":material/delete:",
                on_click=_change,
                args=(ed.drop_event, event.id),
            )
    with st.form("build.new_event", clear_on_submit=True, border=True):
        st.markdown("**Add an event**")
        title = st.text_input("Title", key="build.new_event.title")
        left, right = st.columns(2)
        date = left.text_input("Date", key="build.new_event.date", help="2024, 2024-03 or 2024-03-02")
        category = right.text_input("Category", key="build.new_event.category", help="e.g. Talks, Protests")
        summary = st.text_area("Summary", key="build.new_event.summary", height=80)
        picked = st.multiselect(
            "Claims",
            options=list(claims),
            format_func=lambda cid: ed.claim_label(claims[cid]),
            key="build.new_event.claims",
        )
        if st.form_submit_button("Add the event", icon=":material/add:"):
            if not title.strip():
                st.error("An event needs a title.", icon=":material/error:")
            else:
                _set_draft(ed.add_event(_draft(), title, date, category, summary, picked))
                st.rerun()


def _seed(key: str, value: str) -> None:
    """Give an input the draft's value when the draft changed other than through it (one key holds which)."""
    rev, seeded = st.session_state.get(SEEDED, (None, set()))
    if rev != _rev():
        rev, seeded = _rev(), set()
    if key not in seeded:
        st.session_state[key] = value
        seeded.add(key)
    st.session_state[SEEDED] = (rev, seeded)


def _event_input(widget: Callable[..., Any], label: str, event_id: str, field: str, value: str, key: str) -> None:
    _seed(key, value)
    widget(label, key=key, on_change=_edit_event, args=(event_id, field, key))


def _edit_event(event_id: str, field: str, key: str) -> None:
    _set_draft(ed.set_event(_draft(), event_id, **{field: str(st.session_state.get(key, ""))}), fresh=False)


def _edit_event_claims(event_id: str, key: str) -> None:
    _set_draft(ed.set_event(_draft(), event_id, claims=list(st.session_state.get(key, []))), fresh=False)


# --- 5. optional -------------------------------------------------------------------------------


def _optional(draft: Draft, problems: ed.Problems) -> None:
    st.caption("Optional: what the actors stand for, questions for the class, and a path to present the story.")
    for section, label in ed.OPTIONAL.items():
        with st.expander(label, icon=":material/add_notes:"):
            frame = ed.optional_rows(draft, section)
            key = f"build.{section}.{_rev()}"
            st.data_editor(
                frame,
                key=key,
                hide_index=True,
                num_rows="dynamic",
                width="stretch",
                column_config=_optional_columns(section, draft),
                on_change=_edit_optional,
                args=(section, key, frame),
            )
            for p in problems.items:
                if p.field and p.field[0] == section:
                    _show_problems([p])


def _optional_columns(section: str, draft: Draft) -> dict[str, Any]:
    from dashboard.views import BY_ID

    pages = list(BY_ID)
    return {
        "issues": {
            "id": st.column_config.TextColumn("Id", help="Short, lower case: step_down_first"),
            "question": st.column_config.TextColumn("Question", width="large"),
            "short": st.column_config.TextColumn("Short name"),
        },
        "positions": {
            "actor": st.column_config.SelectboxColumn("Actor", options=[a.id for a in draft.actors]),
            "issue": st.column_config.SelectboxColumn("Issue", options=[i.id for i in draft.issues]),
            "stance": st.column_config.SelectboxColumn("Stance", options=list(ed.STANCES)),
            "since": st.column_config.TextColumn("Since", help="2024, 2024-03 or 2024-03-02"),
            "evidence": st.column_config.TextColumn("Evidence", help="Claim ids, separated by “;”."),
        },
        "prompts": {
            "id": st.column_config.TextColumn("Id"),
            "text": st.column_config.TextColumn("Question", width="large"),
            "page": st.column_config.SelectboxColumn("Page", options=pages),
        },
        "steps": {
            "title": st.column_config.TextColumn("Title"),
            "page": st.column_config.SelectboxColumn("Page", options=pages),
            "prompt": st.column_config.TextColumn("Prompt id"),
            "note": st.column_config.TextColumn("Note for the teacher", width="medium"),
            "minutes": st.column_config.NumberColumn("Minutes", min_value=1, max_value=120, step=1),
        },
    }[section]


def _edit_optional(section: str, key: str, frame: Any) -> None:
    state = st.session_state.get(key, {})
    draft, errors = ed.apply_optional(_draft(), section, frame, state)
    for error in errors:
        _say("error", error)
    _set_draft(draft)


# --- 6 and 7 -----------------------------------------------------------------------------------


def _check(problems: ed.Problems) -> None:
    if not problems.items:
        st.success("The validator and the codebook's checks find nothing to fix.", icon=":material/check_circle:")
        return
    errors = sum(not p.audit for p in problems.items)
    st.caption(
        f"{errors} problem(s) the validator finds and {len(problems.items) - errors} codebook finding(s); each is "
        "shown beside its record above. What no table shows is listed here."
    )
    _show_problems(problems.elsewhere())


def _use_it(page: Page, draft: Draft, problems: ed.Problems) -> None:
    title_key = "build.title"
    _seed(title_key, draft.meta.title or "")
    st.text_input("The story's title", key=title_key, on_change=_edit_title, args=(title_key,))
    _opened()
    open_, download, save, delete = st.columns(4)
    open_.button(
        "Open in the dashboard",
        key="build.open",
        icon=":material/visibility:",
        type="primary",
        on_click=_open_in_views,
        help="Shows the draft in every view, for this tab (as an uploaded story is, under the same limits).",
    )
    download.download_button(
        "Download YAML",
        lambda: to_yaml(draft).encode("utf-8"),  # written when clicked, from the draft this run shows
        "story.yaml",
        "application/x-yaml",
        key="build.download",
        icon=":material/download:",
        on_click="ignore",
        help="The story file: check it with python -m dashboard.validate, or upload it on Methods & data.",
    )
    with save.popover("Save", icon=":material/save:"):
        _save_box(page)
    with delete.popover("Delete draft", icon=":material/delete_forever:"):
        st.markdown("Delete this draft from this page, and from the server if it was saved. This cannot be undone.")
        st.checkbox("Yes, delete it", key="build.delete_sure")
        st.button("Delete the draft", key="build.delete", on_click=_delete, type="primary")


def _edit_title(key: str) -> None:
    draft = _draft().model_copy(deep=True)
    draft.meta.title = str(st.session_state.get(key, "")).strip() or None
    _set_draft(draft, fresh=False)


def _open_in_views() -> None:
    data = to_yaml(_draft()).encode("utf-8")
    queue_story(data, "draft.yaml")  # checked at the start of the next run, as an upload is
    st.session_state[OPENED] = True


def _opened() -> None:
    if not st.session_state.get(OPENED):
        return
    found = st.session_state.get(PROBLEMS_KEY) or []
    if found:
        more = f" (and {len(found) - 1} more, listed under 6. Check)" if len(found) > 1 else ""
        st.error(md(f"The draft could not be opened in the views: {found[0].message}{more}"), icon=":material/error:")
        st.session_state[OPENED] = False
        return
    if st.session_state.get(UPLOAD_KEY) is None:
        return
    with st.container(border=True):
        st.success("The draft is open in every view for this tab:", icon=":material/visibility:")
        cols = st.columns(len(OPEN_VIEWS))
        for col, view_id in zip(cols, OPEN_VIEWS, strict=True):
            col.page_link(page_of(view_id), query_params=story_params(), label=page_of(view_id).title)


def _save_box(page: Page) -> None:
    held = st.session_state.get(SAVED)
    st.markdown(
        "Keep the draft on this server for 30 days after each save, under a secret edit link. Whoever has the "
        "link can open, change and delete the draft: keep it off the projector."
    )
    made = st.session_state.pop(LINK, None)  # shown once: the next run drops it
    if made:
        st.code(made, language=None, wrap_lines=True)
        st.caption("Copy it now: it is shown only this once. Open it tomorrow to go on where you left off.")
    st.button(
        "Save changes" if held else "Save and make the edit link",
        key="build.save",
        icon=":material/save:",
        on_click=_save,
        args=(page,),
    )


def _save(page: Page) -> None:
    body = _draft().model_dump_json()
    store = draft_store()
    held = st.session_state.get(SAVED)
    try:
        if held:
            saved = store.save(held[0], held[1], body)
            _say("success", f"Saved. The draft is kept until {saved.expires_at:%-d %B %Y}.")
            return
        made = store.create(body)
    except RoomError as err:
        if isinstance(err, DraftNotFound):  # deleted elsewhere or purged: the next save makes a new link
            st.session_state.pop(SAVED, None)
        _say("error", f"{err} The draft on this page is unchanged.")
        return
    st.session_state[SAVED] = (made.draft_id, made.key)
    base = public_address.base_url(st.context.url, page.view.id).url
    st.session_state[LINK] = (base or "") + made.link
    _say("success", f"Saved. The draft is kept until {made.expires_at:%-d %B %Y}; its edit link is under Save.")


def _delete() -> None:
    if not st.session_state.get("build.delete_sure"):
        _say("info", "Tick “Yes, delete it” first: deleting cannot be undone.")
        return
    held = st.session_state.get(SAVED)
    where = " from this page."
    if held:
        where = " from this page and from the server."
        try:
            draft_store().delete(held[0], held[1])
        except DraftNotFound:  # deleted elsewhere or purged: what is left to delete is this page's copy
            where = " from this page; it was already gone from the server."
        except RoomError as err:
            _say("error", str(err))
            return
    st.session_state.pop(SAVED, None)
    st.session_state["build.delete_sure"] = False
    _set_draft(Draft())
    _say("success", "The draft is deleted" + where)
