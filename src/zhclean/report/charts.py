"""Small inline SVG charts (bar charts and histograms) that need no script and no network to show."""

from __future__ import annotations

from html import escape

COLORS = ["#3b6ea5", "#d9822b", "#3a9b5c", "#b5485d", "#7b61a8", "#8c7a3b"]
WIDTH = 460


def _fmt(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def bar_chart(title: str, items: list[tuple[str, float]], color: str = COLORS[0], limit: int = 20) -> str:
    """A horizontal bar chart, largest first, of at most `limit` bars."""
    items = sorted(items, key=lambda kv: -kv[1])[:limit]
    row, label_w = 18, 170
    height = 28 + row * max(len(items), 1)
    top = max((v for _, v in items), default=0) or 1
    parts = [_head(title, height, "bar")]
    for i, (label, value) in enumerate(items):
        y = 24 + i * row
        w = (WIDTH - label_w - 60) * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label[:28])}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{_fmt(value)}</text>'
        )
    if not items:
        parts.append('<text x="10" y="40">nothing recorded</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, series: dict[str, list[float]], bins: int = 20) -> str:
    """Histograms of one or more series over shared bins (values past the 99th percentile go in the last)."""
    values = sorted(v for vs in series.values() for v in vs)
    height, left, bottom = 190, 40, 150
    parts = [_head(title, height, "hist")]
    if not values:
        parts.append('<text x="10" y="40">no values</text></svg>')
        return "".join(parts)
    lo, hi = values[0], values[min(len(values) - 1, int(len(values) * 0.99))]
    if hi <= lo:
        hi = lo + 1
    step = (hi - lo) / bins
    counts = {name: [0] * bins for name in series}
    for name, vs in series.items():
        for v in vs:
            counts[name][min(bins - 1, max(0, int((v - lo) / step)))] += 1
    top = max(max(c) for c in counts.values()) or 1
    plot_w = WIDTH - left - 10
    bar_w = plot_w / bins / len(series)
    for s, (name, c) in enumerate(counts.items()):
        for b, n in enumerate(c):
            h = (bottom - 24) * n / top
            x = left + b * plot_w / bins + s * bar_w
            edge = f"{_fmt(lo + b * step)}–{_fmt(lo + (b + 1) * step)}" + ("+" if b == bins - 1 else "")
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{bottom - h:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{COLORS[s % len(COLORS)]}"><title>{escape(name)} {edge}: {n}</title></rect>'
            )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="#888"/>'
        f'<text x="{left}" y="{bottom + 14}">{_fmt(lo)}</text>'
        f'<text x="{WIDTH - 10}" y="{bottom + 14}" text-anchor="end">{_fmt(hi)}+</text>'
        f'<text x="{left - 4}" y="30" text-anchor="end">{top}</text>'
    )
    if len(series) > 1:
        for s, name in enumerate(series):
            x = left + s * 120
            parts.append(
                f'<rect x="{x}" y="{bottom + 24}" width="10" height="10" fill="{COLORS[s % len(COLORS)]}"/>'
                f'<text x="{x + 14}" y="{bottom + 33}">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _head(title: str, height: int, kind: str) -> str:
    return (
        f'<svg class="chart {kind}" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f'<text class="title" x="4" y="14">{escape(title)}</text>'
    )
