"""The self-contained HTML review page of one document: page images inlined, data as JSON, no network.

Layout: thumbnails on the left, the current page in the middle (the highlighted fact's boxes
are positioned over it in percent of the page, so they follow any zoom), and on the right
the section tree and the fact tables. Element ids and ``data-*`` attributes are what the
browser test drives: ``#view[data-page]``, ``.highlight``, ``tr.fact[data-mention]``,
``a.section[data-page]``, ``img.thumb[data-page]``.
"""

from __future__ import annotations

import datetime
import html
import json

_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.35 system-ui, sans-serif; display: grid; height: 100vh;
       grid-template-columns: 130px 1fr 460px; grid-template-rows: auto 1fr; }
header { grid-column: 1 / 4; padding: 6px 10px; border-bottom: 1px solid #ccc; display: flex; gap: 16px;
         align-items: center; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
.legend span { margin-right: 8px; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 3px; vertical-align: middle; }
#thumbs { overflow-y: auto; padding: 6px; border-right: 1px solid #ccc; }
.thumb { width: 100%; border: 2px solid transparent; cursor: pointer; display: block; }
.thumb.active { border-color: #e33; }
.thumbs-label { text-align: center; color: #555; font-size: 11px; margin-bottom: 6px; }
#main { overflow: auto; padding: 10px; background: #eee; }
#view { position: relative; margin: 0 auto; max-width: 900px; box-shadow: 0 0 6px #999; background: #fff; }
#view img { width: 100%; display: block; }
.highlight { position: absolute; border: 3px solid #f00; background: rgba(255, 230, 0, 0.35);
             box-shadow: 0 0 0 3px rgba(255, 0, 0, 0.35); pointer-events: none; }
#side { overflow-y: auto; border-left: 1px solid #ccc; padding: 6px 10px; }
nav.tabs button { margin: 0 2px 6px 0; }
nav.tabs button.on { font-weight: bold; }
.panel { display: none; }
.panel.on { display: block; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
tr.fact { cursor: pointer; }
tr.fact:hover, tr.fact.active { background: #fff3b0; }
ul.tree { padding-left: 14px; margin: 2px 0; }
a.section { cursor: pointer; color: #124; text-decoration: none; }
a.section:hover { text-decoration: underline; }
.pageinfo { color: #555; }
"""

_SCRIPT = """
const DATA = JSON.parse(document.getElementById('data').textContent);
const view = document.getElementById('view');
const pageImage = document.getElementById('page-image');
const byMention = new Map(DATA.mentions.map(m => [m.mention_id, m]));

function showPage(page, boxes) {
  const info = DATA.pages[page - 1];
  view.dataset.page = page;
  pageImage.src = DATA.images[page - 1];
  document.getElementById('pageinfo').textContent =
    'page ' + page + (info.page_label ? ' (printed ' + info.page_label + ')' : '') + ' of ' + DATA.pages.length;
  view.querySelectorAll('.highlight').forEach(h => h.remove());
  let first = null;
  for (const b of boxes || []) {
    if (b.page !== page) continue;
    const h = document.createElement('div');
    h.className = 'highlight';
    h.style.left = (100 * b.x0 / info.width) + '%';
    h.style.top = (100 * b.top / info.height) + '%';
    h.style.width = (100 * (b.x1 - b.x0) / info.width) + '%';
    h.style.height = (100 * (b.bottom - b.top) / info.height) + '%';
    view.appendChild(h);
    first = first || h;
  }
  document.querySelectorAll('.thumb').forEach(t => t.classList.toggle('active', Number(t.dataset.page) === page));
  const thumb = document.querySelector('.thumb[data-page="' + page + '"]');
  if (thumb) thumb.scrollIntoView({block: 'nearest'});
  if (first) first.scrollIntoView({block: 'center'}); else document.getElementById('main').scrollTop = 0;
}

function showMention(id) {
  const m = byMention.get(id);
  if (!m) return;
  const page = m.boxes.length ? m.boxes[0].page : m.page;
  document.querySelectorAll('tr.fact.active').forEach(r => r.classList.remove('active'));
  document.querySelectorAll('tr.fact[data-mention="' + id + '"]').forEach(r => r.classList.add('active'));
  showPage(page, m.boxes);
}

const thumbs = document.getElementById('thumbs');
DATA.pages.forEach((p, i) => {
  const img = document.createElement('img');
  img.className = 'thumb';
  img.dataset.page = p.page;
  img.src = DATA.images[i];
  img.alt = 'page ' + p.page;
  img.addEventListener('click', () => showPage(p.page, []));
  const label = document.createElement('div');
  label.className = 'thumbs-label';
  label.textContent = p.page_label || String(p.page);
  thumbs.append(img, label);
});

document.addEventListener('click', e => {
  const row = e.target.closest('tr.fact');
  if (row) { showMention(row.dataset.mention); return; }
  const sec = e.target.closest('a.section');
  if (sec) { e.preventDefault(); showPage(Number(sec.dataset.page), []); }
  const tab = e.target.closest('nav.tabs button');
  if (tab) {
    document.querySelectorAll('nav.tabs button, .panel').forEach(x => x.classList.remove('on'));
    tab.classList.add('on');
    document.getElementById(tab.dataset.panel).classList.add('on');
  }
});
showPage(1, []);
"""


_ON = ' class="on"'


def _swatch(colour: str, filled: bool) -> str:
    return f"background: {colour}" if filled else f"border: 2px solid {colour}"


def _number(value: float | None) -> str:
    """1.8e9 as "1,800,000,000"; fractions kept ("0.5")."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def _section_tree(sections: list[dict]) -> str:
    children: dict[str | None, list[dict]] = {}
    for s in sections:
        children.setdefault(s["parent_id"], []).append(s)

    def render(parent: str | None) -> str:
        items = children.get(parent, [])
        if not items:
            return ""
        lis = "".join(
            f'<li><a class="section" data-page="{s["page"]}" href="#">{_e(s["number"])} {_e(s["title"])}</a> '
            f'<span class="pageinfo">p. {_e(s["page_label"] or s["page"])}</span>{render(s["section_id"])}</li>'
            for s in items
        )
        return f'<ul class="tree">{lis}</ul>'

    return render(None)


def _fact_table(rows: list[dict], columns: list[tuple[str, str]], mention: str = "mention_id") -> str:
    head = "".join(f"<th>{_e(title)}</th>" for title, _ in columns)
    body = "".join(
        f'<tr class="fact" data-mention="{_e(r[mention])}">'
        + "".join(f"<td>{_e(r.get(key))}</td>" for _, key in columns)
        + "</tr>"
        for r in rows
        if r.get(mention)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _first_mentions(entities: list[dict], mentions: list[dict]) -> list[dict]:
    """Entities with the id of their first mention, so a click shows where the document first names them."""
    first: dict[str, str] = {}
    for m in mentions:
        if m["entity_id"] and m["boxes"]:
            first.setdefault(m["entity_id"], m["mention_id"])
    return [{**e, "first_mention": first.get(e["entity_id"]), "n": e["mention_count"]} for e in entities]


def render_html(document_id: str, tables: dict[str, list[dict]], images: list[str], legend) -> str:
    """The review page; ``images`` are data URIs of the annotated pages in page order."""
    title = (tables["documents"][0].get("title") if tables["documents"] else None) or document_id
    data = {
        "pages": [{k: p[k] for k in ("page", "page_label", "width", "height")} for p in tables["pages"]],
        "images": images,
        "mentions": [{k: m[k] for k in ("mention_id", "label", "text", "page", "boxes")} for m in tables["mentions"]],
    }
    payload = json.dumps(data, default=_json_default).replace("</", "<\\/")
    label = {p["page"]: p["page_label"] or str(p["page"]) for p in tables["pages"]}
    amounts = [{**a, "where": label.get(a["page"]), "value": _number(a["value"])} for a in tables["amounts"]]
    dates = [{**d, "where": label.get(d["page"])} for d in tables["dates"]]
    mentions = [{**m, "where": label.get(m["page"])} for m in tables["mentions"]]
    panels = {
        "Sections": _section_tree(tables["sections"]),
        "Amounts": _fact_table(
            amounts, [("amount", "text"), ("value", "value"), ("currency", "currency"), ("page", "where")]
        ),
        "Dates": _fact_table(
            dates, [("date", "text"), ("start", "start"), ("end", "end"), ("precision", "precision"), ("page", "where")]
        ),
        "People": _fact_table(
            _first_mentions(tables["people"], tables["mentions"]),
            [("person", "name"), ("mentions", "n")],
            "first_mention",
        ),
        "Organizations": _fact_table(
            _first_mentions(tables["organizations"], tables["mentions"]),
            [("organization", "name"), ("acronym", "acronym"), ("mentions", "n")],
            "first_mention",
        ),
        "Mentions": _fact_table(mentions, [("mention", "text"), ("label", "label"), ("page", "where")]),
    }
    tabs = "".join(
        f'<button data-panel="panel-{name.lower()}" class="{"on" if i == 0 else ""}">{name}</button>'
        for i, name in enumerate(panels)
    )
    bodies = "".join(
        f'<section id="panel-{name.lower()}" class="panel{" on" if i == 0 else ""}">{content}</section>'
        for i, (name, content) in enumerate(panels.items())
    )
    legend_html = "".join(
        f'<span><i style="{_swatch(colour, filled)}"></i>{_e(name)}</span>' for name, colour, filled in legend
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)} - report-facts review</title>
<style>{_STYLE}</style></head>
<body>
<header><h1>{_e(title)}</h1><span id="pageinfo" class="pageinfo"></span><div class="legend">{legend_html}</div></header>
<div id="thumbs"></div>
<div id="main"><div id="view" data-page="1"><img id="page-image" alt="page"></div></div>
<div id="side"><nav class="tabs">{tabs}</nav>{bodies}</div>
<script type="application/json" id="data">{payload}</script>
<script>{_SCRIPT}</script>
</body></html>
"""
