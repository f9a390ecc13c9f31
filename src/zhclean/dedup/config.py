"""Dedup settings, read from the `[dedup]` table of the config (defaults tuned for Chinese text)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..pipeline import ConfigError
from .paragraphs import ACTIONS


@dataclass(frozen=True)
class DedupConfig:
    """What dedup looks for and how hard.

    Shingles are character 3-grams (Chinese has no spaces; a word is 1-2 characters). Changing 5% of
    the characters at random leaves a 3-gram Jaccard of about 0.7 (0.6 at 4-grams, 0.53 at 5-grams),
    while distinct articles stay below ~0.1, so a pair counts as a near duplicate at an estimated
    Jaccard >= 0.55. 256 permutations in 64 bands of 4 rows put pairs with Jaccard >= 0.6 in a common
    bucket with probability > 0.999 (measured by `bench/dedup.py`).
    """

    exact: bool = True
    near: bool = True
    ngram: int = 3
    num_perm: int = 256
    bands: int = 64
    threshold: float = 0.55
    seed: int = 42
    fold_script: bool = False
    paragraphs: str = "flag"
    paragraph_min_chars: int = 10
    paragraph_min_docs: int = 3

    def __post_init__(self) -> None:
        if self.num_perm <= 0 or self.bands <= 0 or self.num_perm % self.bands:
            raise ConfigError(
                f"[dedup] num_perm ({self.num_perm}) must be a positive multiple of bands ({self.bands})"
            )
        if self.ngram < 1:
            raise ConfigError(f"[dedup] ngram must be at least 1, not {self.ngram}")
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"[dedup] threshold must be in (0, 1], not {self.threshold}")
        if self.paragraphs not in ACTIONS:
            raise ConfigError(
                f"[dedup] paragraphs must be one of {', '.join(ACTIONS)}, not {self.paragraphs!r}"
            )

    @classmethod
    def from_config(cls, config: dict[str, Any] | None, script: str | None = None) -> DedupConfig:
        """Read `config["dedup"]`; asking for one script (hans or hant) turns on script folding."""
        table = dict((config or {}).get("dedup", {}))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                f"unknown [dedup] option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        if script in ("hans", "hant"):
            table["fold_script"] = True
        try:
            return cls(**table)
        except TypeError as e:
            raise ConfigError(f"bad [dedup] options: {e}") from e
