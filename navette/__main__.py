"""`python -m navette`: the command line."""

from navette.cli import main

main()
