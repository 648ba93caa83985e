"""Everything that knows eventsourcing's internals: private names, table layout, wire format.

Private: may change in any release. tests/unit/test_adapters.py pins what it relies on.
"""
