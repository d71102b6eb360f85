"""Who pays whom, for which period: one flow per amount of a parsed block.

The amount's place in the dependency parse decides: the verb it is the object of (a verb of
giving: its subject pays, "to X" receives; of receiving: the other way), the money noun it
measures ("expenditures ... were", "investments of", "a contribution of") and that noun's owner
(possessive, "of X", compound name, the subject of "have"/"make"), "from X" and "to X" anywhere
on its path. A parenthesis after an amount restates it in another currency or gives the same
figure for another year; one after a name gives that party's share. A relative clause on an
amount ("of which ... was allocated to") passes the money on from its recipient. When the
sentence names no party, the paragraph's topic (the organization it keeps naming, else the one
in its section heading) stands in.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from pipeline.extract.flows.parens import Parens
from pipeline.extract.flows.parties import Party
from pipeline.extract.flows.periods import DateRef
from pipeline.extract.flows.vocab import (
    GIVING_VERBS,
    HOLDER_KINDS,
    KINDS,
    OWNING_VERBS,
    PARTYLESS_KINDS,
    PRONOUNS,
    RECEIVING_VERBS,
    RECIPIENT_VERBS,
    STATE_SPENDS,
)

__all__ = ["Flow", "link_block"]

Period = tuple[datetime.date | None, datetime.date | None]
_NOUNS = ("NOUN", "PROPN")
_PRUNE = frozenset({"relcl", "acl", "advcl", "prep", "punct", "cc", "parataxis", "appos"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLAUSES = frozenset({"conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"})
_MODIFIERS = frozenset({"appos", "npadvmod", "nmod", "nummod", "compound"})
_BOUNDARY_NOUNS = frozenset({"end", "beginning", "start", "close", "middle"})


@dataclass
class Flow:
    """The link read for one amount row."""

    amount: dict
    payers: list[Party] = field(default_factory=list)
    payees: list[Party] = field(default_factory=list)
    period: Period = (None, None)
    kind: str = "other"
    restates: str | None = None
    evidence: tuple[int, int] = (0, 0)


@dataclass
class _Block:
    """What the rules read of one block."""

    text: str
    doc: Doc
    parens: Parens
    parties: list[Party]
    dates: list[DateRef]
    topic: list[Party]
    starts: list[int]
    flows: list[Flow] = field(default_factory=list)

    def parties_in(self, tokens: Sequence[Token]) -> list[Party]:
        spans = [(t.idx, t.idx + len(t)) for t in tokens]
        return [p for p in self.parties if any(p.start < e and s < p.end for s, e in spans)]

    def flow_at(self, token: Token) -> Flow | None:
        return next((f for f in self.flows if f.amount["start_char"] <= token.idx < f.amount["end_char"]), None)


def _np(token: Token) -> list[Token]:
    """The noun phrase of ``token``: its subtree without clauses, other prepositions and asides ("of X" stays)."""
    out = [token]
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            out += [t for g in child.children for t in _np(g)]
        elif child.dep_ == "conj" or child.dep_ not in _PRUNE:
            out += _np(child)
    return out


def _prep_parties(b: _Block, token: Token, word: str) -> list[Party]:
    """Parties after the preposition ``word`` attached to ``token`` ("to X", "from X", agent "by X")."""
    found = []
    for child in token.children:
        if child.lower_ == word and child.dep_ in ("prep", "agent", "dative"):
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    found += b.parties_in(_np(obj))
    return found


def _subject(verb: Token) -> Token | None:
    """The subject of ``verb``, shared from the verb it is conjoined with or complements."""
    while True:
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                return child
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _resolve(b: _Block, token: Token | None, sent: Span) -> list[Party]:
    """Parties a subject or owner names; a pronoun takes the nearest party before it in the sentence, else the topic."""
    if token is None:
        return []
    if token.lower_ in PRONOUNS:
        before = [p for p in b.parties if sent.start_char <= p.start < token.idx]
        if before:
            return [before[-1]]
        return list(b.topic)
    return b.parties_in(_np(token))


def _owner(b: _Block, noun: Token, sent: Span) -> list[Party]:
    """Whose money the noun is: possessive, "of X", a name compounded with it, or the subject of "have"/"make"."""
    found = []
    for child in noun.children:
        if child.dep_ == "poss":
            found += _resolve(b, child, sent)
        elif child.dep_ == "compound":
            found += b.parties_in([child])
    found += [p for p in _prep_parties(b, noun, "of") if not _amount_party(b, p)]
    if not found and noun.dep_ in ("dobj", "attr") and noun.head.lemma_ in OWNING_VERBS:
        found = _resolve(b, _subject(noun.head), sent)
    return found


def _antecedent(b: _Block, noun: Token) -> Token | None:
    """For the owner of "the project's budget": the same noun in an earlier sentence of the paragraph."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None or owner.pos_ != "NOUN" or b.parties_in(_np(owner)):
        return None
    if not any(c.lower_ in ("the", "this", "that") for c in owner.children):
        return None
    earlier = [t for t in b.doc[: noun.sent.start] if t.lemma_ == owner.lemma_ and t.pos_ == "NOUN"]
    return earlier[-1] if earlier else None


def _from_antecedent(b: _Block, ante: Token, flow: Flow, holder: bool) -> None:
    """Fill what the sentence leaves open from what the paragraph said of the thing before: its name or the one
    who runs it, the money that came "from" someone in that sentence, its period."""
    owner = b.parties_in(_np(ante))
    if not owner and ante.dep_ in ("dobj", "nsubjpass"):
        owner = _resolve(b, _subject(ante.head), ante.sent)
    if not (flow.payees if holder else flow.payers):
        (flow.payees if holder else flow.payers).extend(owner)
    if not flow.payers:
        for tok in ante.sent:
            if tok.pos_ in _NOUNS and tok.lemma_.lower() in KINDS:
                flow.payers += _prep_parties(b, tok, "from")
    if flow.period == (None, None):
        path = [ante, *ante.ancestors]
        flow.period = _dated(b, path, None, allow_parenthesis=True) or (None, None)


def _amount_party(b: _Block, party: Party) -> bool:
    return any(f.amount["start_char"] <= party.start < f.amount["end_char"] for f in b.flows)


def _money_noun(path: list[Token], sent: Span) -> Token | None:
    """The money noun the amount measures: on its path below the verb, else the copula's subject."""
    for tok in path[1:]:
        if tok.pos_ in ("VERB", "AUX"):
            subj = _subject(tok)
            if tok.lemma_ == "be" and subj is not None:
                if subj.lemma_.lower() in KINDS:
                    return subj
                if subj.lower_ in PRONOUNS:  # "its budget ... decreased, it is still ..., at 24.2 trillion"
                    earlier = [t for t in sent if t.i < subj.i and t.pos_ in _NOUNS and t.lemma_.lower() in KINDS]
                    return earlier[-1] if earlier else None
            return None
        if tok.pos_ in _NOUNS and tok.lemma_.lower() in KINDS:
            return tok
    return None


def _verb(path: list[Token]) -> Token | None:
    return next((t for t in path[1:] if t.pos_ in ("VERB", "AUX")), None)


def _period(b: _Block, span: Span, path: list[Token], noun: Token | None) -> Period:
    """The period from the dates introduced as times that hang on the amount, its noun or its path."""
    inner = b.parens.inner(span.start_char, span.end_char)
    timed = [d for d in b.dates if d.word is not None]
    if inner is not None:  # a parenthesis carrying its own year
        own = [d for d in timed if b.parens.inner(d.start_char, d.end_char) == inner]
        if own:
            return own[0].start, own[0].end
    anchors = [*span, *([noun] if noun is not None else []), *path]
    return _dated(b, anchors, inner) or (None, None)


def _dated(
    b: _Block, anchors: list[Token], inner: tuple[int, int] | None, allow_parenthesis: bool = False
) -> Period | None:
    """The period of the date that attaches nearest to the anchors (in their order); None when none does."""
    order = [t.i for t in anchors]
    best: tuple[int, DateRef] | None = None
    for d in b.dates:
        if d.word is None or (d.word == "(" and not allow_parenthesis):
            continue
        if d.word != "(" and b.parens.inner(d.start_char, d.end_char) not in (None, inner):
            continue
        tok = _attachment(b.doc, d)
        if tok is not None and tok.i in order:
            rank = order.index(tok.i)
            if best is None or rank < best[0]:
                best = (rank, d)
    if best is None:
        return None
    d = best[1]
    if d.cumulative:
        sent_start = b.doc[order[0]].sent.start_char
        earlier = [e.start for e in b.dates if e.end_char <= sent_start and e.start.year < d.end.year]
        return (datetime.date(min(earlier).year, 1, 1) if earlier else None), d.end
    return d.start, d.end


def _attachment(doc: Doc, d: DateRef) -> Token | None:
    """The token a date expression modifies: climb out of its prepositions ("as of the end of December 2022")."""
    span = doc.char_span(d.start_char, d.end_char, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    while tok.head is not tok and (
        tok.dep_ in ("pobj", "pcomp", "prep") or tok.pos_ == "ADP" or tok.lower_ in _BOUNDARY_NOUNS
    ):
        tok = tok.head
    return tok.head if tok.dep_ in _MODIFIERS else tok


def _roles(b: _Block, span: Span) -> Flow:
    """The flow read from the parse around one amount."""
    sent = span.sent
    head = span.root
    path = [head, *head.ancestors]
    noun = _money_noun(path, sent)
    verb = _verb(path)
    kind = KINDS.get(noun.lemma_.lower()) if noun is not None else None
    if kind is None and verb is not None:
        kind = KINDS.get(verb.lemma_.lower())
    kind = kind or "other"
    payers = _prep_parties(b, head, "from")
    payees = _prep_parties(b, head, "to")
    holder = kind in HOLDER_KINDS
    ante = None
    # "TWAS's revenue", "TWAS has set up": a name that is no entity of this document; not the topic's money
    named_elsewhere = False
    if noun is not None:
        owner = _owner(b, noun, sent)
        holder = holder and not (kind in STATE_SPENDS and owner and all(p.country for p in owner))
        (payees if holder else payers).extend(owner)
        payers += _prep_parties(b, noun, "from")
        payees += _prep_parties(b, noun, "to")
        ante = _antecedent(b, noun)
        named_elsewhere = any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in noun.children) and not owner
    unnamed_giver = False
    if verb is not None and (subj := _subject(verb)) is not None and subj.pos_ == "PROPN":
        named_elsewhere = named_elsewhere or not b.parties_in(_np(subj))
    if verb is not None and verb.lemma_ != "be":
        payers, payees, unnamed_giver = _verb_roles(b, verb, span, payers, payees)
    flow = Flow(dict(), _unique(payers), _unique(payees), _period(b, span, path, noun), kind)
    if ante is not None:
        _from_antecedent(b, ante, flow, holder)
        flow.payers, flow.payees = _unique(flow.payers), _unique(flow.payees)
    parent = b.flow_at(verb.head) if verb is not None and verb.dep_ == "relcl" else None
    if parent is not None:  # "90 million USD, of which 74.19 million USD was allocated to ..."
        flow.payers = parent.payees or flow.payers
        if flow.period == (None, None):
            flow.period = parent.period
    elif kind not in PARTYLESS_KINDS and b.topic and not named_elsewhere:
        if not flow.payers and not flow.payees:
            # the paragraph's topic holds a budget or revenue, spends an expenditure; when the sentence gives the
            # money an unnamed giver ("provided by foundations"), the topic is what receives it
            (flow.payees if holder or unnamed_giver else flow.payers).extend(b.topic)
        elif verb is not None and verb.lemma_ in RECIPIENT_VERBS and not flow.payees:
            flow.payees.extend(p for p in b.topic if p.name not in {q.name for q in flow.payers})
    return flow


def _verb_roles(
    b: _Block, verb: Token, span: Span, payers: list[Party], payees: list[Party]
) -> tuple[list[Party], list[Party], bool]:
    """Add the parties of a verb of giving or receiving: subject, agent, "to X", "from X" (conjuncts share).

    The flag tells that the verb has a giver the text does not name ("is provided by foundations").
    """
    lemma = verb.lemma_
    giving, receiving = lemma in GIVING_VERBS, lemma in RECEIVING_VERBS
    if not (giving or receiving or lemma in OWNING_VERBS):
        return payers, payees, False
    passive = _is_passive(verb)
    subject = [] if passive else _resolve(b, _subject(verb), span.sent)
    if receiving:
        payees = payees + subject
    elif giving or not (payers or payees):
        payers = payers + subject
    agents = [c for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "from")]
    named_agents = _prep_parties(b, verb, "by") + _nearest_from(b, verb, span)
    payers = payers + named_agents
    to = _prep_parties(b, verb, "to")
    if not to and giving:  # "donated $50 million in two installments to the WHO": "to" hangs lower in the clause
        to = [p for tok in _clause(verb) if tok is not verb for p in _prep_parties(b, tok, "to")]
    if not to and verb.dep_ == "conj":  # "contributed 30 million to X, and in 2015 made a new contribution of ..."
        to = _prep_parties(b, verb.head, "to")
    return payers, payees + to, giving and passive and bool(agents) and not named_agents


def _nearest_from(b: _Block, verb: Token, span: Span) -> list[Party]:
    """Parties after "from" on the verb; with several amounts and several "from", the one after this amount
    ("with 1.5 million RMB from X and 250,000 USD from Y")."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"]
    if len(preps) > 1:
        following = [a for a in b.starts if a >= span.end_char]
        stop = min(following, default=len(b.text))
        preps = [c for c in preps if span.end_char <= c.idx < stop] or preps
    return [p for c in preps for obj in c.children if obj.dep_ in ("pobj", "pcomp") for p in b.parties_in(_np(obj))]


def _clause(verb: Token) -> list[Token]:
    """The verb's own clause: its subtree without the clauses that hang on it."""
    out = [verb]
    for child in verb.children:
        if child.dep_ not in _CLAUSES:
            out += _clause(child)
    return out


def _unique(parties: list[Party]) -> list[Party]:
    seen: dict[tuple[str, str | None], Party] = {}
    for p in parties:
        seen.setdefault((p.name, p.entity_id), p)
    return list(seen.values())


def _from_parenthesis(b: _Block, amount: dict) -> Flow | None:
    """An amount opening a parenthesis: restating (other currency) or repeating (another year) the amount before,
    or giving the share of the party named before it."""
    inner = b.parens.inner(amount["start_char"], amount["end_char"])
    if inner is None or not b.parens.leads(inner, amount["start_char"]):
        return None
    before = b.parens.before(inner)
    prior = next((f for f in b.flows if f.amount["end_char"] == before), None)
    if prior is not None:
        if prior.amount["currency"] != amount["currency"]:
            return replace(prior, amount=amount, restates=prior.amount["mention_id"])
        own = [d for d in b.dates if d.word and b.parens.inner(d.start_char, d.end_char) == inner]
        period = (own[0].start, own[0].end) if own else prior.period
        return replace(prior, amount=amount, period=period, restates=None)
    named = next((p for p in b.parties if p.end == before), None)
    if named is None:
        return None
    main = next(
        (f for f in reversed(b.flows) if b.parens.inner(f.amount["start_char"], f.amount["end_char"]) is None), None
    )
    flow = Flow(amount, [named], list(main.payees) if main else [], main.period if main else (None, None))
    flow.kind = "contribution"
    return flow


def link_block(
    text: str, doc: Doc, amounts: list[dict], parties: list[Party], dates: list[DateRef], topic: list[Party]
) -> list[Flow]:
    """Flows of the block's amounts (rows of ``amounts``, block offsets), in text order."""
    starts = [a["start_char"] for a in amounts]
    b = _Block(text, doc, Parens.of(text), parties, dates, topic, starts)
    for amount in sorted(amounts, key=lambda a: a["start_char"]):
        span = doc.char_span(amount["start_char"], amount["end_char"], alignment_mode="expand")
        flow = _from_parenthesis(b, amount)
        if flow is None and span is not None:
            flow = _roles(b, span)
            flow.amount = amount
        if flow is None:
            flow = Flow(amount)
        if span is not None:
            flow.evidence = (span.sent.start_char, span.sent.end_char)
        b.flows.append(flow)
    return b.flows
