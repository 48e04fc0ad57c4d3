"""`python -m navette`: the command line."""

from navette.cli import main

if __name__ == "__main__":
    main()
