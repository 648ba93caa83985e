"""The catalogue of acts: every act the library records, declared once.

Each act is a frozen command class named as its verb in CamelCase, with the verb's parameters as
fields ([`ChangeStage`][sharedsvc.acts.ChangeStage] for
[`SharedServices.change_stage`][sharedsvc.SharedServices.change_stage]). ``app.execute(act)``
records any of them and returns what the verb returns; the named verbs are doors onto the same path.
Everything that needs the list of acts (scenario files, the audit narrator, the testing kit) reads
[`CATALOGUE`][sharedsvc.acts.CATALOGUE]::

    from datetime import date
    from sharedsvc import SharedServices, Stage
    from sharedsvc.acts import CATALOGUE, ChangeStage

    assert CATALOGUE["change_stage"] is ChangeStage
    assert ChangeStage.actor == "by" and ChangeStage.acts_on() == "pid"

The acts of each aggregate are in a module of their own; this package exports every name each
of them lists, so a new act needs no line here.
"""

from __future__ import annotations

# isort: off
# The catalogue lists acts in the order their modules are imported: a partnership's acts first.
from sharedsvc.acts import _base, partnerships, handovers, disputes, reorganisation, money

# Every act and door of each module, by the names it lists (a new act needs no line here).
from sharedsvc.acts._base import *  # noqa: F403
from sharedsvc.acts.partnerships import *  # noqa: F403
from sharedsvc.acts.handovers import *  # noqa: F403
from sharedsvc.acts.disputes import *  # noqa: F403
from sharedsvc.acts.reorganisation import *  # noqa: F403
from sharedsvc.acts.money import *  # noqa: F403

# isort: on
from sharedsvc.domain.coordination import Unit

__all__ = ["Unit"]
__all__ += _base.__all__
__all__ += partnerships.__all__
__all__ += handovers.__all__
__all__ += disputes.__all__
__all__ += reorganisation.__all__
__all__ += money.__all__
