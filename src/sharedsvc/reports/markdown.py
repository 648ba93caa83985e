"""The audit report as Markdown (GitHub-flavoured: pipe tables).

Every text is escaped so that what the record says is shown, never interpreted: Markdown
punctuation gets a backslash (``#`` only where it would start a heading), ``<`` and ``>``
become entities (so a name such as ``<script>`` cannot become HTML when the Markdown is
rendered), and ``&`` becomes ``&amp;`` where it would otherwise start an entity.
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

__all__ = ["escape_markdown", "render_markdown"]

_PUNCTUATION = re.compile(r"([\\`*_\[\]|])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape_markdown(text: str) -> str:
    """``text`` made safe to place in Markdown, on one line."""
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = " ".join(text.split())
    return "\\" + text if text.startswith("#") else text


def render_markdown(report: PartnershipReport) -> str:
    """The complete audit report of ``report`` as Markdown: state, membership and cost
    shares, stages, variations, handovers, disputes with their rungs, every compromise, and
    the audit trail."""
    return "\n\n".join(_block(block) for block in audit_document(report)) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + escape_markdown(block.text)
    if isinstance(block, Paragraph):
        return escape_markdown(block.text)
    if isinstance(block, Facts):
        return "\n".join(
            f"- **{escape_markdown(label)}:** {escape_markdown(value)}"
            for label, value in block.rows
        )
    if isinstance(block, Bullets):
        return "\n".join(f"- {escape_markdown(item)}" for item in block.items)
    return _table(block)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(escape_markdown(cell) or " " for cell in cells) + " |"


def _table(table: Table) -> str:
    rule = ["---:" if i in table.numeric else "---" for i in range(len(table.header))]
    lines = [_row(table.header), "| " + " | ".join(rule) + " |"]
    lines += [_row(row) for row in table.rows]
    return "\n".join(lines)
