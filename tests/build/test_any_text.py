"""Any readable text gives a draft whose story, every suggestion applied, the validator accepts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import examples

from dashboard.build.draft import Draft
from dashboard.build.extract import BuildInputError, read_pasted
from dashboard.build.story import source_texts, to_yaml
from dashboard.build.suggest import accept_all, add_article
from dashboard.data.dataset import check_dataset

WORDS = [
    "the", "council", "said", "told", "according", "to", "who", "regime", "crackdown", "people", "familiar",
    "with", "officials", "asked", "not", "be", "named", "Maria", "Lopez", "Mr.", "Dr.", "U.S.", "on", "Friday",
    "last", "week", "in", "March", "he", "she", "saying", "by", "accused", "José", "Núñez", "de", "la", "O'Neil",
    "so-called", "Group", "Ministry", "'s", "’s", "2024", "3.5", "—", "–", "(ICC)", "…",
]  # fmt: skip
MARKS = ["", "", "", "“", "”", '"', "‘", "’", ",", ".", "?", "!", ":", ";"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        tokens = draw(st.lists(st.tuples(st.sampled_from(MARKS), st.sampled_from(WORDS), st.sampled_from(MARKS)),
                               min_size=1, max_size=40))  # fmt: skip
        lines.append(" ".join(a + w + b for a, w, b in tokens))
        if draw(st.booleans()):
            lines.append(draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)))
    return "\n".join(lines)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts(), min_size=1, max_size=3))
@example(["the\nN"]).via("a sentence YAML 1.1 reads as a boolean")
@example(["On\n2024-01-02 12:30\nyes"])
def test_every_suggestion_applied_gives_a_valid_story(articles: list[str]) -> None:
    draft = Draft()
    for text in articles:
        try:
            source = read_pasted(text)
        except BuildInputError:
            continue  # an empty text is refused, said plainly
        draft = add_article(draft, source)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, body in source_texts(draft).items():
            (folder / name).write_text(body, encoding="utf-8")
        path = folder / "story.yaml"
        path.write_text(to_yaml(accept_all(draft)), encoding="utf-8")
        dataset, problems = check_dataset(path, sources=folder)
        assert [str(p) for p in problems] == []
        assert dataset is not None
