"""``python -m sharedsvc.cli``: the ``sharedsvc`` command."""

import sys

from sharedsvc.cli import main

if __name__ == "__main__":
    sys.exit(main())
