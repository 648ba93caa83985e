"""The audit report as Markdown (GitHub-flavoured: pipe tables).

Every text is escaped so that what the record says is shown, never interpreted: Markdown
punctuation gets a backslash (``#`` only where it would start a heading), ``<`` and ``>``
become entities (so a name such as ``<script>`` cannot become HTML when the Markdown is
rendered), and ``&`` becomes ``&amp;`` where it would otherwise start an entity.

Dates are kept whole: the hyphens of an ISO date become non-breaking hyphens (U+2011) and the
space before a time a no-break space, so that a narrow column never breaks ``2016-10-01``
across lines. A table cell of several lines has them separated by ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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

__all__ = ["escape_markdown", "render_blocks", "render_markdown", "whole_dates"]

_PUNCTUATION = re.compile(r"([\\`*_\[\]|])")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?\b")
NON_BREAKING = str.maketrans({"-": "\N{NON-BREAKING HYPHEN}", " ": "\N{NO-BREAK SPACE}"})
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape_markdown(text: str) -> str:
    """``text`` made safe to place in Markdown, on one line."""
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = " ".join(text.split())
    return "\\" + text if text.startswith("#") else text


def whole_dates(text: str) -> str:
    """``text`` with every ISO date (and date and time) made unbreakable."""
    return _DATE.sub(lambda found: found.group(0).translate(NON_BREAKING), text)


def _text(text: str) -> str:
    return whole_dates(escape_markdown(text))


def render_markdown(report: PartnershipReport) -> str:
    """The complete audit report of ``report`` as Markdown: state, membership and cost
    shares, stages, variations, handovers, disputes with their rungs, notes, readiness and
    targets, obligations, each party's balance (these three where there is something to
    show), every compromise, and the audit trail."""
    return render_blocks(audit_document(report))


def render_blocks(blocks: Iterable[Block]) -> str:
    """A document of ``blocks`` (headings, paragraphs, facts, bullets, tables) as Markdown."""
    return "\n\n".join(_block(block) for block in blocks) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + _text(block.text)
    if isinstance(block, Paragraph):
        return _text(block.text)
    if isinstance(block, Facts):
        return "\n".join(f"- **{_text(label)}:** {_text(value)}" for label, value in block.rows)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_text(item)}" for item in block.items)
    return _table(block)


def _cell(cell: str) -> str:
    return "<br>".join(_text(line) for line in cell.split("\n")) or " "


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _table(table: Table) -> str:
    rule = ["---:" if i in table.numeric else "---" for i in range(len(table.header))]
    lines = [_row(table.header), "| " + " | ".join(rule) + " |"]
    lines += [_row(row) for row in table.rows]
    return "\n".join(lines)
