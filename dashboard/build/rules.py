"""The builder's rules, each with an id, one sentence a reader can state, and its codebook section.

Every suggestion names one of these, so a teacher can see why it was made and read the rule
it follows; the codebook's section "What the builder suggests" lists the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.build.draft import CODEBOOK, Suggestion


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    section: str  # the codebook heading's anchor

    def suggest(self, value: Any, words: str | None = None) -> Suggestion:
        anchor = f"{CODEBOOK}#{self.section}"
        return Suggestion(value=value, rule=self.id, rule_text=self.text, anchor=anchor, words=words)


_SPEAKER = "speaker-and-kind"
_BUILDER = "what-the-builder-suggests"
RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("narration", "No one is credited with the sentence: the outlet's own voice.", _SPEAKER),
        Rule("headline", "A headline the text contains is the outlet's own voice: narration.", "4-coding-claims"),
        Rule(
            "name-said",
            "A name just before a verb of saying (“X said”, “X told …”) is the speaker; an office (“the mayor "
            "said”) is the person the text last named with it (“Mayor Anna Lind”), else a candidate named by it.",
            _SPEAKER,
        ),
        Rule("said-name", "A name just after a verb of saying (“said X”) is the speaker.", _SPEAKER),
        Rule("according-to", "The name after “according to” is the speaker.", _SPEAKER),
        Rule(
            "name-who-said",
            "A name followed by an aside between commas (“X, who …,” or “X, the minister,”) and then a verb of "
            "saying is the speaker.",
            _SPEAKER,
        ),
        Rule(
            "name-saying",
            "A participle of saying after a comma (“…, saying …”) credits the last name before it.",
            _SPEAKER,
        ),
        Rule("by-name", "A passive verb of saying names its speaker after “by” (“accused by X of …”).", _SPEAKER),
        Rule(
            "pronoun-said",
            "“he” or “she” said credits the subject of the last sentence that names a person (its speaker, else the "
            "first person named), “it” likewise the last body named, “they”, “we” or “I” the last named speaker; "
            "with no one named before, the source is unnamed, as worded.",
            _SPEAKER,
        ),
        Rule(
            "quote-next-sentence",
            "A sentence that is all quotation and credits no one is credited to the speaker of the next sentence, "
            "when that sentence continues the quotation or names a speaker; otherwise to the previous one's.",
            _SPEAKER,
        ),
        Rule(
            "unnamed-source",
            "A source the text does not name (people familiar with …, officials who asked not to be named, "
            "reports, rumours) is “unnamed”, with its words as the source.",
            _SPEAKER,
        ),
        Rule("kind-narration", "No source is named for the sentence: narration.", _SPEAKER),
        Rule(
            "kind-direct",
            "A credited sentence with words of the speaker in quotation marks (two words or more) is a direct quote.",
            _SPEAKER,
        ),
        Rule(
            "kind-paraphrase",
            "A credited sentence without the speaker's words in quotation marks (one quoted word at most) is a "
            "paraphrase.",
            _SPEAKER,
        ),
        Rule("quote-span", "The words inside quotation marks (straight or curly) of a direct quote.", _SPEAKER),
        Rule(
            "lexicon",
            "Every term of the story's lexicon found in the quote, whole words, case-insensitive (mechanical).",
            "loaded-terms",
        ),
        Rule(
            "scare-quote",
            "A word or short phrase (four words at most) in double quotation marks in narration, or in the words "
            "that name a source (anonymous “people” said …), where the sentence credits no one with it.",
            "scare-quotes",
        ),
        Rule("label-alias", "A phrase in the quote that is an actor's name or an alias.", "actors-and-labels"),
        Rule(
            "actor-speaker",
            "Each speaker named by an attribution rule is an actor candidate.",
            _BUILDER,
        ),
        Rule(
            "actor-name",
            "A run of two or more capitalised words not at the start of a sentence (or a name met as a speaker) is a "
            "name; names are merged when one is the other's last word(s).",
            _BUILDER,
        ),
        Rule(
            "actor-type",
            "A name after a personal title (Mr., Dr., President, Mayor, …) is a person; a name with a government "
            "word (government, ministry, department) is a government, one with an "
            "organisation word (council, court, union, …) an institution, one with party or coalition words a party or "
            "coalition, one with group words (group, network, alliance, …) a group; a name of two to four "
            "capitalised words otherwise a person.",
            _BUILDER,
        ),
        Rule(
            "relative-date",
            "A relative date (a weekday, last week, last month, in March) is resolved from the article's date: "
            "the latest such day or month on or before it, or the next one on or after it in a sentence about what "
            "is to come (will, is expected, is due, takes effect, next).",
            "events",
        ),
    )
}


def suggest(rule: str, value: Any, words: str | None = None) -> Suggestion:
    return RULES[rule].suggest(value, words)
