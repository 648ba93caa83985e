"""The pytest fixtures that sharedsvc.testing.fixtures offers users."""

from __future__ import annotations

from datetime import date

import pytest

from sharedsvc import CostPool, Party, SharedServices, Stage, Terms

pytest_plugins = ["sharedsvc.testing.fixtures"]


def form(app: SharedServices) -> None:
    app.form_partnership(
        "Shared Legal",
        parties=[Party("adur", "Adur"), Party("worthing", "Worthing")],
        terms=Terms(cost_pools=(CostPool.equal("legal", ["adur", "worthing"]),)),
        stage=Stage.CO_OPERATING,
        on=date(2012, 4, 1),
    )


@pytest.mark.parametrize("fixture", ["sharedsvc_app", "sharedsvc_sqlite_app"])
def test_each_fixture_gives_an_empty_application_that_records(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    app = request.getfixturevalue(fixture)
    assert 0 == app.highest_position()
    form(app)
    assert ["Shared Legal"] == [view.name for view in app.partnerships()]
