"""Python's cyclic garbage collector held off while the read models apply a long run of events.

A batch keeps a tuple or two per event alive until it is written, so the collector's
automatic passes run often and, as the builder's memory grows with the partnerships, each
older generation's pass walks more of it: at 1,000,000 events about a tenth of a replay.
The builder makes no reference cycles per event (what it frees, reference counting frees),
so `paused` turns automatic collection off while it runs and back on after, unless something
else had turned it off. Several threads may pause it at once: it is turned back on when the
last of them is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_holders = 0  # how many `paused` blocks are running
_resume = False  # whether the first of them found collection on (and the last turns it back)


@contextmanager
def paused() -> Iterator[None]:
    """Automatic garbage collection off while the block runs (see the module)."""
    global _holders, _resume
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _resume:
                gc.enable()
