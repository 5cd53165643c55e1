"""``python -m kpilint``."""

from kpilint.cli import main

if __name__ == "__main__":
    main()
