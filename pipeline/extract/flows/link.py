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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from pipeline.extract.flows.parens import Parens
from pipeline.extract.flows.parties import Party
from pipeline.extract.flows.periods import DateRef, Period, dated, period_of
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

_NOUNS = ("NOUN", "PROPN")
_PRUNE = frozenset({"relcl", "acl", "advcl", "prep", "punct", "cc", "parataxis", "appos"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLAUSES = frozenset({"conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"})
_SOURCE_PREPS = frozenset({"from", "with", "through"})
_DEFINITE = frozenset({"the", "this", "that", "its", "their"})


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
    headings: list[Party]
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
        for child in verb.lefts:  # "the VAS hosts ...": a subject the parser took for a compound of the verb
            if child.dep_ == "compound" and child.pos_ == "PROPN":
                return child
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _resolve(b: _Block, token: Token | None, sent: Span) -> list[Party]:
    """Parties a subject or owner names.

    A pronoun takes the nearest party before it (in its sentence, else in the paragraph), else the topic;
    a definite common noun ("the council", "the foundation's") the nearest party named before, or of the
    topic or the section headings, whose name ends in that noun.
    """
    if token is None:
        return []
    if token.lower_ in PRONOUNS:
        before = [p for p in b.parties if sent.start_char <= p.start < token.idx]
        before = before or [p for p in b.parties if p.end <= token.idx]
        return [before[-1]] if before else list(b.topic)
    named = b.parties_in(_np(token))
    if named or token.pos_ != "NOUN" or not any(c.lower_ in _DEFINITE for c in token.children):
        return named
    earlier = [p for p in reversed(b.parties) if p.end <= token.idx]
    for p in [*earlier, *b.topic, *b.headings]:
        if not p.country and p.name.lower().rsplit(" ", 1)[-1] == token.lemma_.lower():
            return [p]
    return []


def _owner(b: _Block, noun: Token, sent: Span) -> tuple[list[Party], bool]:
    """Whose money the noun is: possessive, "of X", a name compounded with it, or the subject of "have"/"make";
    and whether the text gives an owner at all (named or not)."""
    found, present = [], False
    for child in noun.children:
        if child.dep_ == "poss":
            found += _resolve(b, child, sent)
            present = True
        elif child.dep_ == "compound":
            found += b.parties_in([child])
    found += [p for p in _prep_parties(b, noun, "of") if not _amount_party(b, p)]
    if not found and not present and noun.dep_ in ("dobj", "attr") and noun.head.lemma_ in OWNING_VERBS:
        subject = _subject(noun.head)
        found, present = _resolve(b, subject, sent), subject is not None
    elif not found and not present and noun.dep_ == "pobj" and noun.head.lower_ in _SOURCE_PREPS:
        # "the VAS hosts forty researchers from a dedicated budget of ...": the subject uses the money
        subject = _subject(noun.head.head) if noun.head.head.pos_ == "VERB" else None
        found, present = _resolve(b, subject, sent), subject is not None
    return found, present or bool(found)


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
        flow.period = dated(b.doc, b.parens, b.dates, path, None, allow_parenthesis=True) or (None, None)


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


@dataclass
class _Sides:
    """Parties found so far, and whether the text fills each side at all (a named party or not)."""

    payers: list[Party] = field(default_factory=list)
    payees: list[Party] = field(default_factory=list)
    payer_given: bool = False
    payee_given: bool = False

    def add(self, paying: bool, parties: list[Party], given: bool = True) -> None:
        (self.payers if paying else self.payees).extend(parties)
        if paying:
            self.payer_given = self.payer_given or given or bool(parties)
        else:
            self.payee_given = self.payee_given or given or bool(parties)


def _roles(b: _Block, span: Span, amount: dict) -> Flow:
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
    sides = _Sides()
    _add_preps(b, head, sides)
    holder = kind in HOLDER_KINDS
    ante = None
    if noun is not None:
        owner, given = _owner(b, noun, sent)
        holder = holder and not (kind in STATE_SPENDS and owner and all(p.country for p in owner))
        sides.add(not holder, owner, given)
        _add_preps(b, noun, sides)
        ante = _antecedent(b, noun)
    two_sided = False
    if verb is not None and verb.lemma_ != "be":
        two_sided = _verb_roles(b, verb, span, sides)
    flow = Flow(
        amount,
        _unique(sides.payers),
        _unique(sides.payees),
        period_of(b.doc, b.parens, b.dates, span, [*([noun] if noun is not None else []), *path]),
        kind,
    )
    if ante is not None:
        _from_antecedent(b, ante, flow, holder)
        flow.payers, flow.payees = _unique(flow.payers), _unique(flow.payees)
    parent = _whole(b, span, verb)
    if parent is not None:  # "90 million USD, of which 74.19 million USD was allocated to ..."
        flow.payers = parent.payees or flow.payers
        if flow.period == (None, None):
            flow.period = parent.period
    elif kind not in PARTYLESS_KINDS and b.topic:
        _topic_fallback(b, flow, sides, holder, two_sided, verb)
    return flow


def _whole(b: _Block, span: Span, verb: Token | None) -> Flow | None:
    """The amount this one is part of: "90 million USD, of which 74.19 million USD was allocated to ..."."""
    if verb is None:
        return None
    if verb.dep_ == "relcl" and (parent := b.flow_at(verb.head)) is not None:
        return parent
    part_of = any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in ("which", "whom") for g in c.children)
        for t in (verb, *span)
        for c in t.children
    )
    earlier = [f for f in b.flows if span.sent.start_char <= f.amount["start_char"] < span.start_char]
    return earlier[-1] if part_of and earlier else None


def _topic_fallback(b: _Block, flow: Flow, sides: _Sides, holder: bool, two_sided: bool, verb: Token | None) -> None:
    """Let the paragraph's topic fill a side the sentence leaves open.

    The topic holds a budget or revenue and spends an expenditure when the sentence names no party; when the
    text gives that side to someone unnamed ("provided by foundations", "each journal would receive"), the topic
    takes the other side of a verb of giving or receiving; a contribution without recipient goes to the topic.
    """
    natural_given = sides.payee_given if holder else sides.payer_given
    natural, other = (flow.payees, flow.payers) if holder else (flow.payers, flow.payees)
    other_given = sides.payer_given if holder else sides.payee_given
    if not natural_given and not flow.payers and not flow.payees:
        natural.extend(b.topic)
    elif natural_given and not natural and two_sided and not other_given:
        other.extend(b.topic)
    elif verb is not None and verb.lemma_ in RECIPIENT_VERBS and flow.payers and not sides.payee_given:
        flow.payees.extend(p for p in b.topic if p.name not in {q.name for q in flow.payers})


def _add_preps(b: _Block, token: Token, sides: _Sides) -> None:
    """ "from X" pays and "to X" receives, whether X is named or not."""
    for word, paying in (("from", True), ("to", False)):
        if any(c.lower_ == word and c.dep_ == "prep" for c in token.children):
            sides.add(paying, _prep_parties(b, token, word))


def _verb_roles(b: _Block, verb: Token, span: Span, sides: _Sides) -> bool:
    """Add the parties of a verb of giving or receiving: subject, agent, "to X", "from X" (conjuncts share).

    Returns whether the verb moves money from one side to the other (giving or receiving).
    """
    lemma = verb.lemma_
    giving, receiving = lemma in GIVING_VERBS, lemma in RECEIVING_VERBS
    if not (giving or receiving or lemma in OWNING_VERBS):
        return False
    subject_token = None if _is_passive(verb) else _subject(verb)
    subject = _resolve(b, subject_token, span.sent)
    if receiving:
        sides.add(False, subject, subject_token is not None)
    elif giving or not (sides.payers or sides.payees):
        sides.add(True, subject, subject_token is not None)
    agents = [c for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "from")]
    sides.add(True, _prep_parties(b, verb, "by") + _nearest_from(b, verb, span), bool(agents))
    to_preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"]
    to = _prep_parties(b, verb, "to")
    if not to and giving:  # "donated $50 million in two installments to the WHO": "to" hangs lower in the clause
        lower = [c for tok in _clause(verb) if tok is not verb for c in tok.children if c.dep_ == "prep"]
        to_preps += [c for c in lower if c.lower_ == "to"]
        to = [p for tok in _clause(verb) if tok is not verb for p in _prep_parties(b, tok, "to")]
    if (
        not to_preps and verb.dep_ == "conj"
    ):  # "contributed 30 million to X, and in 2015 made a new contribution of ..."
        to = _prep_parties(b, verb.head, "to")
    sides.add(False, to, bool(to_preps))
    return giving or receiving


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
    text: str,
    doc: Doc,
    amounts: list[dict],
    parties: list[Party],
    dates: list[DateRef],
    topic: list[Party],
    headings: list[Party],
) -> list[Flow]:
    """Flows of the block's amounts (rows of ``amounts``, block offsets), in text order.

    ``topic`` is what the paragraph is about, ``headings`` the organizations of its section headings (own first).
    """
    starts = [a["start_char"] for a in amounts]
    b = _Block(text, doc, Parens.of(text), parties, dates, topic, headings, starts)
    for amount in sorted(amounts, key=lambda a: a["start_char"]):
        span = doc.char_span(amount["start_char"], amount["end_char"], alignment_mode="expand")
        flow = _from_parenthesis(b, amount)
        if flow is None and span is not None:
            flow = _roles(b, span, amount)
        if flow is None:
            flow = Flow(amount)
        if span is not None:
            flow.evidence = (span.sent.start_char, span.sent.end_char)
        b.flows.append(flow)
    return b.flows
