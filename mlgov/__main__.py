"""Entry point for ``python -m mlgov``."""

import sys

from mlgov.cli import main

if __name__ == "__main__":
    sys.exit(main())
