"""Errors that the command line reports as one clear line and a non-zero exit, never a traceback."""

from .pipeline import ConfigError  # noqa: F401  (also a user error)


class UserError(Exception):
    """A problem with the user's input, files or options, worded for the user."""
