"""Organisation names found by their head noun: capitalised phrases headed by a designator.

The small model misses or mis-bounds many long official names ("Ministry of
Tides and Harbours' Office of Coastal Survey" as one ORG).
A run of capitalised words, joined by lower-case connectors, whose head is a
designator ("Agency", "Ministry of ...") is an organisation name; runs holding
two heads joined by "and", a comma or a possessive are two names.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.extract.acronyms import acronym_shaped
from pipeline.extract.lexicon import CALENDAR_WORDS, CONNECTORS
from pipeline.extract.orgnames import designator

__all__ = ["GROUP"]

GROUP = "org_rule"
# Words after a head that continue the name ("Ministry of ...", "Institute for ...").
_COMPLEMENT = frozenset({"of", "for", "on", "de", "du", "des", "für", "d'"})
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVE = frozenset({"'s", "’s"})
_SEPARATOR_ORDER = (frozenset({","}), frozenset({"and"}), _POSSESSIVE)
# Company suffixes are heads, but "X Print & Media Ltd." is one name, not two.
_SUFFIXES = frozenset({"co", "corp", "inc", "ltd", "llc", "plc", "gmbh", "ag"})
# "University of Veltra in Orvan": a place or time after the name.
_LOCATIVE = frozenset({"in", "at"})
_MAX_TOKENS = 14
# "U.S.-led", "Orvan-based": an adjective made from a name, not part of one ("Co-operation" is).
_MODIFIER = re.compile(
    r"-(?:led|based|born|funded|owned|run|backed|sponsored|affiliated|related|linked|oriented|centred|centered"
    r"|style|wide|made|listed)$"
)


def _is_name(token: Token) -> bool:
    """A capitalised word or an ordinal ("21st"), but not a month or a modifier like "U.S.-led"."""
    text = token.text
    if token.lower_ in CALENDAR_WORDS or _MODIFIER.search(text):
        return False
    return text[:1].isupper() or (text[:1].isdigit() and text[-2:] in {"st", "nd", "rd", "th"})


def _is_connector(token: Token) -> bool:
    return token.lower_ in CONNECTORS or token.lower_ in _POSSESSIVE or token.text in {",", "-", "–"}


def _runs(sent: Span) -> list[list[Token]]:
    """Maximal runs of name tokens joined by connectors.

    Connectors never open or close a run, and an article only follows another connector
    ("of the"), so "Reading the National X Council" starts its run at "National".
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    pending: list[Token] = []
    for token in sent:
        if _is_name(token) and (current or not token.is_stop):
            current += [*pending, token]
            pending = []
        elif current and _is_connector(token) and len(pending) < 3 and (pending or token.lower_ not in _ARTICLES):
            pending.append(token)
        else:
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return runs


def _is_head(tokens: list[Token], i: int, strong: bool = False) -> bool:
    """A designator ending a name (before the end, a comma or a complement: "Ministry of ...").

    Strong heads exclude company suffixes.
    """
    word = designator(tokens[i].text)
    if word is None or (strong and word in _SUFFIXES):
        return False
    return i == len(tokens) - 1 or tokens[i + 1].lower_ in _COMPLEMENT or tokens[i + 1].text in {",", ";"}


def _has_head(tokens: list[Token], strong: bool = False) -> bool:
    return any(_is_head(tokens, i, strong) for i in range(len(tokens)))


def _cut(tokens: list[Token], i: int) -> tuple[list[Token], list[Token]]:
    """The two sides of a separator, without the connectors next to it."""
    left, right = tokens[:i], tokens[i + 1 :]
    while left and _is_connector(left[-1]):
        left.pop()
    while right and right[0].text.islower() and (_is_connector(right[0]) or right[0].is_stop):
        right.pop(0)
    while right and right[0].is_punct:
        right.pop(0)
    return left, right


def _coordinated_before_head(tokens: list[Token]) -> bool:
    """'Marine and Coastal Organization': an 'and' before the first head."""
    first = next((i for i in range(len(tokens)) if _is_head(tokens, i)), 0)
    return any(t.lower_ in {"and", "&"} for t in tokens[:first])


def _splits_at(tokens: list[Token], i: int) -> bool:
    """Whether the separator at ``i`` stands between two names.

    A comma needs a name on its right (not a lone company suffix, ", Ltd."), unless it separates
    modifiers listed before one head: "Veltra Fishing, Marine and Coastal Organization" stays
    whole. "And" and a possessive need a headed name on both sides; "and" must also touch a head
    or precede an article, so "Ministry of Tides and Harbours" and "Fish and Forestry Board" stay
    whole.
    """
    left, right = _cut(tokens, i)
    word = tokens[i].lower_
    if word == ",":
        return _has_head(right, strong=True) and (_has_head(left) or not _coordinated_before_head(right))
    if not left or not right:
        return False
    if word == "and":
        article_follows = i + 1 < len(tokens) and tokens[i + 1].lower_ in _ARTICLES
        bounded = _is_head(right, 0) or _is_head(left, len(left) - 1) or article_follows
        return bounded and _has_head(right) and _has_head(left)
    return _has_head(right, strong=True) and _has_head(left)


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Cut a run into names: at commas, then at 'and', then at possessives, the last one that splits first."""
    for group in _SEPARATOR_ORDER:
        for i in range(len(tokens) - 1, 0, -1):
            if tokens[i].lower_ in group and _splits_at(tokens, i):
                left, right = _cut(tokens, i)
                return [*_split(left), *_split(right)]
    return [tokens]


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop a head-less lead and what follows the name.

    The lead ends with 'of' or 'at' ("Ann Lee of the X Agency") or is a place or person owning the
    body ("Veltrava's X Council", but not "Workers' Tide Congress" or "People's X").
    """
    heads = [j for j in range(len(tokens)) if _is_head(tokens, j)]
    if not heads:
        return tokens
    cuts = [j for j in range(heads[0]) if _ends_lead(tokens, j)]
    start = cuts[-1] + 1 if cuts else 0
    while start < heads[0] and _drops_from_lead(tokens[start]):
        start += 1
    end = next((j for j in range(heads[-1] + 1, len(tokens)) if _ends_name(tokens, j)), len(tokens))
    return tokens[start:end]


def _drops_from_lead(token: Token) -> bool:
    """A connector, article or stop word before the name; not a capitalised particle opening it ("La X Institute")."""
    if token.lower_ in _ARTICLES or not token.text[:1].isupper():
        return _is_connector(token) or token.is_stop
    return token.is_stop and token.lower_ not in CONNECTORS


def _ends_lead(tokens: list[Token], j: int) -> bool:
    """'of', 'at' (in lower case: "De X Foundation" opens with a particle), or the possessive of a place or
    person the model recognised (not of an ORG)."""
    if (tokens[j].lower_ in _COMPLEMENT or tokens[j].lower_ == "at") and not tokens[j].text[:1].isupper():
        return True
    owner = tokens[j - 1] if j > 0 else None
    return tokens[j].lower_ in _POSSESSIVE and owner is not None and owner.ent_type_ not in {"", "ORG"}


def _ends_name(tokens: list[Token], j: int) -> bool:
    """Where a name ends before a place or time ("in"/"at") or a list: a comma after a head or after a head's
    complement ("Ministry of Tides, Room 4"), or before an acronym.

    A comma list closed by "and" is the name's own complement ("... of Ports, Rivers, Canals and Coasts").
    """
    if tokens[j].lower_ in _LOCATIVE:
        return True
    if tokens[j].text != "," or j + 1 == len(tokens):
        return False
    closed_by_and = any(t.lower_ == "and" for t in tokens[j:])
    completed = any(_is_head(tokens, i) and tokens[i + 1].lower_ in _COMPLEMENT for i in range(j - 2))
    return acronym_shaped(tokens[j + 1].text) or ((_is_head(tokens, j - 1) or completed) and not closed_by_and)


@Language.component("org_designators")
def org_designators(doc: Doc) -> Doc:
    """Add designator-headed names to ``doc.spans["org_rule"]``."""
    found = []
    for sent in doc.sents:
        for run in _runs(sent):
            for piece in map(_trim, _split(run)):
                if 2 <= len(piece) <= _MAX_TOKENS and _has_head(piece):
                    found.append(doc[piece[0].i : piece[-1].i + 1])
    doc.spans[GROUP] = found
    return doc
