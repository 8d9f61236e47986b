"""``python -m vidgist`` runs the ``vidgist`` command line."""

from vidgist.cli.main import main

if __name__ == "__main__":
    main()
