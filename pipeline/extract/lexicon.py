"""General English word lists behind the name rules (no name from any report).

Words are lower-case; plural forms are matched by the callers stripping an "s".
"""

from __future__ import annotations

import calendar

__all__ = [
    "CALENDAR_WORDS",
    "CONNECTORS",
    "DESIGNATORS",
    "MEDIA_NOUNS",
    "NEWS_NOUNS",
    "NON_BODY_NOUNS",
    "PARTICLES",
    "SPEECH_VERBS",
    "SPELLING",
    "TITLES",
    "TOPIC_NOUNS",
]

# fmt: off
# Head nouns that name a body: "... Agency", "Ministry of ...", "... Co., Ltd.".
DESIGNATORS = frozenset([
    "academy", "administration", "agency", "alliance", "assembly", "association", "authority", "bank", "board",
    "bureau", "cabinet", "center", "centre", "chamber", "coalition", "college", "commission", "committee",
    "company", "congress", "consortium", "corporation", "council", "court", "department", "directorate",
    "division", "faculty", "federation", "foundation", "fund", "government", "group", "hospital", "institute",
    "institution", "laboratory", "lab", "league", "library", "ministry", "network", "observatory",
    "office", "organization", "organisation", "parliament", "party", "press", "publishers", "publishing",
    "secretariat", "senate", "service", "society", "union", "university", "co", "corp", "inc", "ltd", "llc",
    "plc", "gmbh", "ag",
    # the same heads in names written in French, German, Spanish, Italian, Portuguese
    "société", "institut", "instituto", "istituto", "université", "universität", "universidad", "università",
    "universidade", "académie", "akademie", "academia", "fondation", "stiftung", "fundación", "fondazione",
    "gesellschaft", "verband", "centro", "ministerio", "ministère", "ministerium", "agência", "agencia", "agence",
    "agentur", "comité", "comitato", "komite", "autorité", "autoridad", "autoridade", "autorità", "direction",
    "dirección", "direção",
    # units inside a body, and carriers
    "branch", "section", "unit", "airline", "airways",
])
# Lower-case words that may join the capitalised words of one name ("Fish and Forestry Board of the ...").
CONNECTORS = frozenset([
    "of", "and", "for", "the", "on", "in", "at", "a", "an", "&", "de", "du", "des", "la", "le", "el", "für", "d'",
    "y", "van", "von", "zu", "et", "und", "e", "di", "del", "della", "der", "die", "das", "do", "da", "dos",
])
# British and American spellings of designators, unified for merging.
SPELLING = {"centre": "center", "centres": "centers", "organisation": "organization", "programme": "program"}
# Honorifics, offices and roles written before a person's name.
TITLES = frozenset([
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "madam", "madame",
    "rev", "reverend", "father", "sister", "brother", "hon", "honourable", "honorable", "excellency",
    "president", "vice", "premier", "prime", "minister", "deputy", "secretary", "general", "director", "chair",
    "chairman", "chairwoman", "chairperson", "chief", "executive", "ceo", "founder", "co-founder", "cofounder",
    "head", "leader", "governor", "mayor", "senator", "ambassador", "envoy", "consul", "commissioner",
    "councillor", "chancellor", "vice-chancellor", "provost", "dean", "rector", "principal", "academician",
    "fellow", "researcher", "scientist", "emeritus", "associate", "assistant", "lecturer", "king", "queen",
    "prince", "princess", "emperor", "pope", "judge", "justice", "colonel", "captain", "lieutenant", "admiral",
    "commander", "marshal", "comrade", "former", "late", "then", "current", "acting", "interim", "honorary",
    "secretary-general", "director-general", "vice-president", "vice-minister", "vice-premier", "author", "editor",
    "editor-in-chief", "reporter", "journalist", "correspondent", "analyst", "economist", "spokesperson",
    "spokesman", "spokeswoman", "officer", "official", "manager", "engineer", "inspector", "administrator",
    "specialist", "advisor", "adviser", "coordinator", "representative",
])
# Verbs of speech and thought after a person's name ("Ann Lee said", "Lee argues").
SPEECH_VERBS = frozenset([
    "said", "says", "argued", "argues", "asked", "asks", "noted", "notes", "stated", "states", "told", "wrote",
    "writes", "added", "adds", "explained", "explains", "recalled", "recalls", "remarked", "remarks",
])
# Lower-case particles inside personal names ("Ludwig van Beethoven", "Ibn Khaldun").
PARTICLES = frozenset([
    "da", "de", "del", "della", "der", "den", "di", "do", "dos", "du", "la", "le", "van", "von", "ter", "ten",
    "zu", "bin", "binti", "ibn", "al", "el", "y",
])
# Head nouns of events, awards, plans, documents and measures: a phrase headed by one is not a body
# or a person ("Coastal Resilience Goals", "Weighted Tide Impact").
NON_BODY_NOUNS = frozenset([
    "forum", "summit", "conference", "symposium", "workshop", "seminar", "meeting", "lecture", "expo",
    "exhibition", "festival", "award", "prize", "medal", "scholarship", "fellowship", "grant", "project", "plan",
    "initiative", "strategy", "act", "law", "treaty", "agreement", "declaration", "report", "index", "goal",
    "target", "indicator", "impact", "rank", "ranking", "rate", "ratio", "score", "factor", "principle",
    "building", "training", "investigator", "processing", "reactor", "station", "portal", "platform", "session",
    "ceremony", "campaign",
    # documents, rules and their parts, labels, products and systems: what a body issues or makes
    "manual", "handbook", "directive", "list", "code", "regulation", "rule", "rulemaking", "register", "notice",
    "order", "bulletin", "instruction", "procedure", "requirement", "provision", "limitation", "specification",
    "guidance", "guide", "form", "docket", "amendment", "subpart", "chapter", "paragraph", "appendix", "annex",
    "figure", "note", "change", "condition", "compliance", "subject", "system", "software", "hardware",
    "information", "model", "version", "test", "method", "action", "finding", "disagree", "alert",
])
# Topics a body works on: a phrase ending with one names the topic ("National Social Development"),
# though bodies carry them inside their names ("... Development Programme").
TOPIC_NOUNS = frozenset([
    "development", "education", "progress", "access", "application", "affair", "country", "innovation",
])
# Head nouns of news outlets: the outlet is a body ("Veltra Daily", "Orvan Times").
NEWS_NOUNS = frozenset(["daily", "weekly", "times", "news", "gazette", "herald"])
# Head nouns of periodicals and programmes: not persons, but bodies may bear them ("... Daily", "... Programme").
MEDIA_NOUNS = NEWS_NOUNS | frozenset(["journal", "review", "letters", "magazine", "bulletin", "program", "programme"])
# Month and weekday names: capitalised, never part of a body's name.
CALENDAR_WORDS = frozenset(
    [m.lower() for m in calendar.month_name[1:]] + [d.lower() for d in calendar.day_name]
)
# fmt: on
