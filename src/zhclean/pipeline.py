"""A Pipeline is an ordered list of steps, built in Python or from a TOML file that names them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .document import Document
from .step import Step

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCRIPTS = ("keep", "hans", "hant")


class ConfigError(ValueError):
    """A configuration file or option that zhclean cannot use."""


class Pipeline:
    """Runs its steps, in order, over each Document."""

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = list(steps)

    def run(self, doc: Document) -> Document:
        for step in self.steps:
            step(doc)
        return doc

    def __call__(self, text: str, id: str = "") -> Document:
        return self.run(Document(text=text, id=id))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]


def default_config_text() -> str:
    """The text of the bundled default configuration."""
    return resources.files("zhclean").joinpath("default.toml").read_text(encoding="utf-8")


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """Read a TOML configuration (the bundled default when `path` is None)."""
    try:
        text = default_config_text() if path is None else Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read config {path}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config {path} is not valid TOML: {e}") from e


def build_pipeline(config: dict[str, Any], script: str | None = None) -> Pipeline:
    """Make a Pipeline from a config dict: `[[step]]` tables, each with `name` and the step's options."""
    from .steps import STEPS

    if script is not None and script not in SCRIPTS:
        raise ConfigError(f"script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    steps: list[Step] = []
    for table in config.get("step", []):
        options = dict(table)
        name = options.pop("name", None)
        if options.pop("enabled", True) is False:
            continue
        if name not in STEPS:
            known = ", ".join(sorted(STEPS))
            raise ConfigError(f"unknown step {name!r} in config (known steps: {known})")
        if name == "script" and script is not None:
            options["target"] = script
        try:
            steps.append(STEPS[name](**options))
        except TypeError as e:
            raise ConfigError(f"bad options for step {name!r}: {e}") from e
    return Pipeline(steps)
