"""The lanes of the timeline picture: what each shows, how tall it is, and how it is painted.

A lane is one row across time (the stage band, a party's readiness, a membership, a pooled
function, a dispute, a party's obligations, the notes); lanes come in titled groups. Heights
are in inches, and so is the y axis the lanes are painted on (down from the top of the first
lane), so text and bars keep their size whatever the number of lanes. Dates are matplotlib
date numbers (days) along x.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from matplotlib.patches import Rectangle

from sharedsvc.domain.values import PartyId
from sharedsvc.projections.audit_values import joined, summarise_value, words
from sharedsvc.reports.model import DisputeRecord, HandoverRecord, Membership, PartnershipReport
from sharedsvc.reports.timeline_canvas import FADE, SMALL, Canvas, Group, Lane, Painter, Ruler, x
from sharedsvc.reports.timeline_obligations import obligation_lanes
from sharedsvc.reports.timeline_outside import notes_lane
from sharedsvc.reports.timeline_readiness import readiness_lanes
from sharedsvc.reports.timeline_style import (
    DISPUTE_STATUS,
    INK,
    MUTED,
    nice_day,
    on_colour,
    party_colour,
    short_name,
    stage_colour,
)

__all__ = ["Group", "Lane", "Painter", "groups"]

BAR, THIN = 0.2, 0.075
DEFERRED = "#c62828"


def groups(report: PartnershipReport, ruler: Ruler) -> list[Group]:
    """The groups of lanes the picture of ``report`` shows (empty groups left out)."""
    colours = {m.party: party_colour(i) for i, m in enumerate(_first_memberships(report))}
    found = [
        Group("Integration", (_stage_lane(report),)),
        Group("Readiness", readiness_lanes(report, ruler, colours)),
        Group(
            "Members", tuple(_member_lane(report, m, colours[m.party]) for m in report.memberships)
        ),
        Group(
            "Pooled functions",
            tuple(
                _function_lane(report, h, party, colours)
                for h in report.handovers
                for party in h.ceding  # a combined service: a lane for each council's share
            ),
        ),
        Group("Disputes", tuple(_dispute_lane(report, d, ruler) for d in report.disputes)),
        Group("Obligations", obligation_lanes(report, ruler)),
        Group("Notes", _notes(report, ruler)),
    ]
    return [group for group in found if group.lanes]


def _notes(report: PartnershipReport, ruler: Ruler) -> tuple[Lane, ...]:
    """The lane of the partnership's notes (`sharedsvc.reports.timeline_outside`), if any."""
    lane = notes_lane(report, ruler)
    return () if lane is None else (Lane(lane.label, lane.detail, lane.height, lane.paint),)


def _first_memberships(report: PartnershipReport) -> Iterator[Membership]:
    seen: set[str] = set()
    for m in report.memberships:
        if m.party not in seen:
            seen.add(m.party)
            yield m


def _end(report: PartnershipReport) -> date:
    return report.view.dissolved_on or report.until


# --- the stage band ---------------------------------------------------------------------------


def _stage_lane(report: PartnershipReport) -> Lane:
    continuum = report.view.policy.continuum
    steps = report.stages
    end = _end(report)

    def paint(c: Canvas, y: float) -> None:
        bottom, tallest = y + 0.36, 0.62
        tops: list[tuple[float, float]] = []
        for index, step in enumerate(steps):
            until = steps[index + 1].on if index + 1 < len(steps) else end
            rank = continuum.index(step.to) if step.to in continuum else 0
            height = 0.14 + (tallest - 0.14) * rank / max(len(continuum) - 1, 1)
            colour = stage_colour(step.to, continuum)
            left, width = x(step.on), max(x(until) - x(step.on), 0.0)
            c.ax.add_patch(
                Rectangle((left, bottom - height), width, height, facecolor=colour, lw=0, zorder=2)
            )
            tops += [(left, bottom - height), (left + width, bottom - height)]
            if until == end and report.view.dissolved_on is None:
                c.fade(end, bottom - height, height, colour, zorder=2)
            name = summarise_value(step.to)
            room = c.inches(step.on, until)
            if c.ruler.width(name, SMALL) + 0.12 <= room:
                inside = height >= 0.17
                c.text_at(
                    left + width / 2,
                    bottom - height / 2 if inside else bottom - height - 0.02,
                    name,
                    ha="center",
                    va="center" if inside else "bottom",
                    color=on_colour(colour) if inside else INK,
                )
        xs, ys = zip(*tops, strict=True)
        c.ax.plot(xs, ys, color=INK, lw=1.1, zorder=4, solid_joinstyle="miter")
        c.ax.plot([xs[0], xs[-1]], [bottom, bottom], color=INK, lw=0.6, zorder=4)

    return Lane("Stage reached", "taller is more integrated", 0.82, paint)


# --- memberships ------------------------------------------------------------------------------


def _member_lane(report: PartnershipReport, m: Membership, colour: str) -> Lane:
    end = m.left or _end(report)
    host = m.party == report.view.host and m.left is None
    notice = m.notice_served_on if m.notice_retracted_on is None else None
    if m.left is not None and m.successors:
        heirs = joined(short_name(report.party_name(p)) for p in m.successors)
        tail: str | None = f"succeeded {nice_day(m.left)} by {heirs}"
    elif m.left is not None:
        tail = f"left {nice_day(m.left)}"
    elif notice is not None and m.notice_effective is not None:
        tail = f"notice to {nice_day(m.notice_effective)}"
    else:
        tail = None

    going_on = m.left is None and report.view.dissolved_on is None

    def paint(c: Canvas, y: float) -> None:
        c.bar(m.joined, end, y, BAR, colour, going_on=going_on)
        start = m.joined
        if notice is not None:
            stop = m.left or m.notice_effective or end
            c.ax.add_patch(
                Rectangle(
                    (x(notice), y - BAR / 2),
                    x(stop) - x(notice),
                    BAR,
                    facecolor="none",
                    hatch="////",
                    hatchcolor="#ffffffcc",
                    lw=0,
                    zorder=4,
                )
            )
            c.marks.add("notice")
            end_of_text = notice
        else:
            end_of_text = end
        said = f"founder, {nice_day(start)}" if m.founder else f"joined {nice_day(start)}"
        if m.predecessor is not None:  # the seat handed over on the vesting day
            said = f"{short_name(report.party_name(m.predecessor))}'s seat, {nice_day(start)}"
            _seat(c, start, y)
        if m.successors and m.left is not None:
            _seat(c, m.left, y)
        shorter = f"successor, {nice_day(start)}" if m.predecessor is not None else said
        c.inside_first(start, end_of_text, y, (said, shorter), colour)
        if tail:
            c.tail(end, y, tail, after=FADE if going_on else 0.0)

    return Lane(m.name, "host" if host else None, 0.34, paint, (end, tail) if tail else None)


def _seat(c: Canvas, day: date, y: float) -> None:
    """The mark of a seat handed over on a vesting day, on the bar's edge."""
    c.ax.plot([x(day)], [y], ls="", marker=">", ms=5, mfc="white", mec=INK, zorder=6)
    c.marks.add("succession")


# --- pooled functions -------------------------------------------------------------------------


def _function_lane(
    report: PartnershipReport, record: HandoverRecord, party: str, colours: Mapping[PartyId, str]
) -> Lane:
    """The lane of ``party``'s share of the function a handover pools (the whole function,
    unless the service is combined from several councils). A share that a succession passed
    on is drawn in each holder's colour in turn, from the council that ceded it, with the
    seat mark on each vesting day; so is the wait for consent of a share whose council was
    succeeded before the handover took effect, from the council it was proposed from."""
    h = record.view
    holders = record.holders(party)
    placed = record.placed(holders[0][0])  # who awaited its effect, before it was pooled
    colour = colours.get(holders[0][0], MUTED)
    ended_on = record.share_ended(party)
    end = ended_on or _end(report)
    deferrals = [
        (d.raised_on, d.closed_on or _end(report))
        for d in report.disputes
        if d.deferred and d.view.act == h.id
    ]
    if h.status == "withdrawn":
        tail = f"withdrawn {nice_day(end)}"
    elif party in record.returned_on:
        tail = f"recalled {nice_day(end)}"
    elif record.returned_on_dissolution:
        tail = f"returned {nice_day(end)}, on dissolution"
    elif h.status == "recalled":
        tail = f"recalled {nice_day(end)}"
    elif h.status == "proposed":
        tail = "awaiting consent"
    else:
        tail = ""
    owner = short_name(report.party_name(holders[0][0]))
    going_on = ended_on is None and report.view.dissolved_on is None

    def paint(c: Canvas, y: float) -> None:
        waited = h.effected_on or end
        starts = [h.proposed_on, *(since or h.proposed_on for _, since in placed[1:])]
        for index, (waiter, _) in enumerate(placed):  # each in its colour, in turn
            start, stop = starts[index], min(starts[index + 1 :] or [waited])
            c.ax.plot(
                [x(start), x(stop)],
                [y, y],
                color=colours.get(waiter, MUTED),
                lw=1.6,
                ls=(0, (1, 1.6)),
                zorder=3,
                solid_capstyle="butt",
            )
            if index:
                _seat(c, start, y)
        c.marks.add("waiting")
        for start, stop in deferrals:
            c.ax.add_patch(
                Rectangle(
                    (x(start), y - 0.07),
                    x(stop) - x(start),
                    0.14,
                    facecolor=DEFERRED,
                    alpha=0.22,
                    lw=0,
                    zorder=2,
                )
            )
            c.marks.add("deferred")
        if h.effected_on is not None:
            _held(c, report, h.effected_on, end, y, holders, colours, going_on=going_on)
        elif h.status == "withdrawn":
            c.ax.plot([x(end)], [y], marker="x", color=colour, ms=6, mew=1.6, zorder=5)
        if tail:
            c.tail(end, y, tail, after=FADE if going_on else 0.0)

    ceded_by = {record.holders(p)[0][0] for p in record.ceding}  # the councils that ceded it
    detail = f"from {owner}" + (", combined" if len(ceded_by) > 1 else "")
    return Lane(h.function.name, detail, 0.34, paint, (end, tail) if tail else None)


def _held(
    c: Canvas,
    report: PartnershipReport,
    effected_on: date,
    end: date,
    y: float,
    holders: tuple[tuple[PartyId, date | None], ...],
    colours: Mapping[PartyId, str],
    *,
    going_on: bool,
) -> None:
    """The bar of a pooled share from ``effected_on`` to ``end``: one stretch for each of its
    ``holders`` in turn (a successor's from its vesting day), in the holder's colour."""
    starts = [effected_on, *(max(since or effected_on, effected_on) for _, since in holders[1:])]
    stops = [*starts[1:], end]
    for index, ((holder, _), start, stop) in enumerate(zip(holders, starts, stops, strict=True)):
        if stop < start:
            continue
        colour = colours.get(holder, MUTED)
        last = index == len(holders) - 1
        c.bar(start, stop, y, BAR, colour, going_on=going_on and last)
        if index == 0:
            c.inside(start, stop, y, f"pooled {nice_day(start)}", colour)
            continue
        _seat(c, start, y)
        heir = short_name(report.party_name(holder))
        c.inside_first(
            start,
            stop,
            y,
            (f"inherited by {heir}, {nice_day(start)}", f"inherited {nice_day(start)}"),
            colour,
        )


# --- disputes ---------------------------------------------------------------------------------


def _dispute_lane(report: PartnershipReport, record: DisputeRecord, ruler: Ruler) -> Lane:
    d = record.view
    end = record.closed_on or _end(report)
    colour, status = DISPUTE_STATUS.get(d.status, (MUTED, d.status))
    tail = f"{status} {nice_day(end)}" if record.closed_on else "open"
    if record.arbiter:
        tail += f" by {record.arbiter}"
    names = [words(r.rung) for r in d.rungs]
    widths = [ruler.width(name, SMALL - 0.5) for name in names]
    raisers = ", ".join(short_name(report.party_name(p)) for p in record.raisers or (d.raised_by,))
    against = ", ".join(short_name(report.party_name(p)) for p in record.against)
    detail = f"{raisers} v {against}"

    def paint(c: Canvas, y: float) -> None:
        c.bar(record.raised_on, end, y, THIN, colour, going_on=record.closed_on is None)
        marks = [x(r.on) for r in d.rungs]
        c.alternating_labels(  # the first rung's name below the bar, the next above...
            y, marks, names, widths, reach=0.05, fontsize=SMALL - 0.5, colour=MUTED
        )
        for mark in marks:
            c.ax.plot([mark], [y], marker="D", ms=5.2, mfc="white", mec=colour, mew=1.3, zorder=5)
        c.marks.update({"rung", d.status})
        if record.closed_on is not None:
            marker = {"settled": "o", "determined": "s", "withdrawn": "X"}.get(d.status, "o")
            c.ax.plot(
                [x(end)], [y], marker=marker, ms=6.5, color=colour, mec="white", mew=0.8, zorder=6
            )
        c.tail(end, y, tail, colour, after=0.0 if record.closed_on else FADE)

    return Lane(d.subject, detail, 0.62, paint, (end, tail))
