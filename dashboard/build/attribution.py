"""Who a sentence credits: the attribution patterns, applied to a sentence with its quotations masked.

Each pattern is a rule of ``rules.RULES`` (“X said”, “said X”, “according to X”, “X told …”,
“X, who …, said”, a pronoun, an unnamed source). The quotation's own words are masked first, so
a verb of saying inside someone's quoted words never credits anyone. Nothing here knows a story:
the words it looks for are English function words, verbs of saying and the nouns by which a text
refers to sources it does not name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verbs that credit what follows or precedes to a speaker. "told" names its speaker before the verb
# only (what follows is the audience).
SAY_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|explains|noted|notes|insisted|insists|claimed|"
    "claims|warned|warns|argued|argues|wrote|writes|asserted|asserts|acknowledged|acknowledges|declared|declares|"
    "announced|announces|called|calls|described|describes|accused|accuses|denied|denies|confirmed|confirms|"
    "reported|reports|contended|contends|estimated|estimates|predicted|predicts|believes|believed|thinks|"
    "asked|asks|urged|urges|indicated|indicate|indicates|suggested|suggests|showed|show|shows|shown|"
    "read|agreed|agrees|recalled|recalls|admitted|admits|complained|complains|continued|stressed|stresses|tweeted|"
    "tweets|posted|concluded|concludes|testified|alleged|alleges|"
    # the base forms, after a plural subject ("critics call her …", "officials deny it")
    "call|claim|warn|argue|insist|deny|accuse|describe|tell|write|admit|allege|predict"
)
_INVERTABLE = "said|says|added|adds|asked|wrote|continued|noted|stressed|tweeted"
# A participle of saying credits the name or unnamed source just before it ("…, saying", "rumors suggesting").
PARTICIPLES = (
    "saying|adding|telling|writing|arguing|noting|insisting|claiming|warning|suggesting|stating|explaining|"
    "calling for|accusing|urging|tweeting"
)
# A passive verb of saying names its speaker after "by": "are accused by the United Nations of …".
_PASSIVE = "accused|criticized|criticised|condemned|described|called|quoted|cited|denounced|praised|blamed"
# Words before a source's noun that name no one: numbers, determiners, quantities.
_NO_NAME = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "some", "many",
    "few", "other", "others", "another", "the", "a", "an", "most", "all", "both", "more", "years", "months",
    "anonymous", "senior", "former", "top", "unnamed", "local", "western", "foreign", "independent", "of",
}  # fmt: skip
# Verbs that need a following "that"-clause or object to be speech: "show", "indicate", "suggest", "read"
# are speech only for a source (polls, reports, documents, a statement), never for a person's name.
_SOURCE_ONLY = {
    "indicated", "indicate", "indicates", "suggested", "suggests", "showed", "show", "shows", "shown", "read",
}  # fmt: skip
# Nouns by which a text refers to a source it does not name (codebook, "unnamed").
UNNAMED_NOUNS = (
    "people|person|persons|official|officials|source|sources|diplomat|diplomats|aide|aides|adviser|advisers|"
    "advisor|advisors|insider|insiders|critic|critics|analyst|analysts|observer|observers|report|reports|"
    "rumor|rumors|rumour|rumours|polling|poll|polls|document|documents|witness|witnesses|expert|experts|"
    "member|members|negotiator|negotiators|lawmaker|lawmakers|figure|figures|resident|residents|protesters|"
    "demonstrators|opponents|supporters|activists|voters|workers|locals|neighbours|neighbors|citizens|economists|"
    "researchers|investigators|prosecutors|authorities|someone|anyone|parents|families|teachers|students|"
    "employees|staff|manager|managers|executives|organisers|organizers|campaigners|volunteers|delegates|leaders|"
    "farmers|doctors|nurses|drivers|passengers|tenants|owners|shoppers|commuters|fans|players|mourners"
)
# Words by which a text says it withholds a source's name: whatever the noun, the source is unnamed.
_ANONYMOUS = re.compile(
    r"not\s+to\s+be\s+(?:named|identified)|declined\s+to\s+be\s+(?:named|identified)|condition\s+of\s+anonymity|"
    r"(?<![\w-])anonymous(?:ly)?(?![\w-])",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "it", "they", "i", "we"}
# Capitalised words that start a sentence but name no one: a subject made of one of them is no name.
_NOT_NAMES = {"this", "that", "these", "those", "there", "here", "what", "which", "who", "such", "each", "both"}
# Nouns naming a body; a subject made of one (capitalised or not) names an actor ("the government said").
ORG_NOUNS = (
    "government|ministry|administration|department|embassy|court|council|party|coalition|opposition|delegation|"
    "office|agency|authority|commission|committee|assembly|congress|parliament|senate|union|platform|firm|"
    "company|campaign|movement|army|military|police|tribunal|bank|organization|organisation|nations|group"
)
_BOUNDARY_WORDS = {
    "that", "and", "but", "while", "as", "because", "after", "before", "when", "where", "which", "although",
    "though", "since", "if", "so", "yet", "also", "has", "have", "had", "whom", "then", "now", "later",
}  # fmt: skip
_WORD = r"[^\W\d_][\w’'.\-]*"
_CAP = re.compile(r"^[^\W\d_a-z]")  # starts with an upper-case letter
_CONNECTORS = {"de", "del", "la", "da", "dos", "van", "von", "der", "al", "bin", "of", "y"}
# Words of a title before a name: they are part of the label, not the name (codebook, "Actors and labels").
TITLE_WORDS = {
    "president", "vice", "secretary", "state", "minister", "foreign", "prime", "senator", "sen.", "rep.",
    "representative", "gov.", "governor", "gen.", "general", "maj.", "col.", "lt.", "adm.", "admiral",
    "ambassador", "mayor", "chancellor", "king", "queen", "prince", "pope", "dr.", "mr.", "mrs.", "ms.",
    "judge", "justice", "attorney", "leader", "chief", "spokesman", "spokeswoman", "spokesperson",
    "u.s.", "relations", "deputy", "envoy", "special", "lawmaker", "opposition", "former", "interim",
    "director", "head", "chair", "chairman", "chairwoman", "commander", "colonel", "sheriff", "officer",
    "the", "a", "an", "then", "top", "senior", "defense", "defence", "finance", "economy",
    "incumbent", "challenger", "candidate", "councillor", "councilor", "councilman", "councilwoman",
    "professor", "prof.", "rev.", "reverend", "captain", "capt.", "sergeant", "sgt.", "inspector", "detective",
}  # fmt: skip
_DEMONYM_END = ("an", "ian", "ese", "ish", "i", "ic")


@dataclass(frozen=True)
class Attribution:
    rule: str
    kind: str  # "named", "unnamed", "pronoun" or "role" (``who`` is then the office: "mayor")
    who: str  # the name, the source's words, or the pronoun
    phrase: str  # the words naming the source as written (a name with its title, an unnamed source)
    start: int  # offsets of ``phrase`` in the sentence
    end: int


def mask_quotes(text: str, spans: list[tuple[int, int]], keep_words: int = 0) -> str:
    """``text`` with every quoted span blanked (same length), so its words credit no one; spans of at most
    ``keep_words`` words are kept: a scare-quoted word is part of the sentence's own syntax (anonymous “people”)."""
    chars = list(text)
    outside = len(re.findall(r"\w+", text)) - sum(len(re.findall(r"\w+", text[a:b])) for a, b in spans)
    for a, b in spans:
        inside = len(re.findall(r"\w+", text[a:b]))
        if inside <= keep_words and inside < outside:
            continue
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


_VERB = re.compile(rf"(?<![\w’'-])(?:{SAY_VERBS})(?![\w’'-])")
_ACCORDING = re.compile(r"(?<![\w-])according\s+to\s+", re.IGNORECASE)
_SAID_AFTER = re.compile(rf"(?:[,“”\"—–]\s*|^\s*)(?P<verb>{_INVERTABLE})\s+(?P<rest>.+)", re.IGNORECASE)
_UNNAMED = re.compile(rf"(?<![\w-])(?:{UNNAMED_NOUNS})(?![\w-])", re.IGNORECASE)
_ORG = re.compile(rf"(?<![\w-])(?:{ORG_NOUNS})(?![\w-])", re.IGNORECASE)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(_WORD, text)]


def find(masked: str) -> Attribution | None:
    """The first attribution found in a sentence whose quotations are masked, by the rules in order."""
    return (
        _according_to(masked)
        or _passive_by(masked)
        or _before_verb(masked)
        or _said_after(masked)
        or _participle(masked)
    )


_BY = re.compile(rf"(?<![\w-])(?:{_PASSIVE})\s+by\s+", re.IGNORECASE)
_PARTICIPLE = re.compile(rf"(?<![\w’'-])(?:{PARTICIPLES})(?![\w’'-])")
_PLACE_TAIL = re.compile(r"\s+(?:at|in|from|on)\s+(?:the\s+)?[A-Z][\w’'. -]*$")


def _phrase_after(masked: str, marker: re.Pattern[str], cut: str, max_words: int) -> tuple[str, int] | None:
    """The words after ``marker`` up to the first ``cut`` (at most ``max_words``), and where they start."""
    m = marker.search(masked)
    if not m:
        return None
    rest = masked[m.end() :]
    end = re.search(cut, rest)
    phrase = (rest[: end.start()] if end else rest).strip().rstrip(".")
    if not phrase or len(phrase.split()) > max_words:
        return None
    return phrase, m.end() + rest.index(phrase)


def _passive_by(masked: str) -> Attribution | None:
    found = _phrase_after(masked, _BY, r"[,;:.!?—–()]|\s(?:of|for|over|as|to|in|on|after|who|which|that)\s", 8)
    return _classify(*found, "by-name") if found else None


def _participle(masked: str) -> Attribution | None:
    for m in _PARTICIPLE.finditer(masked):
        before = masked[: m.start()].rstrip()
        if before.endswith(","):
            before = before[:-1]
            names = [n for n in re.finditer(_NAME_RUN, before)]
            if names:
                last = names[-1]
                name = last.group(0)
                return Attribution("name-saying", "named", _name_of(name), name, last.start(), last.end())
            continue
        start = _last_boundary(before)
        phrase = before[start + 1 if start is not None else 0 :].strip()
        words = phrase.split()
        if words and _UNNAMED.search(words[-1]):
            # "anonymous rumors suggesting": the source's words, from its first word after a verb or boundary
            tail = _source_phrase(phrase)
            at = before.rindex(tail)
            return Attribution("unnamed-source", "unnamed", tail, tail, at, at + len(tail))
    return None


def _source_phrase(phrase: str) -> str:
    """The noun phrase that ends ``phrase``: its last words from a determiner or adjective on."""
    words = phrase.split()
    keep = [words[-1]]
    for w in reversed(words[:-1]):
        if w.lower() in _NO_NAME or (w[:1].islower() and not _VERBISH.match(w)):
            keep.insert(0, w)
        else:
            break
    return " ".join(keep)


_VERBISH = re.compile(r"^(?:\w+ed|published|is|are|was|were|has|have|had|began|issued)$")
_NAME_RUN = re.compile(
    r"(?<![\w’'-])[A-ZÀ-ÖØ-Þ][\w’'.-]*(?:\s+(?:(?:de|del|la|da|dos|van|von|der)\s+)?[A-ZÀ-ÖØ-Þ][\w’'.-]*)+"
)


def _according_to(masked: str) -> Attribution | None:
    after = _phrase_after(masked, _ACCORDING, r"[,;:.!?—–()]\s|[,;:!?—–()]|\.$|\s(?:who|which|that)\s", 12)
    if after is None:
        return None
    phrase, start = after
    found = _classify(phrase, start, "according-to")
    if found is None and any(_CAP.match(w) for w in phrase.split()):  # "according to Santiago"
        found = Attribution("according-to", "named", _name_of(phrase), phrase, start, start + len(phrase))
    return found


def _said_after(masked: str) -> Attribution | None:
    for m in _SAID_AFTER.finditer(masked):
        rest = m.group("rest")
        cut = re.search(r"[,;:!?—–()]|\.(?:\s|$)|\s(?:in|at|on|during|after|before|to)\s(?!the\s+talks)", rest)
        phrase = (rest[: cut.start()] if cut else rest).strip()
        if not phrase or len(phrase.split()) > 12:
            continue
        start = m.start("rest") + rest.index(phrase)
        words = phrase.split()
        is_name = all(_CAP.match(w) or w.lower() in _CONNECTORS or w.lower() in TITLE_WORDS for w in words)
        is_source = any(_UNNAMED.fullmatch(w.strip(",.")) for w in words[:3])
        if not (is_name or is_source):
            continue
        found = _classify(phrase, start, "said-name")
        if found is not None:
            return found
    return None


def _before_verb(masked: str) -> Attribution | None:
    for v in _VERB.finditer(masked):
        verb = v.group(0)
        before = masked[: v.start()]
        if re.search(r"(?<![\w-])(?:who|which|that)\s+$", before, re.IGNORECASE):
            continue  # a verb in a relative clause ("officials who asked not to be named said") is not the tag
        # "X has said", "X also said", "X, who ..., said"
        aux = re.search(r"(?:\s+(?:has|have|had|also|later|previously|then|again|repeatedly|once))+\s*$", before)
        end = aux.start() if aux else len(before.rstrip())
        head = before[:end]
        found = _subject(head, verb)
        if found is not None:
            return found
    return None


def _subject(head: str, verb: str) -> Attribution | None:
    """The speaker named by the words just before a verb of saying: a name, a pronoun, an unnamed source,
    or, when those words are an aside set off by commas, the name before the aside."""
    stripped = head.rstrip()
    if not stripped:
        return None
    if stripped.endswith(","):  # "X, who ..., said" / "X, the minister, said"
        inner = stripped[:-1]
        comma = _last_boundary(inner, commas_only=True)
        if comma is None:
            return None
        aside = inner[comma + 1 :].strip()
        if not aside or (_CAP.match(aside) and not aside.lower().startswith(("the ", "a ", "an "))):
            return None
        before = inner[:comma]
        start = _last_boundary(before)
        phrase = before[start + 1 if start is not None else 0 :].strip()
        name = _trailing_name(phrase)
        if name and verb not in _SOURCE_ONLY:
            at = before.rindex(name)
            return Attribution("name-who-said", "named", _name_of(name), name, at, at + len(name))
        if phrase and _ANONYMOUS.search(aside) and name is None:
            # "A manager, speaking on condition of anonymity, said": the aside withholds the name
            at = before.rindex(phrase)
            words = stripped[at:-1].strip()
            return Attribution("unnamed-source", "unnamed", words, words, at, at + len(words))
        if phrase:  # "Two officials, who asked not to be named, said": an unnamed source before the aside
            found = _classify(phrase, before.rindex(phrase), "name-who-said", verb=verb)
            if found is not None and found.kind == "unnamed":
                return found
        return None
    start = _last_boundary(stripped)
    phrase = stripped[start + 1 if start is not None else 0 :].strip()
    if not phrase:
        return None
    at = stripped.rindex(phrase)
    words = phrase.split()
    if words[-1].endswith(("'s", "’s")):
        return None  # "Guaidó’s call for …": a possessive before a noun, no subject
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        if verb in _SOURCE_ONLY:
            return None
        return Attribution("pronoun-said", "pronoun", words[0].lower(), phrase, at, at + len(phrase))
    if len(words) > 10:
        return None
    place = _PLACE_TAIL.search(phrase)
    if place and place.start() > 0:
        phrase = phrase[: place.start()]
    phrase = re.sub(r"\s*\([A-Z][A-Za-z.]{1,9}\)$", "", phrase)
    found = _classify(phrase, at, "name-said", verb=verb)
    return found


def _trim(phrase: str) -> tuple[str, int]:
    """``phrase`` without edge punctuation and without a quotation mark at its edge that closes or opens
    nothing in it (a paired one is the source's own words: anonymous “people”); and the offset it starts at."""
    a, b = 0, len(phrase)
    while True:
        while a < b and phrase[a] in " ,;:":
            a += 1
        while b > a and phrase[b - 1] in " ,;:":
            b -= 1
        text = phrase[a:b]
        if text[:1] in '“"' and text and (text.count("”") < text.count("“") or text.count('"') % 2):
            a += 1
        elif text[-1:] in '”"' and text and (text.count("“") < text.count("”") or text.count('"') % 2):
            b -= 1
        else:
            return text, a


def _classify(phrase: str, start: int, rule: str, verb: str = "said") -> Attribution | None:
    """A source phrase read as an unnamed source, a body ("the government"), or a name; None if none of them."""
    clean, lead = _trim(phrase)
    words = clean.split()
    if not words:
        return None
    lowered = [w.lower().strip("’'") for w in words]
    if lowered[0] in _PRONOUNS and len(words) == 1:
        return Attribution("pronoun-said", "pronoun", lowered[0], clean, start, start + len(clean))
    if lowered[-1] in _NOT_NAMES:
        return None
    if _ANONYMOUS.search(clean):
        return Attribution("unnamed-source", "unnamed", clean, clean, start, start + len(clean))
    unnamed = _UNNAMED.search(clean)
    name = _trailing_name(clean)
    if unnamed and (name is None or clean.index(name) > unnamed.start() or name.lower() == clean.lower()[: len(name)]):
        head = clean[: unnamed.start()].split()
        # "Venezuelan officials", "three people ...", "Shipping analysts", "Okafor's critics": no name stands
        # before the source's noun (a capital that only starts the sentence, and a possessive, name no source)
        if head and start == 0 and not phrase[:1].isspace():
            head = head[1:] if len(head) == 1 or not _CAP.match(head[1]) else head
        named_before = any(
            _CAP.match(w)
            and w.lower() not in TITLE_WORDS
            and w.lower() not in _NO_NAME
            and not _demonym(w)
            and not (w.endswith(("'s", "’s")) and unnamed.end() == len(clean))  # the noun heads the phrase
            for w in head
        )
        if not named_before:
            return Attribution("unnamed-source", "unnamed", clean, clean, start, start + len(clean))
    if verb in _SOURCE_ONLY and not _ORG.search(clean):
        return None
    person = _person_of(clean)
    if person:  # "Maria Chen of the Friends of Westbrook Library": the person speaks, the body is theirs
        at = start + lead + clean.index(person)
        return Attribution(rule, "named", _name_of(person), person, at, at + len(person))
    if name:
        at = start + lead + clean.rindex(name)
        return Attribution(rule, "named", _name_of(name), name, at, at + len(name))
    org = _ORG.search(clean)
    if org and org.end() == len(clean) and len(words) <= 4:
        body = re.sub(r"^(?:the|a|an|its|their)\s+", "", clean, flags=re.IGNORECASE)
        at = start + clean.index(body)
        return Attribution(rule, "named", body, clean, at, at + len(body))
    role = _ROLE.match(clean)
    if role and len(words) <= 4:  # "the mayor", "the country's president": a person named by office
        return Attribution(rule, "role", role.group("title").lower(), clean, start + lead, start + lead + len(clean))
    return None


# Offices one person holds at a time: "the mayor said" names the person the text calls mayor.
ROLE_TITLES = (
    "president|vice president|prime minister|minister|mayor|governor|senator|ambassador|spokesman|spokeswoman|"
    "spokesperson|secretary|chancellor|judge|director|chairman|chairwoman|chair|envoy|king|queen|pope|sheriff|"
    "commander|prosecutor|premier|councillor|councilor"
)
_ROLE = re.compile(
    rf"^(?:the|its|their|his|her|[\w.-]+[’']s)\s+(?:[\w’'.-]+\s+)?(?P<title>{ROLE_TITLES})$", re.IGNORECASE
)
_PERSON_OF = re.compile(r"^(?P<who>.+?)\s+of\s+(?:the\s+)?[A-ZÀ-ÖØ-Þ]")


def _person_of(phrase: str) -> str | None:
    """The person's name in "NAME of ORGANISATION" (a name of two to four capitalised words, title words
    left off, before "of"), or None: "Secretary of State …" and "Bank of England" have no such name."""
    m = _PERSON_OF.match(phrase)
    if not m:
        return None
    words = name_words(m.group("who").split())
    if not 2 <= len(words) <= 4 or not _is_name_run(words) or _ORG.search(" ".join(words)):
        return None
    return " ".join(words)


def _demonym(word: str) -> bool:
    return word.lower().endswith(_DEMONYM_END) and _CAP.match(word) is not None


def _is_name_run(words: list[str]) -> bool:
    return bool(words) and all(_CAP.match(w) or w.lower() in _CONNECTORS for w in words)


def _trailing_name(phrase: str) -> str | None:
    """The run of capitalised words (with connectors such as "de") that ends the phrase, if any."""
    tokens = phrase.strip().split()
    if not tokens:
        return None
    run: list[str] = []
    for tok in reversed(tokens):
        bare = tok.strip(',;:()“”"')
        if _CAP.match(bare) or (run and bare.lower() in _CONNECTORS):
            run.insert(0, bare)
        else:
            break
    while run and run[0].lower() in _CONNECTORS:
        run.pop(0)
    name = " ".join(run)
    # A run broken by a stray quotation mark is no name the phrase holds as written.
    return name if run and name in phrase else None


def name_words(words: list[str]) -> list[str]:
    """The words of a name without what stands before it in a naming phrase: title words ("Secretary of
    State"), a nationality before a title ("Venezuelan President"), and a possessive ("AS/COA's")."""
    words = list(words)
    for i in range(len(words) - 1, -1, -1):
        if i < len(words) - 1 and words[i].endswith(("'s", "’s")) and _CAP.match(words[i + 1]):
            words = words[i + 1 :]
            break
    while len(words) > 1 and (
        words[0].lower() in TITLE_WORDS
        or words[0].lower() in _CONNECTORS
        or (_demonym(words[0]) and words[1].lower() in TITLE_WORDS)
    ):
        words.pop(0)
    return words


def _name_of(phrase: str) -> str:
    """A name without the title words before it: "Secretary of State Antony Blinken" → "Antony Blinken"."""
    return " ".join(name_words(phrase.split())).strip(" ,.;:")


def _last_boundary(text: str, commas_only: bool = False) -> int | None:
    """Index of the last clause boundary in ``text`` (a comma, semicolon, colon, dash, quotation mark or,
    unless ``commas_only``, a joining word such as "that" or "and"), or None."""
    best = None
    for m in re.finditer(r"[,;:?!—–]|\s-\s|[“”\"](?=\s{2})|(?<=\s{2})[“”\"]", text):
        best = m.start() if commas_only is False or m.group(0) == "," else best
        if commas_only and m.group(0) == ",":
            best = m.start()
    if commas_only:
        return best
    for m in re.finditer(r"(?<![\w’'-])(\w+)(?![\w’'-])", text):
        if m.group(1).lower() in _BOUNDARY_WORDS and m.group(1)[0].islower() and (best is None or m.start() > best):
            best = m.end() - 1
    return best
