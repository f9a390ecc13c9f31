"""GBK (CP936) byte facts shared by the damage simulator and the repair: pairs, user-defined area, decoding.

>>> php_cp936_decode(b"\\xd3\\xc2\\xa0(t\\xa8\\xa9ng)")   # a lead byte before `(` eats it: PHP 8 mbstring
'勇?tīng)'
"""

from __future__ import annotations

from functools import lru_cache


def is_lead(b: int) -> bool:
    return 0x81 <= b <= 0xFE


def is_trail(b: int) -> bool:
    return 0x40 <= b <= 0xFE and b != 0x7F


@lru_cache(maxsize=65536)
def pair_char(lead: int, trail: int) -> str | None:
    """The character GBK assigns to the pair, a private-use one for unassigned pairs, None if invalid."""
    if not (is_lead(lead) and is_trail(trail)):
        return None
    data = bytes((lead, trail))
    try:
        return data.decode("gbk")
    except UnicodeDecodeError:
        pass
    try:
        ch = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


@lru_cache(maxsize=65536)
def real_char(lead: int, trail: int) -> str | None:
    """The assigned (not private-use) GBK character of a pair, else None."""
    ch = pair_char(lead, trail)
    if ch is None or 0xE000 <= ord(ch) <= 0xF8FF:
        return None
    return ch


@lru_cache(maxsize=65536)
def char_bytes(ch: str) -> bytes | None:
    """GBK bytes of one character (others in GB18030's two-byte part, e.g. private use, too), else None."""
    try:
        return ch.encode("gbk")
    except UnicodeEncodeError:
        pass
    try:
        data = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return data if len(data) == 2 else None


def php_cp936_decode(data: bytes) -> str:
    """Decode like PHP 8 mbstring CP936: a lead byte with a bad trail becomes one `?` that eats both bytes.

    Pairs in the user-defined area become private-use characters; 0x80 is the euro sign; 0xFF is `?`.
    """
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
        elif b == 0x80:
            out.append("€")
            i += 1
        elif b == 0xFF or i + 1 >= n:
            out.append("?")
            i += 1
        else:
            ch = pair_char(b, data[i + 1])
            out.append("?" if ch is None else ch)
            i += 2
    return "".join(out)
