"""`python -m rnncore`: see rnncore/cli/ and docs/ARCHITECTURE.md for the contract."""

import sys

from rnncore.cli import main

if __name__ == "__main__":
    sys.exit(main())
