"""Chinese and Japanese organisation names, which the English model cannot read.

English reports quote bodies in their own script, in parentheses or table
cells ("... Exchange (北京技术交易所有限公司、北技所)"). A run of CJK characters
ending in an organisation designator (公司, 大学, 委员会, 省, ...) is taken as a
name; "、" and other CJK punctuation separate names. Runs ending otherwise
(document titles, "...的意见") are left alone, and so is 省, a ministry in
Japanese but a province in Chinese.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["find_cjk_orgs"]

# fmt: off
# Designator endings of Chinese and Japanese organisation names, longest first.
_DESIGNATORS = sorted([
    "股份有限公司", "有限责任公司", "有限公司", "株式会社", "公司", "集团", "大学", "学院", "大學", "學院",
    "科学院", "工程院", "研究院", "研究所", "研究中心", "中心", "委员会", "委員會", "委員会", "协会", "協會", "協会",
    "学会", "學會", "基金会", "基金會", "银行", "銀行", "联盟", "聯盟", "办公室", "交易所", "机构", "機構",
    "部", "局", "署", "厅", "廳", "庁", "院", "所",
], key=len, reverse=True)
# fmt: on
# Han characters and katakana; hiragana particles ("と", "の") and CJK punctuation ("、") separate names.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u30a0-\u30ff\uf900-\ufaff]{3,40}")
_ENDING = re.compile(f"(?:{'|'.join(_DESIGNATORS)})$")

Doc.set_extension("cjk_orgs", default=None, force=True)


def find_cjk_orgs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every CJK run in ``text`` that ends with an organisation designator."""
    return [m.span() for m in _CJK_RUN.finditer(text) if _ENDING.search(m.group())]


@Language.component("cjk_org_names")
def cjk_org_names(doc: Doc) -> Doc:
    """Store the character offsets of CJK organisation names as ``doc._.cjk_orgs``."""
    doc._.cjk_orgs = find_cjk_orgs(doc.text)
    return doc
