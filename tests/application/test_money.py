"""Budgets, usage and recharges: what each council pays of each pool in a financial year, on
every store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from harness import (
    CAMDEN,
    HARINGEY,
    ISLINGTON,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    adopt,
    assert_refused,
    form_pair,
    form_trio,
    ref,
    terms_for,
)

from sharedsvc import (
    CostPool,
    Money,
    NotFound,
    Notice,
    Party,
    RuleViolation,
    SharedServices,
    financial_year,
)

DAY = date(2024, 2, 1)
"""When the budgets are set, before the financial year 2024 begins."""


def pounds(**amounts: str) -> dict[str, Money]:
    return {party: Money(amount) for party, amount in amounts.items()}


def with_usage(app: SharedServices) -> UUID:
    """Camden and Islington, with an equal ``ict`` pool and a ``revenues`` pool by usage
    (estimated 60 / 40)."""
    return form_pair(app, usage={"camden": "60", "islington": "40"})


def test_the_financial_year_is_named_by_the_year_it_starts_in() -> None:
    assert (date(2024, 4, 1), date(2025, 3, 31)) == financial_year(2024)
    assert (date(2024, 1, 1), date(2024, 12, 31)) == financial_year(2024, (12, 31))
    assert (date(2024, 7, 1), date(2025, 6, 30)) == financial_year(2024, (6, 30))


class MoneyContract(StoreContract):
    def test_an_equal_pool_of_three_pays_its_recorded_shares(self, app: SharedServices) -> None:
        pid = form_trio(app, on=date(2016, 10, 1))
        app.set_budget(pid, pool="ict", year=2024, amount=Money("12000000"), by="camden", on=DAY,
                       ref=ref("Joint Committee", "JC/2024/1", DAY))  # fmt: skip
        assert {
            "ict": pounds(camden="4000800.00", islington="3999600.00", haringey="3999600.00")
        } == app.recharges(pid, year=2024)

    def test_an_admission_mid_year_is_pro_rated_by_days(self, app: SharedServices) -> None:
        pid = form_pair(app)
        app.set_budget(pid, pool="ict", year=2024, amount=Money("365000"), by="camden", on=DAY)
        adopt(
            app, pid, by="camden", on=date(2024, 3, 1),
            approvers=["camden", "islington", "haringey"],
            changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
            admit=[HARINGEY], effective=date(2024, 10, 1),
        )  # fmt: skip
        # 183 days at 50/50, then 182 days at 33.34/33.33/33.33, of £1,000 a day
        assert {
            "ict": pounds(camden="152178.80", islington="152160.60", haringey="60660.60")
        } == app.recharges(pid, year=2024)

    def test_a_withdrawal_mid_year_leaves_the_rest_of_the_year_to_those_who_stay(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app, on=date(2016, 10, 1))
        app.set_budget(pid, pool="ict", year=2024, amount=Money("365000"), by="camden", on=DAY)
        app.serve_withdrawal_notice(pid, party="haringey", on=date(2024, 3, 1))
        app.determine_exit_costs(pid, party="haringey", amount=Money("0"), by="camden",
                                 on=date(2024, 3, 2))  # fmt: skip
        app.settle_exit_payment(pid, party="haringey", amount=Money("0"), on=date(2024, 3, 2))
        app.complete_withdrawal(pid, party="haringey", on=date(2025, 3, 31))
        # 364 days in thirds, and the last day, on which the withdrawal takes effect, at 50/50
        assert {
            "ict": pounds(camden="121857.60", islington="121821.20", haringey="121321.20")
        } == app.recharges(pid, year=2024)
        assert {} == app.recharges(pid, year=2025)  # no budget for 2025

    def test_a_usage_pool_is_divided_by_the_years_latest_usage(self, app: SharedServices) -> None:
        pid = with_usage(app)
        app.set_budget(pid, pool="revenues", year=2024, amount=Money("100000"), by="camden",
                       on=DAY)  # fmt: skip
        # no usage yet: the recorded shares, day by day
        assert {"revenues": pounds(camden="60000.00", islington="40000.00")} == (
            app.recharges(pid, year=2024)
        )
        app.record_usage(pid, pool="revenues", year=2024, usage={"camden": 1, "islington": 1},
                         by="camden", on=DAY)  # fmt: skip
        app.record_usage(pid, pool="revenues", year=2024,
                         usage={"camden": 410, "islington": Decimal("100.5")}, by="islington",
                         on=date(2025, 4, 30))  # fmt: skip
        assert {"revenues": pounds(camden="80313.42", islington="19686.58")} == (
            app.recharges(pid, year=2024)
        )
        # usage for another year changes nothing in this one
        app.record_usage(pid, pool="revenues", year=2025, usage={"camden": 1},
                         by="camden", on=date(2025, 5, 1))  # fmt: skip
        assert "80313.42" == str(app.recharges(pid, year=2024)["revenues"]["camden"].amount)

    def test_a_budget_set_again_replaces_the_one_before_and_unbudgeted_pools_are_left_out(
        self, app: SharedServices
    ) -> None:
        pid = with_usage(app)
        app.set_budget(pid, pool="ict", year=2024, amount=Money("1000"), by="camden", on=DAY)
        app.set_budget(pid, pool="ict", year=2024, amount=Money("2000.02"), by="islington",
                       on=DAY)  # fmt: skip
        assert {"ict": pounds(camden="1000.01", islington="1000.01")} == (
            app.recharges(pid, year=2024)
        )
        assert {} == app.recharges(pid, year=2023)

    def test_pennies_left_over_go_to_the_largest_remainders_ties_to_the_first_listed(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app, on=date(2016, 10, 1))
        app.set_budget(pid, pool="ict", year=2024, amount=Money("0.02"), by="camden", on=DAY)
        assert {"ict": pounds(camden="0.01", islington="0.01", haringey="0.00")} == (
            app.recharges(pid, year=2024)
        )

    def test_a_partnership_formed_or_dissolved_mid_year_charges_only_the_days_it_stood(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, on=date(2024, 10, 1))  # formed half way through 2024
        app.set_budget(pid, pool="ict", year=2024, amount=Money("1000"), by="camden",
                       on=date(2024, 10, 1))  # fmt: skip
        app.set_budget(pid, pool="ict", year=2025, amount=Money("1000"), by="camden",
                       on=date(2024, 10, 1))  # fmt: skip
        assert {"ict": pounds(camden="500.00", islington="500.00")} == (
            app.recharges(pid, year=2024)
        )
        adopt(app, pid, by="camden", on=date(2024, 11, 1), approvers=["camden", "islington"],
              dissolve=True, effective=date(2025, 10, 1))  # fmt: skip
        assert {"ict": pounds(camden="500.00", islington="500.00")} == (
            app.recharges(pid, year=2025)
        )

    def test_a_succession_mid_year_passes_the_share_on_from_the_vesting_day(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, usage={"camden": "60", "islington": "40"})
        app.set_budget(pid, pool="revenues", year=2024, amount=Money("365000"), by="camden",
                       on=DAY)  # fmt: skip
        north, south = Party("north-islington", "North"), Party("south-islington", "South")
        app.succeed(pid, party="islington", successors=[north, south], on=date(2024, 10, 1))
        # 183 days of 60/40, then 182 days of 60/20/20
        assert {
            "revenues": pounds(
                camden="219000.00", islington="73200.00",
                **{"north-islington": "36400.00", "south-islington": "36400.00"},
            )
        } == app.recharges(pid, year=2024)  # fmt: skip

    def test_another_year_end_makes_another_year(self, app: SharedServices) -> None:
        calendar = Notice(months=6, year_end=(12, 31))
        pid = app.form_partnership(
            "Calendar", parties=[CAMDEN, ISLINGTON],
            terms=terms_for(CAMDEN, ISLINGTON, notice=calendar), on=date(2023, 6, 1),
        )  # fmt: skip
        app.set_budget(pid, pool="ict", year=2023, amount=Money("365"), by="camden",
                       on=date(2023, 6, 1))  # fmt: skip
        # 1 June to 31 December 2023: 214 of the year's days
        assert {"ict": pounds(camden="182.50", islington="182.50")} == (
            app.recharges(pid, year=2023)
        )
        assert_refused(app, "financial-year", app.set_budget, pid, pool="ict", year=2022,
                       amount=Money("1"), by="camden", on=date(2023, 6, 1))  # fmt: skip

    @pytest.mark.parametrize(
        ("rule", "change"),
        [
            ("pool-in-terms", {"pool": "legal"}),
            ("budget-amount", {"amount": Money("-1")}),
            ("budget-amount", {"amount": Money("0.001")}),
            ("budget-amount", {"amount": Decimal("100")}),
            ("financial-year", {"year": 2014}),
            ("financial-year", {"year": "2024"}),
            ("financial-year", {"year": True}),
        ],
    )
    def test_a_bad_budget_is_refused_and_records_nothing(
        self, app: SharedServices, rule: str, change: dict[str, Any]
    ) -> None:
        pid = with_usage(app)
        budget = {"pool": "ict", "year": 2024, "amount": Money("1"), "by": "camden", "on": DAY}
        assert_refused(app, rule, app.set_budget, pid, **{**budget, **change})

    @pytest.mark.parametrize(
        ("rule", "change"),
        [
            ("pool-in-terms", {"pool": "legal"}),
            ("usage-basis", {"pool": "ict"}),
            ("usage-parties", {"usage": {"camden": 1, "haringey": 2}}),
            ("usage-quantities", {"usage": {"camden": -1}}),
            ("usage-quantities", {"usage": {"camden": 0, "islington": 0}}),
            ("usage-quantities", {"usage": {"camden": Decimal("NaN")}}),
            ("usage-quantities", {"usage": {"camden": 1.5}}),
            ("usage-quantities", {"usage": {}}),
            ("financial-year", {"year": 2014}),
        ],
    )
    def test_bad_usage_is_refused_and_records_nothing(
        self, app: SharedServices, rule: str, change: dict[str, Any]
    ) -> None:
        pid = with_usage(app)
        usage = {"pool": "revenues", "year": 2024, "usage": {"camden": 3}, "by": "camden",
                 "on": DAY}  # fmt: skip
        assert_refused(app, rule, app.record_usage, pid, **{**usage, **change})

    def test_a_party_that_left_during_the_year_may_be_named_in_its_usage(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app, on=date(2016, 10, 1))
        app.serve_withdrawal_notice(pid, party="haringey", on=date(2023, 3, 1))
        app.determine_exit_costs(pid, party="haringey", amount=Money("0"), by="camden",
                                 on=date(2023, 3, 1))  # fmt: skip
        app.settle_exit_payment(pid, party="haringey", amount=Money("0"), on=date(2023, 3, 1))
        app.complete_withdrawal(pid, party="haringey", on=date(2024, 3, 31))
        app.record_usage(pid, pool="revenues", year=2023, usage={"haringey": 5, "camden": 1},
                         by="camden", on=date(2024, 4, 2))  # fmt: skip
        assert_refused(app, "usage-parties", app.record_usage, pid, pool="revenues", year=2024,
                       usage={"haringey": 5}, by="camden", on=date(2024, 4, 2))  # fmt: skip

    def test_recharges_of_an_unknown_partnership_or_a_bad_year_are_refused(
        self, app: SharedServices
    ) -> None:
        with pytest.raises(NotFound):
            app.recharges(UUID(int=7), year=2024)
        pid = form_pair(app)
        with pytest.raises(RuleViolation) as caught:
            app.recharges(pid, year="2024")  # type: ignore[arg-type]
        assert "financial-year" == caught.value.rule

    def test_another_application_on_the_store_reads_the_same_recharges(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = with_usage(app)
        app.set_budget(pid, pool="revenues", year=2024, amount=Money("1000"), by="camden", on=DAY)
        app.record_usage(pid, pool="revenues", year=2024,
                         usage={"camden": 3, "islington": Decimal("1.5")}, by="camden",
                         on=DAY)  # fmt: skip
        expected = {"revenues": pounds(camden="666.67", islington="333.33")}
        assert expected == app.recharges(pid, year=2024)
        assert expected == reopen().recharges(pid, year=2024)


class TestMoneyInMemory(InMemoryStore, MoneyContract):
    pass


class TestMoneyOnSQLite(SQLiteStore, MoneyContract):
    pass


@pytest.mark.postgres
class TestMoneyOnPostgres(PostgresStore, MoneyContract):
    pass
