"""What a room can put in front of the class, worked out from the data alone (no Streamlit).

A plan is an ordered list of items: the guess-the-outlet quiz (one item per question, the outlets
as the options), "Spot the framing" (one item per excerpt, its words as what students mark), or a
presenter path: its steps whose prompt carries a poll or a written answer, at its quiz step that
quiz's questions (before the step's own poll), and at a step whose prompt lists excerpts to spot the
framing in, those excerpts, in the path's order.
Each item is keyed by the store's ``Activity``, so a student's page finds what is on screen from
the room's state without knowing the teacher's plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset
from dashboard.data.schema import PathStep, PresenterPath, Prompt
from dashboard.rooms import Activity
from dashboard.views.quiz.build import questions
from dashboard.views.room import spot
from dashboard.views.room.names import QUIZ, SPOT


@dataclass(frozen=True)
class Item:
    activity: Activity
    title: str  # "Question 3 of 12": one count through the whole plan, on the projector and the phones
    text: str  # the masked excerpt, or the prompt's text (never a step's teacher note)
    answer_kind: str | None  # "choice", "text", "marks" (options: the excerpt's words), or None (nothing to answer)
    options: tuple[str, ...] = ()
    answer: str | None = None  # the quiz's right option (an outlet's name)
    claim: str | None = None  # the quiz question's claim id, for its reveal
    step: int | None = None  # in a path's plan: the 0-based step it belongs to

    @property
    def kind(self) -> str:
        """What sort of question it is, shown under its title."""
        if self.activity.kind == "quiz":
            return "Guess the outlet"
        if self.activity.kind == "spot":
            return "Spot the framing"
        return "Poll" if self.answer_kind == "choice" else "Written answer"


def room_prompt(prompt: Prompt | None) -> bool:
    return prompt is not None and (bool(prompt.poll) or prompt.written)


def spot_prompt(prompt: Prompt | None) -> bool:
    return prompt is not None and bool(prompt.spot)


def spot_steps(dataset: Dataset, path: PresenterPath) -> list[int]:
    """The 0-based indexes of the path's steps whose prompt lists excerpts to spot the framing in."""
    prompts = dataset.by_id("prompts")
    return [i for i, step in enumerate(path.steps) if step.prompt and spot_prompt(prompts.get(step.prompt))]


def poll_steps(dataset: Dataset, path: PresenterPath) -> list[int]:
    """The 0-based indexes of the path's steps whose prompt has a poll or a written answer."""
    prompts = dataset.by_id("prompts")
    return [i for i, step in enumerate(path.steps) if step.prompt and room_prompt(prompts.get(step.prompt))]


def quiz_seed(step: PathStep) -> int | None:
    """The quiz number of a path's quiz step (None for any other step)."""
    if step.page != QUIZ:
        return None
    seed = str(step.settings.get("seed", "1"))
    return int(seed) if seed.isdigit() else 1


def poll_paths(dataset: Dataset) -> list[PresenterPath]:
    """The presenter paths a room can play: those with a poll, a written answer or a quiz step."""
    return [
        p
        for p in dataset.paths
        if poll_steps(dataset, p) or spot_steps(dataset, p) or any(quiz_seed(s) is not None for s in p.steps)
    ]


def _quiz(bundle: Bundle, seed: int) -> list[Item]:
    names = bundle.names["outlet"]
    options = tuple(names[o] for o in bundle.outlets_with_text)
    qs = questions(bundle, seed)
    return [
        Item(
            Activity("quiz", str(seed), q.number),
            f"Question {q.number} of {len(qs)}",
            q.excerpt,
            "choice",
            options,
            answer=names[q.outlet],
            claim=q.claim,
        )
        for q in qs
    ]


def spot_questions(bundle: Bundle, seed: int) -> list[spot.SpotQuestion]:
    """The seeded set of "Spot the framing": the same on every phone and the projector."""
    ds = bundle.dataset
    pool = bundle.memo.get("spot-pool", lambda: spot.pool(ds))
    return bundle.memo.get(("spot", seed), lambda: spot.draw(pool, seed))


def _spot_item(q: spot.SpotQuestion, activity: Activity) -> Item:
    return Item(activity, "", q.quote, "marks", q.words, claim=q.claim)


def _spot(bundle: Bundle, seed: int) -> list[Item]:
    qs = spot_questions(bundle, seed)
    return [
        replace(_spot_item(q, Activity("spot", str(seed), n)), title=f"Question {n} of {len(qs)}")
        for n, q in enumerate(qs, 1)
    ]


def spot_question(bundle: Bundle, item: Item) -> spot.SpotQuestion | None:
    """The excerpt and codebook reading behind a "Spot the framing" item."""
    if item.claim is None or item.activity.kind != "spot":
        return None
    claim = bundle.dataset.by_id("claims").get(item.claim)
    return bundle.memo.get(("spot-q", item.claim), lambda: spot.question_of(bundle.dataset, claim)) if claim else None


def _path(bundle: Bundle, path: PresenterPath) -> list[Item]:
    ds = bundle.dataset
    prompts = ds.by_id("prompts")
    polls = poll_steps(ds, path)
    spots = spot_steps(ds, path)
    items: list[Item] = []
    marked = 0  # the path's excerpts to spot the framing in, numbered through the path
    for i, step in enumerate(path.steps):
        seed = quiz_seed(step)
        if seed is not None:  # the class plays the quiz first, then answers the step's poll about it
            items.extend(replace(q, step=i) for q in _quiz(bundle, seed))
        if i in spots:
            for q in spot.listed(ds, prompts[step.prompt].spot):
                marked += 1
                items.append(replace(_spot_item(q, Activity("spot", path.id, marked)), step=i))
        if i in polls:
            prompt: Prompt = prompts[step.prompt]
            items.append(
                Item(
                    Activity("step", path.id, i + 1),
                    "",  # numbered below, with the quiz's questions
                    prompt.text,
                    "choice" if prompt.poll else "text",
                    tuple(prompt.poll or ()),
                    step=i,
                )
            )
    return [replace(it, title=f"Question {n} of {len(items)}") for n, it in enumerate(items, 1)]


def plan_items(bundle: Bundle, plan: str, seed: int) -> list[Item]:
    """Every item of a plan, in order (empty for a path that is gone)."""
    if plan == QUIZ:
        return bundle.memo.get(("room-quiz", seed), lambda: _quiz(bundle, seed))
    if plan == SPOT:
        return bundle.memo.get(("room-spot", seed), lambda: _spot(bundle, seed))
    path = bundle.dataset.by_id("paths").get(plan)
    return bundle.memo.get(("room-path", plan), lambda: _path(bundle, path)) if path else []


def item_for(bundle: Bundle, activity: Activity) -> Item | None:
    """The item the room has on screen, from its stored activity (None for the lobby, or a gone item)."""
    if activity.kind == "quiz":
        try:
            seed = int(activity.ref)
        except ValueError:
            return None
        items = plan_items(bundle, QUIZ, seed)
    elif activity.kind == "step":
        items = plan_items(bundle, activity.ref, 0)
    elif activity.kind == "spot":  # a path's excerpts (ref: its id), else a seeded set (ref: the seed)
        if activity.ref in bundle.dataset.by_id("paths"):
            items = plan_items(bundle, activity.ref, 0)
        elif activity.ref.isascii() and activity.ref.isdigit():
            items = plan_items(bundle, SPOT, int(activity.ref))
        else:
            return None
    else:
        return None
    return next((it for it in items if it.activity == activity), None)


def plan_title(bundle: Bundle, plan: str) -> str:
    if plan == QUIZ:
        return "Guess the outlet (the quiz)"
    if plan == SPOT:
        return "Spot the framing"
    path = bundle.dataset.by_id("paths").get(plan)
    return f"The class “{path.title}”: its questions" if path else plan
