"""Tools for testing code built on sharedsvc: Hypothesis strategies for every stored value.

Import the strategies from here::

    from hypothesis import given
    from sharedsvc.testing import terms

    @given(terms(parties=["camden", "haringey"], host="camden"))
    def test_the_host_has_a_share_of_every_pool(agreed):
        assert all("camden" in pool.shares for pool in agreed.cost_pools)

Hypothesis is a test-time dependency (the ``test`` extra): this package imports it.
"""

from __future__ import annotations

from sharedsvc.testing.histories import History, HistoryIds, Ref, Step, histories
from sharedsvc.testing.machine import PartnershipMachine
from sharedsvc.testing.strategies import (
    DEFAULT_MAX_DATE,
    DEFAULT_MIN_DATE,
    area_scores,
    bases,
    concessions,
    cost_pools,
    data_roles,
    dates,
    dates_out_of_order,
    decision_refs,
    functions,
    governances,
    invalid_cost_pool_shares,
    invalid_party_ids,
    invalid_readiness_scores,
    invalid_target_amounts,
    money,
    notices,
    outcomes,
    parties,
    party_ids,
    policies,
    pooled_functions,
    readiness_gates,
    rungs,
    staff_arrangements,
    staff_transfers,
    stages,
    successions,
    targets,
    terms,
    unknown_party_ids,
    unknown_readiness_areas,
    variations,
    withdrawals,
)

__all__ = [
    "DEFAULT_MAX_DATE",
    "DEFAULT_MIN_DATE",
    "History",
    "HistoryIds",
    "PartnershipMachine",
    "Ref",
    "Step",
    "area_scores",
    "bases",
    "concessions",
    "cost_pools",
    "data_roles",
    "dates",
    "dates_out_of_order",
    "decision_refs",
    "functions",
    "governances",
    "histories",
    "invalid_cost_pool_shares",
    "invalid_party_ids",
    "invalid_readiness_scores",
    "invalid_target_amounts",
    "money",
    "notices",
    "outcomes",
    "parties",
    "party_ids",
    "policies",
    "pooled_functions",
    "readiness_gates",
    "rungs",
    "staff_arrangements",
    "staff_transfers",
    "stages",
    "successions",
    "targets",
    "terms",
    "unknown_party_ids",
    "unknown_readiness_areas",
    "variations",
    "withdrawals",
]
