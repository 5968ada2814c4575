"""`python -m rnncore`: see rnncore/cli/ and DESIGN.md for the contract."""

import sys

from rnncore.cli import main

if __name__ == "__main__":
    sys.exit(main())
