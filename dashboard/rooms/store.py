"""The live-class store: rooms, who joined them, and their answers, in SQLite or PostgreSQL.

Every method is one short transaction. An answer carries the key of the question the student's
page showed and is refused unless that question is open, so when the teacher moves on no answer
lands on the wrong question; once a question is revealed it takes no answer again, ever.
Teacher-only methods take the teacher's credential: the teacher key, or the token of a teacher
session the key was exchanged for (``teacher_session``); only hashes are stored, compared in
constant time or looked up by their hash.

The store raises only RoomError subclasses (errors.py) for anything a person can cause or fix;
database failures are all StoreUnavailable.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy import Row, Table, and_, case, delete, func, insert, literal, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from dashboard.rooms import inputs, migrate
from dashboard.rooms.engine import WRITE, configure, make_engine, unavailable
from dashboard.rooms.errors import (
    AnswersClosed,
    InvalidInput,
    NotJoined,
    NotTeacher,
    RateLimited,
    RoomClosed,
    RoomExpired,
    RoomFull,
    RoomNotFound,
)
from dashboard.rooms.tables import (
    KEY_MAX,
    NICKNAME_MAX,
    TEXT_MAX,
    UtcDateTime,
    answers,
    marks,
    participants,
    questions,
    rooms,
    teacher_sessions,
)

log = logging.getLogger(__name__)

Kind = Literal["lobby", "quiz", "step", "spot"]
AnswerKind = Literal["choice", "text", "marks"]
KINDS: tuple[str, ...] = ("lobby", "quiz", "step", "spot")
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Limits:
    """What one session and one store accept. Defaults suit a class of 40 with room to spare."""

    writes_per_window: int = 30  # joins and answers per session per window
    window_seconds: int = 60
    max_participants: int = 300  # per room
    max_live_rooms: int = 2000  # unexpired rooms in the whole store: bounds its disk use
    max_options: int = 20
    max_words: int = 120  # the words of an excerpt to mark (answer kind "marks")
    option_chars: int = 80
    text_chars: int = TEXT_MAX
    nickname_chars: int = NICKNAME_MAX
    max_texts: int = 200  # written answers returned for the projector's list
    ttl: timedelta = timedelta(hours=24)
    max_ttl: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class Activity:
    """What the class is doing: quiz question n of quiz ``ref`` (its seed), step n of path ``ref``, or
    "Spot the framing" question n of ``ref`` (its seed, or a path's step that names its excerpts)."""

    kind: Kind = "lobby"
    ref: str = ""
    position: int = 0

    @property
    def key(self) -> str:
        """The question's id among a room's answers."""
        return f"{self.kind}:{self.ref}:{self.position}"


@dataclass(frozen=True)
class NewRoom:
    code: str
    teacher_key: str  # shown once, in the teacher's own link; only its hash is stored
    expires_at: datetime


@dataclass(frozen=True)
class RoomState:
    code: str
    activity: Activity
    answer_kind: AnswerKind | None
    options: tuple[str, ...]
    revealed: bool
    closed: bool
    expired: bool
    created_at: datetime
    expires_at: datetime
    version: int  # changes on every teacher action: a page polls it to know when to redraw

    @property
    def question(self) -> str | None:
        """The key of the question students may answer now, if any."""
        open_ = self.answer_kind is not None and not self.revealed and not self.closed and not self.expired
        return self.activity.key if open_ else None


@dataclass(frozen=True)
class Participant:
    session_id: str
    nickname: str | None


@dataclass(frozen=True)
class Receipt:
    question: str
    value: str
    replaced: bool  # True when this answer replaced the student's earlier one


@dataclass(frozen=True)
class MarkReceipt:
    question: str
    marks: tuple[int, ...]  # the positions of the marked words, in order
    replaced: bool  # True when this set replaced the student's earlier one


@dataclass(frozen=True)
class TextAnswer:
    answer_id: int
    text: str
    nickname: str | None
    hidden: bool


@dataclass(frozen=True)
class Results:
    """What the projector shows for one question. Before the reveal, only the teacher gets the answers."""

    state: RoomState
    question: str
    participants: int
    answered: int
    distribution: tuple[tuple[str, int], ...] | None  # every option in order, hidden answers left out
    texts: tuple[TextAnswer, ...] | None  # written answers, oldest first; hidden ones only for the teacher
    names_shown: bool = False  # the teacher shows the nicknames; before that, only the teacher gets them
    # "Spot the framing": every student's mark set (word positions, in order), one per student who sent one
    mark_sets: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True)
class Played:
    """One question the room has had on screen, for a closed room's summary."""

    question: str  # the activity's key, "quiz:7:3"
    answered: int
    revealed: bool

    @property
    def activity(self) -> Activity:
        kind, ref, position = self.question.split(":")  # a ref has no ":" (inputs.ref)
        return Activity(kind, ref, int(position))  # type: ignore[arg-type]


class RoomStore:
    """The store's whole API. Make one per process (it holds the connection pool) and share it."""

    def __init__(
        self,
        engine: Engine,
        *,
        limits: Limits | None = None,
        clock: Callable[[], datetime] = utcnow,
        run_migrations: bool = True,
    ) -> None:
        self.engine = configure(engine)
        self.limits = limits or Limits()
        self._clock = clock
        # SQLite has one writer at a time; a waiting writer polls with sleeps of up to 100 ms, so 40
        # threads of one server queue on this lock instead (other processes still use busy_timeout).
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        name = engine.dialect.name
        if name not in ("sqlite", "postgresql"):
            raise ValueError(f"the room store runs on SQLite or PostgreSQL, not {name}")
        self._insert = sqlite.insert if name == "sqlite" else postgresql.insert
        if run_migrations:
            self._guard(lambda: migrate.upgrade(self.engine))

    @classmethod
    def from_url(cls, url: str | None = None, **kwargs: Any) -> RoomStore:
        """A store on ``url``, else NT_ROOMS_URL, else the SQLite file in the data folder."""
        return cls(make_engine(url), **kwargs)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- plumbing -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock()

    def _guard(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError) as error:
            raise unavailable(error, self.engine) from error
        except migrate.CommandError as error:  # the database knows a revision we do not
            raise unavailable(error, self.engine, "schema") from error

    def _tx(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``fn`` in one transaction; once more if the connection died under it (server restart)."""

        def attempt() -> T:
            with self._write_lock if write else nullcontext(), self.engine.connect() as conn:
                if write:
                    conn.execution_options(**{WRITE: True})
                with conn.begin():
                    return fn(conn)

        try:
            return self._guard(attempt)
        except Exception as error:
            cause = error.__cause__
            if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
                log.info("room store: connection lost, retrying once")
                return self._guard(attempt)
            raise

    def transaction(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``fn`` in one of the store's transactions (for the tables of ``drafts.py``, which share it)."""
        return self._tx(fn, write=write)

    def _room(self, conn: Connection, code: str, *, lock: bool = False) -> Row[Any]:
        query = select(rooms).where(rooms.c.code == inputs.room_code(code))
        if lock:  # teacher actions, one at a time; SQLite renders no FOR clause (its writers are serial)
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise RoomNotFound(f"There is no room with the code {inputs.room_code(code)}. It may have expired.")
        return row

    def _state(self, row: Row[Any]) -> RoomState:
        return RoomState(
            code=row.code,
            activity=Activity(row.activity, row.ref, row.position),
            answer_kind=row.answer_kind,
            options=tuple(row.options or ()),
            revealed=row.revealed,
            closed=row.closed_at is not None,
            expired=self._now() >= row.expires_at,
            created_at=row.created_at,
            expires_at=row.expires_at,
            version=row.version,
        )

    def _is_teacher(self, conn: Connection, row: Row[Any], teacher: str | None) -> bool:
        """``teacher`` is the room's key, or the token of one of its teacher sessions."""
        if not teacher:
            return False
        if inputs.key_matches(teacher, row.teacher_key_hash):
            return True
        found = conn.execute(
            select(teacher_sessions.c.id).where(
                teacher_sessions.c.room_id == row.id, teacher_sessions.c.token_hash == inputs.hash_key(teacher)
            )
        ).first()
        return found is not None

    def _teacher_room(self, conn: Connection, code: str, key: str | None) -> Row[Any]:
        row = self._room(conn, code, lock=True)
        if not self._is_teacher(conn, row, key):
            raise NotTeacher("Only the teacher can do this: this browser holds no teacher session for the room.")
        if self._now() >= row.expires_at:
            raise RoomExpired(f"Room {row.code} has expired; open a new room.")
        return row

    def _spend_write(self, conn: Connection, participant_id: int) -> None:
        """Count one write against the session's window, or RateLimited (atomic on both databases)."""
        now = self._now()
        limits = self.limits
        fresh = participants.c.window_start <= now - timedelta(seconds=limits.window_seconds)
        now_value = literal(now, UtcDateTime())
        done = conn.execute(
            update(participants)
            .where(
                participants.c.id == participant_id, or_(fresh, participants.c.window_writes < limits.writes_per_window)
            )
            .values(
                window_writes=case((fresh, 1), else_=participants.c.window_writes + 1),
                window_start=case((fresh, now_value), else_=participants.c.window_start),
            )
        )
        if done.rowcount == 0:
            start = conn.execute(
                select(participants.c.window_start).where(participants.c.id == participant_id)
            ).scalar()
            wait = max(1.0, ((start or now) + timedelta(seconds=limits.window_seconds) - now).total_seconds())
            raise RateLimited(f"Too many answers in a short time: wait {wait:.0f} s, then send it again.", wait)

    # --- the teacher ----------------------------------------------------------------------

    def open_room(self, ttl: timedelta | None = None) -> NewRoom:
        """A new room with a fresh code and teacher key; also purges expired rooms."""
        ttl = self.limits.ttl if ttl is None else ttl
        if not timedelta(0) < ttl <= self.limits.max_ttl:
            raise InvalidInput(f"a room lasts more than 0 and at most {self.limits.max_ttl}")
        self.purge()
        key = inputs.new_teacher_key()

        def run(conn: Connection) -> NewRoom:
            now = self._now()
            live = conn.execute(select(func.count()).select_from(rooms).where(rooms.c.expires_at > now)).scalar_one()
            if live >= self.limits.max_live_rooms:
                raise RoomFull(f"This server already holds {live} open rooms; try again when some have expired.")
            code = inputs.new_code()
            conn.execute(
                insert(rooms).values(
                    code=code,
                    teacher_key_hash=inputs.hash_key(key),
                    created_at=now,
                    expires_at=now + ttl,
                    activity="lobby",
                    ref="",
                    position=0,
                    options=[],
                    revealed=False,
                    version=0,
                )
            )
            return NewRoom(code, key, now + ttl)

        for _ in range(5):  # 31^6 codes: a clash is rare, and then another code is drawn
            try:
                return self._tx(run, write=True)
            except sa_exc.IntegrityError:
                continue
        raise RoomFull("No free room code was found; try again.")

    def check_teacher(self, code: str, key: str | None) -> RoomState:
        """The room's state if ``key`` is its teacher key or a teacher session's token, else NotTeacher."""

        def run(conn: Connection) -> RoomState:
            row = self._room(conn, code)
            if not self._is_teacher(conn, row, key):
                raise NotTeacher("This link's teacher key does not belong to this room.")
            return self._state(row)

        return self._tx(run, write=False)

    def teacher_session(self, code: str, key: str | None) -> str:
        """Exchange the teacher key for a new teacher session's token (random; only its hash is kept).

        Only the key itself opens a session, so a browser that holds a token cannot hand out more.
        """

        def run(conn: Connection) -> str:
            row = self._room(conn, code, lock=True)
            if not inputs.key_matches(key, row.teacher_key_hash):
                raise NotTeacher("This link's teacher key does not belong to this room.")
            if self._now() >= row.expires_at:
                raise RoomExpired(f"Room {row.code} has expired; open a new room.")
            token = inputs.new_teacher_key()
            conn.execute(
                insert(teacher_sessions).values(
                    room_id=row.id, token_hash=inputs.hash_key(token), created_at=self._now()
                )
            )
            return token

        return self._tx(run, write=True)

    def control_key(self, code: str, teacher: str | None) -> str:
        """A new teacher key for a control link (a phone, a second laptop); the earlier key stops working.

        Teacher sessions already opened stay open: the projector keeps its controls.
        """

        def run(conn: Connection) -> str:
            row = self._teacher_room(conn, code, teacher)
            key = inputs.new_teacher_key()
            conn.execute(update(rooms).where(rooms.c.id == row.id).values(teacher_key_hash=inputs.hash_key(key)))
            return key

        return self._tx(run, write=True)

    def set_activity(
        self,
        code: str,
        key: str | None,
        activity: Activity,
        *,
        answer_kind: AnswerKind | None = None,
        options: Sequence[str] = (),
    ) -> RoomState:
        """Move the class on: what is on screen and what students may answer. A question revealed
        before comes back revealed, and takes no answers."""
        values = self._activity_values(activity, answer_kind, options)

        def run(conn: Connection) -> RoomState:
            row = self._teacher_room(conn, code, key)
            if row.closed_at is not None:
                raise RoomClosed(f"Room {row.code} is closed.")
            revealed = self._revealed(conn, row.id, activity.key)
            conn.execute(
                update(rooms)
                .where(rooms.c.id == row.id)
                .values(version=rooms.c.version + 1, **{**values, "revealed": revealed})
            )
            return self._state(self._room(conn, row.code))

        return self._tx(run, write=True)

    def _revealed(self, conn: Connection, room_id: int, question: str) -> bool:
        found = conn.execute(
            select(questions.c.id).where(questions.c.room_id == room_id, questions.c.question == question)
        ).first()
        return found is not None

    def _activity_values(self, activity: Activity, answer_kind: str | None, options: Sequence[str]) -> dict[str, Any]:
        if activity.kind not in KINDS:
            raise InvalidInput(f"unknown activity {activity.kind!r}; expected lobby, quiz, step or spot")
        if activity.kind == "lobby":
            if activity.ref or activity.position or answer_kind or options:
                raise InvalidInput("the lobby has no question")
        else:
            inputs.ref(activity.ref, field="the quiz seed or path id")
            if not 1 <= activity.position <= 10_000:
                raise InvalidInput("a question or step number runs from 1")
        if len(activity.key) > KEY_MAX:
            raise InvalidInput("the activity's id is too long")
        if answer_kind not in (None, "choice", "text", "marks"):
            raise InvalidInput(f"unknown answer kind {answer_kind!r}; expected choice, text or marks")
        limits = self.limits
        cleaned = [inputs.plain_text(o, field="an option", max_chars=limits.option_chars) for o in options]
        if answer_kind == "marks":  # the options are the words students may mark, in the excerpt's order
            if not 1 <= len(cleaned) <= limits.max_words:
                raise InvalidInput(f"an excerpt to mark has 1 to {limits.max_words} words, not {len(cleaned)}")
        elif answer_kind == "choice":
            if not 2 <= len(cleaned) <= limits.max_options:
                raise InvalidInput(f"a choice needs 2 to {limits.max_options} options, not {len(cleaned)}")
            if len(set(cleaned)) != len(cleaned):
                raise InvalidInput("the options repeat one another")
        elif cleaned:
            raise InvalidInput("only a choice has options")
        return {
            "activity": activity.kind,
            "ref": activity.ref,
            "position": activity.position,
            "answer_kind": answer_kind,
            "options": cleaned,
            "revealed": False,
        }

    def reveal(self, code: str, key: str | None) -> RoomState:
        """Show the current question's answers and stop answers to it, for good: a reveal is final."""

        def run(conn: Connection) -> RoomState:
            row = self._teacher_room(conn, code, key)
            if row.activity != "lobby" and not row.revealed:
                question = Activity(row.activity, row.ref, row.position).key
                stmt = self._insert(questions).values(
                    room_id=row.id, question=question, revealed_at=self._now(), names_shown=False
                )
                conn.execute(stmt.on_conflict_do_nothing(index_elements=[questions.c.room_id, questions.c.question]))
            conn.execute(update(rooms).where(rooms.c.id == row.id).values(revealed=True, version=rooms.c.version + 1))
            return self._state(self._room(conn, row.code))

        return self._tx(run, write=True)

    def show_texts(self, code: str, key: str | None, shown: bool = True) -> None:
        """Show every written answer to the current question on the projector (or hide them all)."""

        def run(conn: Connection) -> None:
            row = self._teacher_room(conn, code, key)
            question = Activity(row.activity, row.ref, row.position).key
            conn.execute(
                update(answers)
                .where(answers.c.room_id == row.id, answers.c.question == question)
                .values(hidden=not shown)
            )
            conn.execute(update(rooms).where(rooms.c.id == row.id).values(version=rooms.c.version + 1))

        self._tx(run, write=True)

    def show_names(self, code: str, key: str | None, shown: bool = True) -> None:
        """Show the nicknames with the revealed question's written answers (or take them off again)."""

        def run(conn: Connection) -> None:
            row = self._teacher_room(conn, code, key)
            question = Activity(row.activity, row.ref, row.position).key
            done = conn.execute(
                update(questions)
                .where(questions.c.room_id == row.id, questions.c.question == question)
                .values(names_shown=bool(shown))
            )
            if done.rowcount == 0:
                raise InvalidInput("Reveal the question first: nicknames are shown with its answers.")
            conn.execute(update(rooms).where(rooms.c.id == row.id).values(version=rooms.c.version + 1))

        self._tx(run, write=True)

    def close(self, code: str, key: str | None) -> RoomState:
        """No more joins or answers; the results stay readable until the room expires."""

        def run(conn: Connection) -> RoomState:
            row = self._teacher_room(conn, code, key)
            if row.closed_at is None:
                conn.execute(
                    update(rooms).where(rooms.c.id == row.id).values(closed_at=self._now(), version=rooms.c.version + 1)
                )
            return self._state(self._room(conn, row.code))

        return self._tx(run, write=True)

    def hide(self, code: str, key: str | None, answer_id: int, hidden: bool = True) -> None:
        """Hide one response from the projector (or show it). A written answer arrives hidden: the
        teacher sees it first and shows it. A hidden answer stays hidden if its author rewrites it:
        the teacher's decision is not undone by a student."""

        def run(conn: Connection) -> None:
            row = self._teacher_room(conn, code, key)
            done = conn.execute(
                update(answers)
                .where(answers.c.id == answer_id, answers.c.room_id == row.id)
                .values(hidden=bool(hidden))
            )
            if done.rowcount == 0:
                raise InvalidInput(f"room {row.code} has no answer {answer_id}")
            conn.execute(update(rooms).where(rooms.c.id == row.id).values(version=rooms.c.version + 1))

        self._tx(run, write=True)

    def delete_room(self, code: str, key: str | None) -> None:
        """Delete the room and everything students sent to it, now."""

        def run(conn: Connection) -> None:
            row = self._room(conn, code, lock=True)
            if not self._is_teacher(conn, row, key):
                raise NotTeacher("Only the teacher can delete this room.")
            conn.execute(delete(rooms).where(rooms.c.id == row.id))

        self._tx(run, write=True)

    def purge(self) -> int:
        """Delete every expired room with its participants and answers; the number of rooms deleted."""
        return self._tx(
            lambda conn: conn.execute(delete(rooms).where(rooms.c.expires_at <= self._now())).rowcount, write=True
        )

    # --- students -------------------------------------------------------------------------

    def _open_room_for_students(self, conn: Connection, code: str) -> Row[Any]:
        # No lock on the room: a share lock per answer starves the teacher's update under a busy
        # class on PostgreSQL. An answer racing the teacher's move commits under the key of the
        # question it was sent for, so it never lands on the new question.
        row = self._room(conn, code)
        if self._now() >= row.expires_at:
            raise RoomExpired(f"Room {row.code} has ended.")
        if row.closed_at is not None:
            raise RoomClosed(f"Room {row.code} is closed: the teacher has ended it.")
        return row

    def join(self, code: str, session_id: str, nickname: str | None = None) -> Participant:
        """Join (or rejoin) as this anonymous browser session.

        A rejoin keeps the nickname given before (a phone that reconnects has none to send) unless
        ``nickname`` is a string: an empty one clears it.
        """
        session = inputs.session_id(session_id)
        name = None
        if nickname is not None and nickname.strip():
            name = inputs.plain_text(nickname, field="The nickname", max_chars=self.limits.nickname_chars)

        def run(conn: Connection) -> Participant:
            room = self._open_room_for_students(conn, code)
            pid = conn.execute(
                select(participants.c.id).where(participants.c.room_id == room.id, participants.c.session_id == session)
            ).scalar()
            if pid is not None:
                self._spend_write(conn, pid)
                if nickname is None:
                    kept = conn.execute(select(participants.c.nickname).where(participants.c.id == pid)).scalar()
                    return Participant(session, kept)
                conn.execute(update(participants).where(participants.c.id == pid).values(nickname=name))
                return Participant(session, name)
            count = conn.execute(
                select(func.count()).select_from(participants).where(participants.c.room_id == room.id)
            ).scalar_one()
            if count >= self.limits.max_participants:
                raise RoomFull(f"Room {room.code} is full ({count} students).")
            now = self._now()
            stmt = self._insert(participants).values(
                room_id=room.id, session_id=session, nickname=name, joined_at=now, window_start=now, window_writes=1
            )
            # Two tabs of one session joining at once: the second one just finds the first.
            conn.execute(
                stmt.on_conflict_do_nothing(index_elements=[participants.c.room_id, participants.c.session_id])
            )
            return Participant(session, name)

        return self._tx(run, write=True)

    def answer(self, code: str, session_id: str, question: str, value: str) -> Receipt:
        """Store this session's answer to ``question`` (the key the page showed), replacing an earlier one."""
        session = inputs.session_id(session_id)

        def run(conn: Connection) -> Receipt:
            room = self._open_room_for_students(conn, code)
            state = self._state(room)
            if state.question is None or state.question != question or self._revealed(conn, room.id, question):
                raise AnswersClosed("This question is no longer open: the teacher has moved on or shown the answers.")
            if state.answer_kind == "marks":
                raise InvalidInput("This question takes marked words: send them with Send.")
            if state.answer_kind == "choice":
                if value not in state.options:
                    raise InvalidInput("That is not one of this question's options.")
                text = value
            else:
                text = inputs.plain_text(value, field="The answer", max_chars=self.limits.text_chars)
            replaced = self._one_per_student(
                conn,
                room,
                session,
                answers,
                question,
                {"value": text, "answered_at": self._now()},
                # The teacher sees a written answer first, then shows it.
                first_time={"hidden": state.answer_kind == "text"},
            )
            return Receipt(question, text, replaced=replaced)

        return self._tx(run, write=True)

    def mark(self, code: str, session_id: str, question: str, positions: Sequence[int]) -> MarkReceipt:
        """Store this session's marked words on ``question`` (their positions), replacing an earlier set.

        An empty set is an answer too: "nothing here frames". Refused once the question is revealed.
        """
        session = inputs.session_id(session_id)
        if isinstance(positions, str | bytes) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in positions
        ):
            raise InvalidInput("Marks are the positions of words in the excerpt.")
        chosen = tuple(sorted(set(positions)))

        def run(conn: Connection) -> MarkReceipt:
            room = self._open_room_for_students(conn, code)
            state = self._state(room)
            if state.question is None or state.question != question or self._revealed(conn, room.id, question):
                raise AnswersClosed("This question is no longer open: the teacher has moved on or shown the answers.")
            if state.answer_kind != "marks":
                raise InvalidInput("This question takes no marked words.")
            if chosen and not 0 <= chosen[0] <= chosen[-1] < len(state.options):
                raise InvalidInput(f"A mark is outside the excerpt's {len(state.options)} words.")
            replaced = self._one_per_student(
                conn, room, session, marks, question, {"marks": json.dumps(list(chosen)), "marked_at": self._now()}
            )
            return MarkReceipt(question, chosen, replaced=replaced)

        return self._tx(run, write=True)

    def _one_per_student(
        self,
        conn: Connection,
        room: Row[Any],
        session: str,
        table: Table,
        question: str,
        values: dict[str, object],
        first_time: dict[str, object] | None = None,
    ) -> bool:
        """Write this session's row of ``table`` (answers, marks) on ``question``: one per student and question, a
        later one replacing ``values`` and counting the change, ``first_time`` kept as first written. The student
        must have joined and spends a write. True when an earlier row was replaced."""
        pid = conn.execute(
            select(participants.c.id).where(participants.c.room_id == room.id, participants.c.session_id == session)
        ).scalar()
        if pid is None:
            raise NotJoined(f"Join room {room.code} first.")
        self._spend_write(conn, pid)  # also locks the participant's row: one write at a time per student
        earlier = conn.execute(
            select(table.c.id).where(table.c.participant_id == pid, table.c.question == question)
        ).first()
        stmt = self._insert(table).values(
            room_id=room.id, participant_id=pid, question=question, changes=0, **values, **(first_time or {})
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.participant_id, table.c.question],
                set_={**{name: stmt.excluded[name] for name in values}, "changes": table.c.changes + 1},
            )
        )
        return earlier is not None

    # --- reading --------------------------------------------------------------------------

    def state(self, code: str) -> RoomState:
        """The room as every page sees it (no answers)."""
        return self._tx(lambda conn: self._state(self._room(conn, code)), write=False)

    def my_answer(self, code: str, session_id: str, question: str) -> str | None:
        """This session's stored answer to ``question``, to show it back to the student."""
        session = inputs.session_id(session_id)

        def run(conn: Connection) -> str | None:
            room = self._room(conn, code)
            return conn.execute(
                select(answers.c.value)
                .join(participants, participants.c.id == answers.c.participant_id)
                .where(
                    answers.c.room_id == room.id,
                    participants.c.session_id == session,
                    answers.c.question == question,
                )
            ).scalar()

        return self._tx(run, write=False)

    def my_marks(self, code: str, session_id: str, question: str) -> tuple[int, ...] | None:
        """This session's marked words on ``question`` (None: it has sent none), to show them back."""
        session = inputs.session_id(session_id)

        def run(conn: Connection) -> tuple[int, ...] | None:
            room = self._room(conn, code)
            value = conn.execute(
                select(marks.c.marks)
                .join(participants, participants.c.id == marks.c.participant_id)
                .where(marks.c.room_id == room.id, participants.c.session_id == session, marks.c.question == question)
            ).scalar()
            return None if value is None else tuple(json.loads(value))

        return self._tx(run, write=False)

    def results(self, code: str, teacher_key: str | None = None) -> Results:
        """Counts for the current question. Without the teacher key the distribution and the
        written answers come only after the reveal, and hidden answers never."""

        def run(conn: Connection) -> Results:
            room = self._room(conn, code)
            teacher = teacher_key is not None
            if teacher and not self._is_teacher(conn, room, teacher_key):
                raise NotTeacher("This link's teacher key does not belong to this room.")
            state = self._state(room)
            key = state.activity.key
            shown = teacher or state.revealed
            names_shown = bool(
                conn.execute(
                    select(questions.c.names_shown).where(questions.c.room_id == room.id, questions.c.question == key)
                ).scalar()
            )
            here = and_(answers.c.room_id == room.id, answers.c.question == key)
            joined = conn.execute(
                select(func.count()).select_from(participants).where(participants.c.room_id == room.id)
            ).scalar_one()
            if state.answer_kind == "marks":
                marked = and_(marks.c.room_id == room.id, marks.c.question == key)
                sets = [
                    json.loads(v)
                    for v in conn.execute(select(marks.c.marks).where(marked).order_by(marks.c.id)).scalars()
                ]
                mark_sets = tuple(tuple(s) for s in sets) if shown else None
                return Results(state, key, joined, len(sets), None, None, names_shown, mark_sets)
            answered = conn.execute(select(func.count()).select_from(answers).where(here)).scalar_one()
            distribution = texts = None
            if shown and state.answer_kind == "choice":
                counts = dict(
                    conn.execute(
                        select(answers.c.value, func.count())
                        .where(here, answers.c.hidden.is_(False))
                        .group_by(answers.c.value)
                    ).all()
                )
                distribution = tuple((option, int(counts.get(option, 0))) for option in state.options)
            if shown and state.answer_kind == "text":
                query = (
                    select(answers.c.id, answers.c.value, answers.c.hidden, participants.c.nickname)
                    .join(participants, participants.c.id == answers.c.participant_id)
                    .where(here)
                    .order_by(answers.c.answered_at, answers.c.id)
                    .limit(self.limits.max_texts)
                )
                if not teacher:
                    query = query.where(answers.c.hidden.is_(False))
                names = teacher or names_shown
                texts = tuple(
                    TextAnswer(r.id, r.value, r.nickname if names else None, r.hidden) for r in conn.execute(query)
                )
            return Results(state, key, joined, answered, distribution, texts, names_shown)

        return self._tx(run, write=False)

    def played(self, code: str, teacher: str | None) -> tuple[Played, ...]:
        """Every question the room has answers to or has revealed, in the order it was first played."""

        def run(conn: Connection) -> tuple[Played, ...]:
            room = self._room(conn, code)
            if not self._is_teacher(conn, room, teacher):
                raise NotTeacher("This link's teacher key does not belong to this room.")
            counts = [
                *conn.execute(
                    select(answers.c.question, func.count(), func.min(answers.c.answered_at))
                    .where(answers.c.room_id == room.id)
                    .group_by(answers.c.question)
                ).all(),
                *conn.execute(
                    select(marks.c.question, func.count(), func.min(marks.c.marked_at))
                    .where(marks.c.room_id == room.id)
                    .group_by(marks.c.question)
                ).all(),
            ]
            revealed = dict(
                conn.execute(
                    select(questions.c.question, questions.c.revealed_at).where(questions.c.room_id == room.id)
                ).all()
            )
            first = {q: when for q, _, when in counts}
            for q, when in revealed.items():
                first[q] = min(first.get(q, when), when)
            answered = {q: int(n) for q, n, _ in counts}
            order = sorted(first, key=lambda q: (first[q], q))
            return tuple(Played(q, answered.get(q, 0), q in revealed) for q in order)

        return self._tx(run, write=False)
