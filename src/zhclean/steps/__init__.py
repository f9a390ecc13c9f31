"""The registry of pipeline steps: the name a config file uses -> the class that implements it."""

from __future__ import annotations

from .codec import WrongCodecRepair
from .unicode_hygiene import UnicodeHygiene
from .html_remnants import HtmlRemnants
from .gbk_damage import GbkDamageRepair
from .ruby import RubyPinyin
from .layout import Layout
from .punctuation import Punctuation
from .spacing import CjkSpacing
from .boilerplate import Boilerplate
from .metadata import Metadata
from .pii import Pii
from .script import Script
from .quality import Quality

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
