"""Surface forms of one organisation that differ by more than spelling.

Three patterns, each accepted only when it points to a single other form of
the document (so "Veltran Academy of Arts" and "Orvan Academy of Arts" never
meet through a shared "Academy of Arts"):

- a qualifier in front: a parent's acronym (also dotted, "V.R."), or a nationality adjective
  ("ABC Data Office" / "Data Office", "Veltran Ministry of Tides" / "Ministry of Tides");
- a complement behind: "Halden Institute for X" / "Halden Institute";
- an undefined acronym whose letters are exactly the initials of a name ("UH" / "United Harbours").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from pipeline.extract.acronyms import acronym_shaped
from pipeline.extract.lexicon import CONNECTORS
from pipeline.extract.orgnames import has_designator

__all__ = ["variant_links"]

_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ian|an|ish|ic|i)")
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
_COMPLEMENT = re.compile(r"\s(?:of|for|on)\s")


def _qualified(form: str) -> str | None:
    """'ABC Data Office' -> 'Data Office' when the first word is an acronym or a nationality adjective."""
    first, _, rest = form.partition(" ")
    qualifier = acronym_shaped(first) or _DOTTED.fullmatch(first) or _DEMONYM.fullmatch(first)
    return rest if len(rest.split()) >= 2 and has_designator(rest) and qualifier else None


def _complemented(form: str, known: set[str]) -> list[str]:
    """Shorter known forms that ``form`` extends with an 'of'/'for'/'on' phrase."""
    heads = [form[: m.start()] for m in _COMPLEMENT.finditer(form)]
    return [h for h in heads if h in known and len(h.split()) >= 2 and has_designator(h)]


def _initials(form: str) -> str:
    return "".join(w[0] for w in form.split() if w.lower() not in CONNECTORS and w[0].isupper())


def _unique(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep a (variant, base) pair only when neither side is claimed by another pair of the same pattern."""
    pairs = list(dict.fromkeys(pairs))
    bases, variants = defaultdict(set), defaultdict(set)
    for variant, base in pairs:
        bases[variant].add(base)
        variants[base].add(variant)
    return [(v, b) for v, b in pairs if len(bases[v]) == 1 and len(variants[b]) == 1]


def variant_links(forms: Iterable[str], defined: set[str]) -> list[tuple[str, str]]:
    """Pairs of forms naming the same body; ``defined`` acronyms are left to their definitions."""
    known = set(forms)
    ordered = sorted(known)
    qualified = _unique((f, base) for f in ordered if (base := _qualified(f)) in known)
    complemented = _unique((f, base) for f in ordered for base in _complemented(f, known))
    by_initials = defaultdict(list)
    for f in ordered:
        if len(f.split()) >= 2 and not acronym_shaped(f):
            by_initials[_initials(f)].append(f)
    acronyms = [
        (f, by_initials[f][0])
        for f in ordered
        if acronym_shaped(f) and f not in defined and len(by_initials.get(f, [])) == 1
    ]
    return qualified + complemented + acronyms
