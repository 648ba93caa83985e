"""The verbs of :class:`~sharedsvc.SharedServices`, by aggregate."""
