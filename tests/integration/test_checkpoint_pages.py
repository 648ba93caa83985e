"""A checkpoint builds its tree a page at a time (whole pages as subtrees, a level at a time):
the first as it logs the leaves, a later one from the log read back; both must give the root
and the proofs of the reference, over pages of any size."""

from __future__ import annotations

import io

import pytest

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.integrity import merkle, read_exported_events, rows


@pytest.mark.parametrize("page", [1, 4, 5, 8192])
def test_a_checkpoint_over_pages_has_the_reference_root(
    page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "PAGE", page)
    app = SharedServices.in_memory()
    build_shared_digital(app)
    out = io.StringIO()
    app.export_events(out)
    events = list(read_exported_events(io.StringIO(out.getvalue())))
    digests = [event.leaf_hash() for event in events]
    assert len(digests) > 2 * 5  # several pages of the smaller sizes

    checkpoint = app.checkpoint()  # logs every leaf, building the tree as it logs them
    again = app.checkpoint()  # nothing new to log: the tree of the log read back

    assert (len(digests), merkle.tree_root(digests)) == (checkpoint.size, checkpoint.root)
    assert events[-1].position == checkpoint.position
    assert (again.size, again.root, again.position) == (
        checkpoint.size,
        checkpoint.root,
        checkpoint.position,
    )
    for index in (0, len(events) // 3, len(events) - 1):
        proof = app.prove(events[index].position, checkpoint)
        assert merkle.verify_inclusion_path(
            digests[index], index, checkpoint.size, proof.path, checkpoint.root
        )
    assert app.verify(against=checkpoint).ok
