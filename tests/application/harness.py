"""Helpers for the application tests: parties, terms, a realistic history, refusal checks.

Nothing here is a test. The histories are built through the application's public verbs only, so
they run unchanged on every store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar
from uuid import UUID

import attrs
import pytest

from sharedsvc import (
    Basis,
    CostPool,
    DecisionRef,
    Governance,
    Money,
    NotAuthorised,
    Notice,
    Partnership,
    Party,
    RuleViolation,
    SharedServices,
    Stage,
    Terms,
)
from sharedsvc.acts import CATALOGUE, Act, PartnershipDoors

__all__ = [
    "CAMDEN",
    "HARINGEY",
    "ISLINGTON",
    "NON_MEMBER",
    "OTHER",
    "SIX_MONTHS_TO_MARCH",
    "VERBS",
    "VERBS_ON_BEHALF",
    "Business",
    "InMemoryStore",
    "OpenApp",
    "PostgresStore",
    "SQLiteStore",
    "SharedDigital",
    "StoreContract",
    "Unsaved",
    "adopt",
    "assert_refused",
    "build_shared_digital",
    "form_pair",
    "form_trio",
    "ref",
    "terms_for",
    "variation_ids",
]

CAMDEN = Party("camden", "London Borough of Camden", kind="london-borough")
ISLINGTON = Party("islington", "London Borough of Islington", kind="london-borough")
HARINGEY = Party("haringey", "London Borough of Haringey", kind="london-borough")
NON_MEMBER = "hackney"
"""A well-formed party id that is never a member of any partnership built here."""

SIX_MONTHS_TO_MARCH = Notice(months=6, aligned_to_year_end=True, year_end=(3, 31))
"""The notice rule these histories use. The real agreement's notice period is not published, so
six months moved on to the end of the financial year (31 March) is a stated choice."""

NOT_AUTHORISED_RULES = frozenset({"members-only", "acts-for-itself"})


def ref(body: str, reference: str, decided_on: date) -> DecisionRef:
    """A decision reference (bodies and dates follow the record; reference numbers are made up)."""
    return DecisionRef(body, reference, decided_on)


def terms_for(
    *parties: Party | str,
    host: str | None = None,
    usage: dict[str, str] | None = None,
    notice: Notice = SIX_MONTHS_TO_MARCH,
    **other: Any,
) -> Terms:
    """Terms with an equal ``ict`` pool over ``parties`` and, given ``usage``, a usage-based
    ``revenues`` pool with those shares."""
    pools = [CostPool.equal("ict", parties)]
    if usage is not None:
        pools.append(CostPool("revenues", Basis.USAGE, {p: Decimal(s) for p, s in usage.items()}))
    return Terms(cost_pools=tuple(pools), host=host, notice=notice, **other)


def form_pair(
    app: SharedServices,
    *,
    name: str = "Shared Digital",
    on: date = date(2015, 9, 24),
    host: str | None = "camden",
    usage: dict[str, str] | None = None,
    **kwargs: Any,
) -> UUID:
    """Camden and Islington, equal shares, Camden hosting (and, given ``usage``, a
    usage-based ``revenues`` pool with those shares)."""
    return app.form_partnership(
        name,
        parties=[CAMDEN, ISLINGTON],
        terms=terms_for(CAMDEN, ISLINGTON, host=host, usage=usage),
        on=on,
        **kwargs,
    )


def form_trio(app: SharedServices, *, on: date = date(2016, 10, 1)) -> UUID:
    """Camden (host), Islington and Haringey: an equal ``ict`` pool in thirds and a usage-based
    ``revenues`` pool of 50 / 20 / 30."""
    return app.form_partnership(
        "Shared Digital (three boroughs)",
        parties=[CAMDEN, ISLINGTON, HARINGEY],
        terms=terms_for(
            CAMDEN,
            ISLINGTON,
            HARINGEY,
            host="camden",
            usage={"camden": "50", "islington": "20", "haringey": "30"},
        ),
        stage=Stage.COLLABORATING,
        on=on,
    )


def adopt(
    app: SharedServices,
    pid: UUID,
    *,
    by: str,
    on: date,
    approvers: Iterable[str],
    **proposal: Any,
) -> UUID:
    """Propose a variation and have each of ``approvers`` approve it on ``on``; the last
    approval must adopt it."""
    vid = app.propose_variation(pid, by=by, on=on, **proposal)
    adopted = [app.approve_variation(pid, vid, party=party, on=on) for party in approvers]
    assert adopted[-1], "the last approval did not adopt the variation"
    return vid


def variation_ids(app: SharedServices, pid: UUID) -> list[UUID]:
    """The ids of a partnership's variations, in the order they were proposed."""
    return [variation.id for variation in app.variations(pid)]


class SharedDigital:
    """Dates of the Camden / Islington / Haringey history, as built by
    :func:`build_shared_digital` (see DOMAIN.md; days that the record leaves open are chosen)."""

    FORMED = date(2015, 9, 24)
    HARINGEY_PROPOSED = date(2016, 2, 1)
    HARINGEY_POSITION = date(2016, 3, 15)
    HARINGEY_ADOPTED = date(2016, 8, 22)
    LAUNCH = date(2016, 10, 1)
    LIGHT_PROPOSED = date(2018, 7, 17)
    LIGHT_ADOPTED = date(2018, 7, 19)
    LIGHT_EFFECTIVE = date(2018, 10, 1)
    END_PROPOSED = date(2018, 11, 8)
    END_ADOPTED = date(2018, 11, 21)
    DISSOLVED = date(2018, 12, 31)
    EVENTS = 21
    """How many events the whole history records (15 without the dissolution)."""

    THIRDS = (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)
    SAVINGS_EACH = Money("800000.00")


def build_shared_digital(app: SharedServices | Unsaved, *, dissolve: bool = True) -> UUID:
    """Record the Shared Digital history and return the partnership's id.

    2015: Camden and Islington form a shared ICT service, costs split equally. 2016: Haringey is
    admitted by a variation every party (Haringey included) approves, effective 1 October, when
    the three-borough service launches at the collaborating stage with Camden as host; Haringey
    wanted twelve months' notice and conceded six. July 2018: a "light" lead-authority model,
    effective 1 October, and the stage falls back to co-operating. November 2018: the three agree
    to dissolve on 31 December 2018. With ``dissolve=False`` the history stops before that.
    """
    d = SharedDigital
    pid = app.form_partnership(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON],
        terms=terms_for(CAMDEN, ISLINGTON, governance=Governance.JOINT_COMMITTEE),
        stage=Stage.CO_OPERATING,
        on=d.FORMED,
        ref=ref("Islington Executive", "EXE/2015/6575", d.FORMED),
    )
    joining = app.propose_variation(
        pid,
        by="camden",
        changes={"cost_pools": d.THIRDS, "host": "camden"},
        admit=[HARINGEY],
        rationale="Haringey joins: savings target of 6m a year across three boroughs",
        effective=d.LAUNCH,
        on=d.HARINGEY_PROPOSED,
    )
    app.state_position(
        pid,
        joining,
        party="haringey",
        position={"notice": Notice(months=12, year_end=(3, 31))},
        on=d.HARINGEY_POSITION,
    )
    camden_cabinet = ref("Camden Cabinet", "CAB/2016/03", date(2016, 3, 20))
    islington_executive = ref("Islington Executive", "EXE/2016/12755", date(2016, 6, 1))
    haringey_leader = ref("Haringey Leader", "LDR/2016/50378", d.HARINGEY_ADOPTED)
    assert not app.approve_variation(
        pid, joining, party="camden", on=date(2016, 3, 20), ref=camden_cabinet
    )
    assert not app.approve_variation(
        pid, joining, party="islington", on=date(2016, 6, 1), ref=islington_executive
    )
    assert app.approve_variation(
        pid, joining, party="haringey", on=d.HARINGEY_ADOPTED, ref=haringey_leader
    )
    app.change_stage(
        pid,
        to=Stage.COLLABORATING,
        by="camden",
        rationale="the three-borough service launches: one integrated staff, open book",
        on=d.LAUNCH,
    )
    light = app.propose_variation(
        pid,
        by="haringey",
        changes={
            "governance": Governance.LEAD_AUTHORITY,
            "sla": "Camden hosts shared infrastructure under service level agreements",
        },
        rationale="a light model: each council keeps a lead officer for its own services",
        effective=d.LIGHT_EFFECTIVE,
        on=d.LIGHT_PROPOSED,
    )
    app.approve_variation(pid, light, party="haringey", on=d.LIGHT_PROPOSED)
    app.approve_variation(pid, light, party="islington", on=d.LIGHT_ADOPTED)
    assert app.approve_variation(pid, light, party="camden", on=d.LIGHT_ADOPTED)
    app.change_stage(
        pid,
        to=Stage.CO_OPERATING,
        by="islington",
        rationale="the joint committee ceases; back to co-operation under service agreements",
        on=d.LIGHT_EFFECTIVE,
    )
    if not dissolve:
        return pid
    ending = app.propose_variation(
        pid,
        by="camden",
        dissolve=True,
        final_account=dict.fromkeys(("camden", "islington", "haringey"), d.SAVINGS_EACH),
        rationale="different local priorities: staff return to their home boroughs",
        effective=d.DISSOLVED,
        on=d.END_PROPOSED,
    )
    app.approve_variation(pid, ending, party="camden", on=d.END_PROPOSED)
    app.approve_variation(pid, ending, party="haringey", on=d.END_PROPOSED)
    assert app.approve_variation(pid, ending, party="islington", on=d.END_ADOPTED)
    return pid


def assert_refused(
    app: SharedServices, rule: str, command: Callable[..., object], *args: Any, **kwargs: Any
) -> RuleViolation:
    """Call ``command`` and check that it is refused for ``rule`` and records nothing.

    The error is a :class:`NotAuthorised` for ``members-only`` and ``acts-for-itself`` and a
    plain :class:`RuleViolation` otherwise; the store's highest position and the live view of
    every partnership are the same afterwards."""
    position = app.highest_position()
    views = app.partnerships()
    with pytest.raises(RuleViolation) as caught:
        command(*args, **kwargs)
    expected_type = NotAuthorised if rule in NOT_AUTHORISED_RULES else RuleViolation
    assert expected_type is type(caught.value), caught.value
    assert rule == caught.value.rule, caught.value
    assert position == app.highest_position()
    assert views == app.partnerships()
    return caught.value


# --- a partnership with business open on every front ------------------------------------------


class Business:
    """A Camden / Islington partnership on :attr:`DAY` with something open for every verb: a
    variation awaiting approval, Islington's notice served and its exit costs determined, a
    savings target, and a usage-based ``revenues`` pool beside the equal ``ict`` pool."""

    DAY = date(2016, 1, 11)
    EXIT_COSTS = Money("250000.00")

    def __init__(self, app: SharedServices) -> None:
        self.pid = form_pair(app, usage={"camden": "60", "islington": "40"})
        self.vid = app.propose_variation(
            self.pid, by="camden", changes={"sla": "99.5% availability"}, on=self.DAY
        )
        app.serve_withdrawal_notice(self.pid, party="islington", on=self.DAY)
        app.determine_exit_costs(
            self.pid, party="islington", amount=self.EXIT_COSTS, by="camden", on=self.DAY
        )
        self.tid = app.set_target(
            self.pid, kind="savings", amount=Money("600000.00"), due=date(2018, 3, 31),
            by="camden", on=self.DAY,
        )  # fmt: skip


Verb = Callable[[SharedServices, Business, str, "str | None", date], object]
"""A call of one verb on a :class:`Business`: ``(app, business, actor, by, on)``."""

VERBS: dict[str, tuple[str, Verb]] = {
    "propose_variation": (
        "camden",
        lambda app, b, actor, by, on: app.propose_variation(
            b.pid, by=actor, changes={"sla": "99.9% availability"}, on=on
        ),
    ),
    "state_position": (
        "islington",
        lambda app, b, actor, by, on: app.state_position(
            b.pid,
            b.vid,
            party=actor,
            position={"sla": "99% availability"},
            on=on,
            by=by,
            ref=ref("Cabinet", "C/2", on),
        ),
    ),
    "approve_variation": (
        "camden",
        lambda app, b, actor, by, on: app.approve_variation(
            b.pid, b.vid, party=actor, on=on, by=by
        ),
    ),
    "reject_variation": (
        "islington",
        lambda app, b, actor, by, on: app.reject_variation(
            b.pid, b.vid, party=actor, reason="too costly", on=on, by=by
        ),
    ),
    "change_stage": (
        "camden",
        lambda app, b, actor, by, on: app.change_stage(
            b.pid, to=Stage.COLLABORATING, by=actor, on=on
        ),
    ),
    "serve_withdrawal_notice": (
        "camden",
        lambda app, b, actor, by, on: app.serve_withdrawal_notice(b.pid, party=actor, on=on, by=by),
    ),
    "retract_withdrawal_notice": (
        "islington",
        lambda app, b, actor, by, on: app.retract_withdrawal_notice(
            b.pid, party=actor, on=on, by=by
        ),
    ),
    "determine_exit_costs": (
        "camden",
        lambda app, b, actor, by, on: app.determine_exit_costs(
            b.pid, party="islington", amount=Money("300000.00"), by=actor, on=on
        ),
    ),
    "settle_exit_payment": (
        "islington",
        lambda app, b, actor, by, on: app.settle_exit_payment(
            b.pid, party=actor, amount=b.EXIT_COSTS, on=on, by=by
        ),
    ),
    "complete_withdrawal": (
        "islington",
        lambda app, b, actor, by, on: app.complete_withdrawal(b.pid, party=actor, on=on, by=by),
    ),
    "note": (
        "camden",
        lambda app, b, actor, by, on: app.note(
            b.pid, kind="statutory", text="Section 114 notice issued", by=actor, on=on
        ),
    ),
    "assess_readiness": (
        "islington",
        lambda app, b, actor, by, on: app.assess_readiness(
            b.pid, party="camden", scores={"trust": 3, "power-sharing": 2}, by=actor, on=on,
            ref=ref("Joint Committee", "JC/3", on),
        ),
    ),
    "set_target": (
        "camden",
        lambda app, b, actor, by, on: app.set_target(
            b.pid, kind="savings", amount=Money("1000000.00"), due=date(2019, 3, 31), by=actor,
            on=on, ref=ref("Joint Committee", "JC/4", on), party="islington",
        ),
    ),
    "record_outcome": (
        "islington",
        lambda app, b, actor, by, on: app.record_outcome(
            b.pid, target=b.tid, amount=Money("650000.00"), by=actor, on=on,
        ),
    ),
    "set_budget": (
        "camden",
        lambda app, b, actor, by, on: app.set_budget(
            b.pid, pool="ict", year=2016, amount=Money("1200000.00"), by=actor, on=on,
            ref=ref("Joint Committee", "JC/5", on),
        ),
    ),
    "record_usage": (
        "islington",
        lambda app, b, actor, by, on: app.record_usage(
            b.pid, pool="revenues", year=2015, usage={"camden": 410, "islington": 95},
            by=actor, on=on,
        ),
    ),
    "succeed": (
        "islington",
        lambda app, b, actor, by, on: app.succeed(
            b.pid, party=actor, successors=[NORTH_ISLINGTON, SOUTH_ISLINGTON],
            split={"north-islington": Decimal(2), "south-islington": Decimal(1)}, on=on,
            ref=ref("Parliament", "SI 2016/1", on),
        ),
    ),
}  # fmt: skip
"""Every partnership verb after formation, with the party that would normally take it."""

NORTH_ISLINGTON = Party("north-islington", "North Islington Council")
SOUTH_ISLINGTON = Party("south-islington", "South Islington Council")

AFTER_DISSOLUTION = ("note",)
"""The verbs a dissolved partnership still takes."""

VERBS_ON_BEHALF = tuple(
    verb
    for verb in VERBS
    if CATALOGUE[verb].actor == "party" and "by" in attrs.fields_dict(CATALOGUE[verb])
)
"""The verbs that name the party acting (``party=``) and accept ``by=`` besides."""

OTHER = {"camden": "islington", "islington": "camden"}

T = TypeVar("T")


# --- the same verbs, on one aggregate that is never stored -------------------------------------


class Unsaved(PartnershipDoors):
    """A stand-in for :class:`SharedServices` that takes the partnership's acts (the named verbs
    of :mod:`sharedsvc.acts`) on a single :class:`Partnership` held in memory, so that a history
    built with the helpers above can be compared, before any encoding, with the same history
    read back from a store."""

    def __init__(self) -> None:
        self.partnership: Partnership | None = None

    def execute(self, act: Act[T]) -> T:
        return act.run(_Held(self))


class _Held:
    """The unit of work of an :class:`Unsaved`'s acts: its one partnership, never saved."""

    def __init__(self, owner: Unsaved) -> None:
        self.owner = owner

    def partnership(self, pid: object) -> Partnership:
        assert self.owner.partnership is not None, "form the partnership first"
        assert pid == self.owner.partnership.id
        return self.owner.partnership

    def handover(self, hid: object) -> NoReturn:
        raise AssertionError("an Unsaved holds only a partnership")

    dispute = handover

    def add(self, aggregate: Partnership) -> UUID:
        self.owner.partnership = aggregate
        return aggregate.id

    def now(self) -> datetime:
        return datetime.now(UTC)

    def uuid(self, value: object, what: str) -> UUID:
        assert isinstance(value, UUID), what
        return value


# ------------------------------------------------------------------ contracts on stores --

OpenApp = Callable[[], SharedServices]


class StoreContract:
    """Base of the contract test classes: the ``app`` under test, and ``reopen`` for another
    application on the same store. A store mixin below provides ``open_app``."""

    shares_store: ClassVar[bool] = True
    """Whether two applications opened by ``open_app`` share one store."""

    @pytest.fixture
    def open_app(self) -> OpenApp:
        raise NotImplementedError

    @pytest.fixture
    def apps(self, open_app: OpenApp) -> Iterator[OpenApp]:
        """Opens applications on the test's store, and closes them all when the test ends."""
        opened: list[SharedServices] = []

        def open_one() -> SharedServices:
            app = open_app()
            opened.append(app)
            return app

        yield open_one
        for app in opened:
            app.close()

    @pytest.fixture
    def app(self, apps: OpenApp) -> SharedServices:
        return apps()

    @pytest.fixture
    def reopen(self, apps: OpenApp) -> OpenApp:
        """Opens another application on the same store (skips where stores are not shared)."""
        if not self.shares_store:
            pytest.skip("an in-memory store lives and dies with its one application")
        return apps


class InMemoryStore:
    """Runs a contract on an in-memory store."""

    shares_store = False

    @pytest.fixture
    def open_app(self) -> OpenApp:
        return SharedServices.in_memory


class SQLiteStore:
    """Runs a contract on a SQLite file in the test's temporary folder."""

    @pytest.fixture
    def open_app(self, tmp_path: Path) -> OpenApp:
        return lambda: SharedServices.sqlite(tmp_path / "store.db")


class PostgresStore:
    """Runs a contract on the test run's PostgreSQL database, emptied for each test (mark the
    concrete class ``postgres``)."""

    @pytest.fixture
    def open_app(self, postgres_db: dict[str, Any]) -> OpenApp:
        return lambda: SharedServices.postgres(**postgres_db)
