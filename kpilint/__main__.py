"""``python -m kpilint``."""

from kpilint.cli import run

if __name__ == "__main__":
    run()
