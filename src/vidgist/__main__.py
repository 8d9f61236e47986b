"""``python -m vidgist`` runs the ``vidgist`` command line."""

from vidgist.cli.main import run

if __name__ == "__main__":
    run()
