"""Organisation name forms: the designator words that mark a body, clean surfaces and merge keys.

"the Veltravan Academy of Arts", "Veltravan Academy of Arts'" and "Veltravan
Academy of Arts," are one name; so are "Association for X" and
"Association of X", or "Centre" and "Center". Only general English word
lists live here (designators, function words, spelling variants).
"""

from __future__ import annotations

import itertools
import re

from pipeline.extract.lexicon import (
    CALENDAR_WORDS,
    CONNECTORS,
    DESIGNATORS,
    NON_BODY_NOUNS,
    SPELLING,
    TITLES,
    TOPIC_NOUNS,
)

__all__ = [
    "clean_org",
    "designator",
    "has_designator",
    "is_org_name",
    "names_a_body",
    "org_key",
    "significant_words",
]

_MONTHS = "|".join(sorted(CALENDAR_WORDS))
# Before a name: bullets, quotes, list numbers ("(2) ", "b) "), a month, a session ordinal (not "21st Century").
_LEAD = re.compile(
    rf"(?:[^\w\u3000-\u9fff]+|\(?(?:\d{{1,2}}|[a-z])[.)]\s*|(?i:{_MONTHS})\b[\s,]*|\d+(?:st|nd|rd|th)\s+(?!Century\b))*"
)
_HEAD_COMPLEMENTS = frozenset({"of", "for", "on", "de", "du", "des", "für"})
_COMPANY_SUFFIXES = frozenset(
    {"co", "corp", "inc", "ltd", "llc", "plc", "gmbh", "ag", "b", "v", "bv", "sa", "nv", "company", "corporation"}
)
_ELIDED = re.compile(r"[dl]['’]\w+")
# Endings of adverbs and adjectives that the model sometimes tags alone as ORG ("Actively", "International").
_ADJECTIVE_ENDINGS = ("ly", "al", "ic", "ive", "ous", "ful", "ible", "able", "ary")
_ARTICLE = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
# After a name: possessives and punctuation; the dot of an abbreviation stays.
_TRAIL = re.compile(r"(?:['’]s?|[^\w.&\u3000-\u9fff]+)+$")
_ABBREVIATION_END = re.compile(r"(?:\b(?:Co|Corp|Inc|Ltd|Bros|B\.V|S\.A|N\.V|L\.P)\.|\b[A-Z]\.)$")
_KEY_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_URLISH = re.compile(r"https?:|www\.|@|/|\.(?:com|org|net|gov|edu|int|html?)\b", re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u9fff]")
_MAX_WORDS = 12
# Capitalised in headings ("Authority for This Rule"), never inside a body's name.
_DEICTIC = frozenset({"this", "that", "these", "those", "our", "your", "its", "their", "my"})
# "Aircraft The X Company": a capital article after another word opens a new name.
_INNER_ARTICLE = re.compile(r"(?<=\w )The (?=[A-Z])")
_TITLE_LEAD = re.compile(r"((?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*),\s+(?=[A-Z])")
# A longer word in capitals is a shouted word ("MEMORANDUM"), not an acronym.
_MAX_ACRONYM = 7


def _bare(word: str) -> str:
    return _singular(word.strip(".,;:'’\"()").lower())


def designator(word: str) -> str | None:
    """The designator a word is, singular and lower-case ("Institutes" -> "institute"), or None."""
    bare = _bare(word)
    return bare if bare in DESIGNATORS else None


def has_designator(text: str) -> bool:
    """True when some word of ``text`` is an organisation designator."""
    return any(designator(w) for w in text.split())


def clean_org(text: str, at_sentence_start: bool) -> tuple[int, int]:
    """Offsets of the name inside an ORG span, without what the model or a rule took along.

    Dropped in front: bullets and list numbers, a month ("November, X Press"), an ordinal that
    counts sessions ("the 9th Tide Congress" is the congress), and the article "the". A capital
    "The" inside a sentence is part of the name ("The Harbour Academy ..."); at the start of a
    sentence it is just the article. Dropped behind: possessives and punctuation, except the dot
    of an abbreviation ("Co., Ltd."), and a colon with what it introduces ("X Company: Docket No").
    """
    inner = _INNER_ARTICLE.search(text)
    start, floor = -1, inner.start() if inner else _title_lead(text)
    while start != (start := _LEAD.match(text, max(start, floor)).end()):
        article = _ARTICLE.match(text, start)
        if article and (text[start].islower() or at_sentence_start or start > 0):
            start = article.end()
    end = _before_label(text, start)
    while end > start:
        trail = _TRAIL.search(text, start, end)
        if trail is not None and trail.start() < end:
            end = trail.start()
        elif text[end - 1] == "." and _ABBREVIATION_END.search(text, start, end) is None:
            end -= 1
        else:
            break
    return start, end


def _before_label(text: str, start: int) -> int:
    """Where the name ends before a colon: "X Company: Docket No. 12" labels what follows, the name is before it."""
    colon = text.find(":", start)
    return colon if colon > start and not _URLISH.search(text) else len(text)


def _title_lead(text: str) -> int:
    """Where the name starts after a role written before it ("Director, Policy Division" -> "Policy Division")."""
    lead = _TITLE_LEAD.match(text)
    if lead is None or not all(_bare(w) in TITLES for w in re.split(r"[\s-]+", lead.group(1))):
        return 0
    return lead.end()


def _allowed_lower(word: str) -> bool:
    """Lower-case words a name may hold: connectors and elided articles ("d'Optique")."""
    return word.lower() in CONNECTORS or _ELIDED.fullmatch(word) is not None


def _lone_word_ok(word: str) -> bool:
    """A one-word name: an acronym or a proper name, not an adverb, adjective, shouted word or bare designator."""
    if word.isupper() or not word[0].isupper():
        shaped = word.isupper() and word.isalnum() and len(word) <= _MAX_ACRONYM and len(set(word)) > 1
        return shaped and not designator(word)
    lower = word.lower()
    return not (lower.endswith(_ADJECTIVE_ENDINGS) or designator(word))


def is_org_name(name: str) -> bool:
    """True when a cleaned ORG surface can be a name: capitalised (or CJK), short, no URL, no sentence words.

    Lower-case words are allowed only as connectors ("of", "and", ...), which rejects spans that ran
    into the verb or object of a sentence.
    """
    words = name.split()
    if not words or len(words) > _MAX_WORDS or _URLISH.search(name):
        return False
    if _CJK.search(name):
        return True
    first = words[0]
    if not (first[0].isupper() or (first[0].isdigit() and first[-1].isalpha())) or not any(c.isalpha() for c in name):
        return False
    if len(words) == 1 and not _lone_word_ok(first):
        return False
    if any(w.lower() in _DEICTIC for w in words[1:]):
        return False
    return all(_allowed_lower(w) for w in words if not w[0].isupper() and not w[0].isdigit())


def _singular(word: str) -> str:
    """Rough English singular of a lower-case noun ("agencies" -> "agency", "press" stays)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def names_a_body(name: str) -> bool:
    """Whether a name (or an acronym's long form) names an organisation, not an event, goal, plan, measure or role.

    A designator taking a complement settles it ("Center for ... Strategy"); else a last word like
    "Meeting" or "Goals" rules it out; then any designator settles it ("... Agency"); otherwise a
    head noun of a plan or measure anywhere ("... Initiative for ...") or a role at the end ("...
    Officer") rules it out.
    """
    raw = name.split()
    if any(designator(w) and nxt.lower() in _HEAD_COMPLEMENTS for w, nxt in itertools.pairwise(raw)):
        return True
    words = [_singular(w) for w in significant_words(name)]
    numbered = False
    while words and words[-1].isdigit():  # "... Bulletin 12", "... Flight 610": a numbered item, not a body
        words.pop()
        numbered = True
    if not words or words[-1] in NON_BODY_NOUNS or words[-1] in TOPIC_NOUNS:
        return False
    if numbered and words[-1] not in DESIGNATORS:
        return False
    if any(w in DESIGNATORS for w in words):
        return True
    return not any(w in NON_BODY_NOUNS for w in words) and words[-1] not in TITLES


def significant_words(name: str) -> list[str]:
    """Lower-case content words of a name with spelling variants unified (the merge vocabulary)."""
    words = [w.lower() for w in _KEY_WORD.findall(name)]
    return [SPELLING.get(w, w) for w in words if w not in CONNECTORS and w != "s"]


def org_key(name: str) -> str:
    """Merge key: content words without a company suffix, so "Association of X", "the Association for X" meet,
    and so do "X Media" and "X Media Ltd."."""
    words = significant_words(name)
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)
