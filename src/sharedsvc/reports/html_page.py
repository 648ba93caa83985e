"""The audit report as a standalone HTML page, with a small stylesheet of its own.

Every text from the record goes through `html.escape`, so a party named
``<script>...`` is shown, never run. The page needs nothing from the network; given the
timeline picture as SVG markup it embeds that too.

Each ISO date (or date and time) is marked up as ``<time>``, which the stylesheet keeps on
one line; a table cell of several lines has them separated by ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from sharedsvc.reports.document import (
    Block,
    Bullets,
    Facts,
    Heading,
    Paragraph,
    Table,
    audit_document,
)
from sharedsvc.reports.model import PartnershipReport

__all__ = ["render_html", "render_page"]

STYLE = """
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec;
        --band: #f5f7fa; --accent: #0b5394; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 2px solid var(--rule);
     padding-bottom: .25rem; color: var(--accent); }
h3 { font-size: 1.05rem; margin-top: 1.75rem; }
p.lead { color: var(--muted); margin-top: 0; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; list-style: none; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.25rem; }
dt { font-weight: 600; color: var(--muted); }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .55rem;
         border-bottom: 1px solid var(--rule); }
th { background: var(--band); font-weight: 600; }
time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
figure { margin: 1.5rem 0; }
figure svg { width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""

_SVG_START = re.compile(r"<svg[\s>]")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?\b")


def _text(text: str) -> str:
    """``text`` escaped, with its dates marked up as ``<time>`` (kept on one line)."""
    return _DATE.sub(lambda found: f"<time>{found.group(0)}</time>", escape(text))


def render_html(report: PartnershipReport, *, timeline_svg: str | None = None) -> str:
    """The complete audit report of ``report`` as a standalone HTML page (see
    [`render_markdown`][sharedsvc.reports.render_markdown] for what it holds). ``timeline_svg``, the
    markup of the timeline picture ([`draw_timeline`][sharedsvc.reports.draw_timeline] with
    ``format="svg"``), is embedded after the state summary when given."""
    blocks = audit_document(report)
    title = escape(f"Audit report: {report.name}")
    body: list[str] = []
    for index, block in enumerate(blocks):
        if timeline_svg is not None and isinstance(block, Heading) and block.anchor == "membership":
            body.append(_figure(timeline_svg, report.name))
        body.append(_block(block, lead=index == 1))
        if index == 1:
            body.append(_contents(blocks))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render_page(title: str, blocks: Iterable[Block]) -> str:
    """A standalone HTML page titled ``title`` of ``blocks`` (headings, paragraphs, facts,
    bullets, tables), styled as the audit report is."""
    body = [_block(block) for block in blocks]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _contents(blocks: tuple[Block, ...]) -> str:
    links = [
        f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>'
        for b in blocks
        if isinstance(b, Heading) and b.level == 2 and b.anchor
    ]
    return '<nav aria-label="Contents"><ul>' + "".join(links) + "</ul></nav>"


def _figure(svg: str, name: str) -> str:
    found = _SVG_START.search(svg)
    markup = svg[found.start() :] if found else escape(svg)
    caption = escape(f"{name}: stages, members, pooled functions and disputes over time")
    return f"<figure>{markup}<figcaption>{caption}</figcaption></figure>"


def _block(block: Block, *, lead: bool = False) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{_text(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        kind = ' class="lead"' if lead else ""
        return f"<p{kind}>{_text(block.text)}</p>"
    if isinstance(block, Facts):
        items = "".join(
            f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in block.rows
        )
        return f"<dl>{items}</dl>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_text(item)}</li>" for item in block.items) + "</ul>"
    return _table(block)


def _cell(tag: str, text: str, numeric: bool) -> str:
    kind = ' class="num"' if numeric else ""
    return f"<{tag}{kind}>" + "<br>".join(_text(line) for line in text.split("\n")) + f"</{tag}>"


def _table(table: Table) -> str:
    head = "".join(_cell("th", h, i in table.numeric) for i, h in enumerate(table.header))
    rows = "".join(
        "<tr>" + "".join(_cell("td", c, i in table.numeric) for i, c in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
