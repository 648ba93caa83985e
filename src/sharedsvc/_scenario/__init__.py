"""The implementation of [`sharedsvc.scenario`][sharedsvc.scenario]: private, imported only through
it.

``problems`` is the error the parts raise; ``codecs`` and ``freeform`` say how values are
written in TOML; ``verbs`` the keys each act takes; ``reading`` and ``writing`` are the two
directions; ``log`` reads a partnership's events from the store and ``toml`` writes the text.
"""
