"""The registry of pipeline steps: the name a config file uses -> the class that implements it."""

from __future__ import annotations

from .boilerplate import Boilerplate
from .codec import WrongCodecRepair
from .gbk_damage import GbkDamageRepair
from .html_remnants import HtmlRemnants
from .layout import Layout
from .metadata import Metadata
from .pii import Pii
from .punctuation import Punctuation
from .quality import Quality
from .ruby import RubyPinyin
from .script import Script
from .spacing import CjkSpacing
from .unicode_hygiene import UnicodeHygiene

STEPS: dict[str, type] = {
    WrongCodecRepair.name: WrongCodecRepair,
    UnicodeHygiene.name: UnicodeHygiene,
    HtmlRemnants.name: HtmlRemnants,
    GbkDamageRepair.name: GbkDamageRepair,
    RubyPinyin.name: RubyPinyin,
    Layout.name: Layout,
    Punctuation.name: Punctuation,
    CjkSpacing.name: CjkSpacing,
    Boilerplate.name: Boilerplate,
    Metadata.name: Metadata,
    Pii.name: Pii,
    Script.name: Script,
    Quality.name: Quality,
}
