"""``python -m vidgist`` runs the ``vidgist`` command line."""

import sys

from vidgist.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
