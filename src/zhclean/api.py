"""The one-call Python API: `zhclean.clean(text)`."""

from __future__ import annotations

from functools import lru_cache

from .document import Document
from .pipeline import Pipeline, build_pipeline, load_config

Result = Document


@lru_cache(maxsize=8)
def default_pipeline(script: str = "keep") -> Pipeline:
    """The bundled default pipeline, converting to `script` (keep, hans or hant)."""
    return build_pipeline(load_config(), script=script)


def clean(text: str, script: str = "keep", pipeline: Pipeline | None = None) -> Result:
    """Repair and clean one document; the result carries text, meta, edits, removed and flags."""
    if not isinstance(text, str):
        raise TypeError(f"clean() takes a str, not {type(text).__name__}")
    pipe = pipeline or default_pipeline(script)
    return pipe(text)
