"""What every table and column of the contract means, in words: the catalogue's single source.

``schemas`` attaches these to its pyarrow fields (``description`` field metadata), so the
Parquet files, the Dagster UI's column schemas and the README's data dictionary all carry
the same sentence. A column shared by several tables is described once in ``SHARED``; a
table's own meaning of it, in ``COLUMNS``.
"""

from __future__ import annotations

TABLE_DOCS: dict[str, str] = {
    "documents": "One row per ingested PDF: file, content hash, title, edition and series.",
    "pages": "One row per physical page: size, printed label and how its characters were classified.",
    "blocks": "Paragraphs, list items, headings, captions, footnotes, tables and figure text in reading order.",
    "sections": "The headings of the report's own structure (chapters, sub-sections, appendices) as a tree.",
    "footnotes": "One row per footnote: its whole text, where it is printed and where its call mark is.",
    "tables": "One row per table (joined over page breaks): caption, pages and grid size.",
    "table_cells": "One row per table cell: position in the grid, text, header flag and spans.",
    "mentions": "Every mention of an organization, person, amount or date, with its span and boxes on the page.",
    "organizations": "Distinct organizations of the document, names and acronyms resolved to one entity.",
    "people": "Distinct people of the document, name variants resolved to one entity.",
    "amounts": "Monetary amounts: value in currency units, ISO currency, ranges and periods.",
    "dates": "Calendar dates and periods with their start, end and precision.",
    "money_flows": "Who pays whom: the parties, kind and period of each monetary amount.",
    "edition_changes": "What changed since the previous edition of the same report, one row per change.",
    "ingest_errors": "Why a document could not be processed (empty partition once it goes through).",
}

SHARED: dict[str, str] = {
    "page": "Physical page number, 1-based, in the PDF's own page order (where the row starts).",
    "page_label": "The page label printed on that page ('iv', '12'); null where the page prints none.",
    "page_end": "Physical page where the row ends (equals page unless it runs over a page break).",
    "section_id": "The section (sections.section_id) the row belongs to; stable across editions.",
    "block_id": "The block (blocks.block_id) whose text holds the row; stable across editions.",
    "start_char": "Offset of the first character in blocks.text of block_id.",
    "end_char": "Offset after the last character: blocks.text[start_char:end_char] is the text.",
    "mention_id": "Identifier of the mention (mentions.mention_id).",
    "document_version": "Version of the document these rows belong to (PDF content hash and pipeline version); "
    "join on (document_id, document_version) with documents to read one consistent version.",
    "entity_id": "Identifier of the resolved entity, derived from its canonical name; stable across editions.",
    "sentence": "The sentence the fact was read from.",
    "boxes": "Rectangles the text occupies, one per printed line: page, x0, top, x1, bottom in PDF points, "
    "origin top-left (as blocks' coordinates).",
    "aliases": "Every surface form of the entity seen in the document.",
    "pages": "Sorted physical pages the entity is mentioned on.",
    "mention_count": "Number of mentions of the entity in the document.",
    "name": "Canonical name of the entity.",
    "text": "The text as printed, NFC-normalised.",
    "x0": "Left edge in PDF points from the page's left side.",
    "top": "Top edge in PDF points from the page's top.",
    "x1": "Right edge in PDF points from the page's left side.",
    "bottom": "Bottom edge in PDF points from the page's top.",
    "file_name": "File name of the PDF.",
    "sha256": "SHA-256 of the file's bytes.",
    "number": "The printed number.",
}

COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "title": "Title from the PDF metadata, else the largest text on the first page.",
        "page_count": "Number of physical pages.",
        "edition": "Publication date or edition label printed on the cover ('March 2025'); null if none.",
        "series_id": "Identifier of the report series (title without dates), shared by its editions.",
        "pipeline_version": "Version of report-facts that wrote the rows.",
        "source_path": "Path of the file relative to the raw folder it was found in ('2025/report.pdf').",
    },
    "pages": {
        "width": "Page width in PDF points.",
        "height": "Page height in PDF points.",
        "char_count": "Non-blank characters on the page.",
        "body_chars": "Characters read as body text (paragraphs, headings, lists, table of contents).",
        "furniture_chars": "Characters of running headers, footers and page numbers.",
        "footnote_chars": "Characters in the footnote area.",
        "table_chars": "Characters inside tables.",
        "figure_chars": "Characters inside figures (axis labels, chart text).",
    },
    "blocks": {
        "block_id": "Identifier of the block, from its section, kind and text; stable across editions.",
        "seq": "Position in reading order, 0-based.",
        "kind": "heading, paragraph, list_item, caption, footnote, table or figure.",
        "text": "The block's text: lines joined, line-end hyphens resolved, footnote calls removed; "
        "table rows one per line with cells separated by ' | '.",
        "page_breaks": "Offsets in text where each later page begins.",
        "x0": "Left edge of the block on its first page, PDF points.",
        "top": "Top edge of the block on its first page, PDF points from the top.",
        "x1": "Right edge of the block on its first page, PDF points.",
        "bottom": "Bottom edge of the block on its first page, PDF points from the top.",
        "glyphs": "Where every character of text is printed: one run per line with its start offset, page, "
        "top, bottom and each character's x0 and width (the source of the facts' boxes).",
    },
    "sections": {
        "section_id": "Identifier of the section, from its title and place in the tree; stable across editions.",
        "parent_id": "The enclosing section; null for a chapter.",
        "level": "Depth in the tree, 1 = chapter.",
        "number": "The printed numbering ('7', '(2)', '1.', '(A)'); null if none.",
        "title": "The heading without numbering and footnote calls.",
        "block_id": "The heading's block.",
        "in_toc": "Whether the printed table of contents lists the section.",
        "toc_page_label": "The page label the table of contents gives for it.",
    },
    "footnotes": {
        "number": "The footnote's number.",
        "text": "The whole footnote, continuations joined.",
        "page": "Physical page where the footnote's text is printed.",
        "call_page": "Physical page of its call mark in the text.",
        "call_block_id": "The block holding the call mark.",
        "call_char": "Offset of the call mark in that block's text.",
        "section_id": "The section of the call mark.",
        "block_id": "The footnote's own block.",
    },
    "tables": {
        "table_id": "Identifier of the table, from its caption and header.",
        "caption": "The 'Table N' caption; null if none.",
        "n_rows": "Rows of the grid.",
        "n_cols": "Columns of the grid.",
        "block_id": "The table's block (text of all cells).",
    },
    "table_cells": {
        "table_id": "The table (tables.table_id).",
        "row": "Row index, 0-based, over the whole table.",
        "col": "Column index, 0-based.",
        "text": "The cell's text.",
        "is_header": "Whether the cell is in a header row.",
        "row_span": "Rows the cell spans.",
        "col_span": "Columns the cell spans.",
        "page": "Physical page the cell is printed on.",
    },
    "mentions": {
        "mention_id": "Identifier of the mention; amounts and dates share it.",
        "label": "ORG, PERSON, MONEY or DATE.",
        "entity_id": "The organization or person (null for MONEY and DATE).",
        "source": "What found it: rule, model (spaCy NER), acronym (a defined acronym) or alias (a name variant).",
    },
    "organizations": {
        "acronym": "The acronym the document defines for it; null if none.",
    },
    "people": {},
    "amounts": {
        "value": "Value in currency units ('1.8 billion' is 1.8e9); the low end of a range.",
        "currency": "ISO 4217 code (RMB and CNY are CNY, $ is USD).",
        "approximate": "Whether the text qualifies it ('about', 'over', 'nearly').",
        "value_high": "High end of a range; null otherwise.",
        "period": "Recurrence the amount is given for (year, month, ...); null if none.",
    },
    "dates": {
        "start": "First day of the date or period.",
        "end": "Last day of the date or period.",
        "precision": "day, month or year.",
    },
    "money_flows": {
        "from_names": "Who provides or spends the money, named as in the document.",
        "to_names": "Who receives it, or whose budget, revenue or cost it is.",
        "from_entity_ids": "entity_id of the providers that are organizations or people of this document.",
        "to_entity_ids": "entity_id of the receivers that are organizations or people of this document.",
        "period_start": "First day of the period the figure is for; null when the text gives none.",
        "period_end": "Last day of that period.",
        "kind": "expenditure, budget, contribution, grant, revenue, investment, cost, ... or other.",
        "per": "Recurrence (year, month, paper, ...); null if none.",
        "restates_mention_id": "The amount this one restates in another currency; null if none.",
        "evidence": "The text span the link was read from.",
    },
    "edition_changes": {
        "series_id": "The report series.",
        "previous_document_id": "The edition compared against.",
        "kind": "added, removed, changed, renumbered or moved.",
        "object": "What changed: section, paragraph, footnote, amount, date, person or organization.",
        "old_value": "The value in the previous edition; null for an addition.",
        "new_value": "The value in this edition; null for a removal.",
        "old_page": "Physical page in the previous edition.",
        "new_page": "Physical page in this edition.",
        "detail": "What the change is about (the section or paragraph holding it).",
    },
    "ingest_errors": {
        "stage": "Where processing stopped: ingest (opening the file) or layout (reading its pages).",
        "reason": "Why, in words.",
    },
}

PARTITION_DOC = "Stable key of the document, from its file name; the hive partition folder (document_id=...)."


def describe(table: str, column: str) -> str | None:
    """The description of ``column`` in ``table``: the table's own, else the shared one."""
    return COLUMNS.get(table, {}).get(column) or SHARED.get(column)
