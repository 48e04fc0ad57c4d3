"""The `navette` subcommands, one module per concern."""
