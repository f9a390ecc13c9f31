"""Subcommands of the `zhclean` command line; each module has `add_parser(subparsers)`."""
