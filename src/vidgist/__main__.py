"""``python -m vidgist`` runs the ``vidgist`` command line (its exit code included)."""

import sys

import sys

from vidgist.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
