"""General English vocabulary of money flows: which words name a kind of flow, and which party they point at.

These are the ordinary words of budgets and funding (any report uses them), keyed by lemma.
A verb of giving has its giver as subject and its recipient after "to"; a verb of receiving
the other way round. A money noun has an owner (possessive, "of X", or the subject of "have"):
for spending nouns the owner pays, for holding nouns ("budget", "revenue") the owner receives.
"""

from __future__ import annotations

# lemma -> kind, for nouns and verbs
KINDS: dict[str, str] = {
    "expenditure": "expenditure",
    "expense": "expenditure",
    "spending": "expenditure",
    "spend": "expenditure",
    "outlay": "expenditure",
    "budget": "budget",
    "contribution": "contribution",
    "contribute": "contribution",
    "contributor": "contribution",
    "donation": "donation",
    "donate": "donation",
    "donor": "donation",
    "grant": "grant",
    "scholarship": "grant",
    "award": "grant",
    "revenue": "revenue",
    "income": "revenue",
    "earnings": "revenue",
    "earn": "revenue",
    "investment": "investment",
    "invest": "investment",
    "investor": "investment",
    "cost": "cost",
    "subsidy": "subsidy",
    "subsidize": "subsidy",
    "subsidise": "subsidy",
    "endowment": "endowment",
    "endow": "endowment",
    "allocation": "allocation",
    "allocate": "allocation",
    "earmark": "allocation",
    "assistance": "assistance",
    "aid": "assistance",
    "market": "market_size",
    "funding": "contribution",
    "fund": "contribution",
    "finance": "contribution",
    "support": "contribution",
    "provide": "contribution",
    "give": "contribution",
    "pay": "contribution",
    "payment": "contribution",
    "supplement": "contribution",
    "stipend": "grant",
    "pledge": "contribution",
    "transfer": "contribution",
    "disburse": "contribution",
    "lend": "contribution",
    "loan": "contribution",
    "sponsor": "contribution",
    "cover": "subsidy",
    "receive": "contribution",
    "obtain": "contribution",
    "raise": "contribution",
    "collect": "revenue",
    "secure": "contribution",
}

# verbs whose subject gives (active voice); the recipient follows "to"
GIVING_VERBS = frozenset(
    {
        "contribute",
        "donate",
        "give",
        "provide",
        "grant",
        "award",
        "pay",
        "fund",
        "finance",
        "invest",
        "allocate",
        "spend",
        "transfer",
        "pledge",
        "offer",
        "lend",
        "disburse",
        "cover",
        "support",
        "subsidize",
        "subsidise",
        "sponsor",
        "commit",
        "inject",
        "earmark",
        "endow",
    }
)
# verbs whose subject receives; the giver follows "from"
RECEIVING_VERBS = frozenset({"receive", "get", "obtain", "earn", "raise", "collect", "accept", "secure", "attract"})
# verbs of giving that imply a recipient even when the sentence leaves it out
RECIPIENT_VERBS = frozenset({"contribute", "donate", "pledge", "transfer", "grant", "award"})
# verbs that pass an owner to their object: "X had investments of ...", "X made a contribution of ..."
OWNING_VERBS = frozenset({"have", "make", "hold", "record", "report", "announce", "set", "establish", *GIVING_VERBS})

# kinds whose owner receives or holds the money; the owner of every other kind pays it
HOLDER_KINDS = frozenset({"budget", "revenue", "endowment", "cost"})
# kinds that are measures of a market or economy, never paid by or to a party of the text
PARTYLESS_KINDS = frozenset({"market_size"})
# a state's budget is what it spends (its R&D budget), not what it is given
STATE_SPENDS = frozenset({"budget", "cost"})

GOVERNMENT_NOUNS = frozenset({"government", "state", "authorities", "administration"})
PRONOUNS = frozenset({"it", "its", "they", "their", "them"})
