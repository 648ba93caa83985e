"""``python -m sharedsvc.cli``: the ``sharedsvc`` command."""

import sys

from sharedsvc.cli import main

sys.exit(main())
