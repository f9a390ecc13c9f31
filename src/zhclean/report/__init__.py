"""A self-contained HTML report of a zhclean run: totals, charts, every document side by side, rejects.

`write_report("out.jsonl", "rejects.jsonl", "report.html")` reads the output records (and the rejects,
if any) and writes one HTML file that opens offline. Totals and charts are computed here over every
record; the documents are embedded as compact JSON in chunks that the page parses only when shown, so a
run of 100,000 documents opens without freezing the browser.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from html import escape
from importlib import resources
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import UserError
from .alignment import Alignment, align
from .charts import COLORS, bar_chart, histogram
from .stats import Totals, reject_reason, script_of

__all__ = ["Alignment", "align", "read_records", "render_report", "write_report"]

CHUNK = 100  # documents per embedded JSON chunk
MAX_DOCS = 20_000  # documents whose text is embedded by default (the totals always count all)


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".zst":
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(path.open("rb")))
    return path.open("rb")


def read_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file (plain, .gz or .zst), one per non-empty line, or of a Parquet file."""
    path = Path(path)
    if path.suffix == ".parquet":
        yield from _parquet_records(path)
        return
    try:
        with _open(path) as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield orjson.loads(line)
                    except orjson.JSONDecodeError as e:
                        raise UserError(f"{path}:{number}: not a JSON record: {e}") from e
    except OSError as e:
        raise UserError(f"cannot read {path}: {e}") from e


def _parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a Parquet output, whose `meta`, `edits`, `removed` and `flags` are JSON strings."""
    import pyarrow.parquet as pq

    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=1000)
        for batch in batches:
            for row in batch.to_pylist():
                for key in ("meta", "edits", "removed", "flags"):
                    if isinstance(row.get(key), str):
                        row[key] = orjson.loads(row[key])
                yield row
    except (OSError, ValueError) as e:
        raise UserError(f"cannot read {path}: {e}") from e


class _Table:
    """Strings stored once and referred to by number (kinds, steps, reasons)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        if s not in self.index:
            self.index[s] = len(self.items)
            self.items.append(s)
        return self.index[s]


def _reject_text(record: dict[str, Any]) -> str:
    """The start of a rejected document: its text, the text of the input record it kept, or its raw line."""
    inner = record.get("record")
    for text in (
        record.get("text"),
        inner.get("text") if isinstance(inner, dict) else None,
        record.get("raw"),
    ):
        if isinstance(text, str) and text:
            return text
    return ""


def _json(value: Any) -> str:
    return orjson.dumps(value).decode().replace("<", "\\u003c")


def _title(record: dict[str, Any]) -> str:
    meta = record.get("meta") or {}
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    return (title or (record.get("text") or "").split("\n", 1)[0])[:60]


def _entry(record: dict[str, Any], a: Alignment, exact: bool | None, kinds: list[int]) -> list[Any]:
    """The document's row in the list: id, title, edits, lines removed, lengths, kinds, script, state."""
    state = 2 if exact is None else int(exact)  # 2: text not embedded
    return [
        str(record.get("id", "")),
        _title(record),
        len(record.get("edits") or []),
        len(record.get("removed") or []),
        len(a.original),
        len(a.text),
        kinds,
        script_of(record.get("meta") or {}),
        state,
    ]


def render_report(
    records: Iterable[dict[str, Any]],
    rejects: Iterable[dict[str, Any]] | None = None,
    sources: str = "",
    max_docs: int = MAX_DOCS,
) -> tuple[str, Totals]:
    """The report page for `records` (and `rejects`), and the totals it shows.

    Totals and charts count every record (each original is rebuilt, so lengths are exact); the text of
    the first `max_docs` documents (all if 0) is embedded.
    """
    totals = Totals()
    steps, kinds, reasons = _Table(), _Table(), _Table()
    index: list[list[Any]] = []
    chunks: list[str] = []
    chunk: list[dict[str, Any]] = []
    for number, record in enumerate(records):
        a = align(record)
        totals.add(record, len(a.original), a.exact)
        if max_docs and number >= max_docs:
            index.append(_entry(record, a, None, sorted({kinds(c.kind) for c in a.changes})))
            continue
        changes = [
            [steps(c.step), kinds(c.kind), reasons(c.reason), c.before, c.after, int(c.removal)]
            for c in a.changes
        ]
        hunks = [
            [h.text_start, h.text_end, a.original[h.orig_start : h.orig_end], h.changes] for h in a.hunks
        ]
        index.append(_entry(record, a, a.exact, sorted({ch[1] for ch in changes})))
        chunk.append(
            {
                "t": a.text,
                "h": hunks,
                "c": changes,
                "m": record.get("meta") or {},
                "f": record.get("flags") or [],
            }
        )
        if len(chunk) == CHUNK:
            chunks.append(_json(chunk))
            chunk = []
    if chunk:
        chunks.append(_json(chunk))
    rejected: list[list[str]] = []
    for record in rejects or ():
        totals.reject(record)
        rejected.append(
            [
                str(record.get("id", "")),
                reject_reason(record),
                str(record.get("detail") or ""),
                _reject_text(record)[:300],
            ]
        )
    data = {
        "steps": steps.items,
        "kinds": kinds.items,
        "reasons": reasons.items,
        "index": index,
        "rejects": rejected,
        "chunk": CHUNK,
        "embedded": min(totals.docs_out, max_docs or totals.docs_out),
    }
    page = _template()
    for slot, value in {
        "SOURCES": escape(sources),
        "GENERATED": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "TOTALS": _totals_html(totals),
        "CHARTS": _charts_html(totals),
        "DATA": f'<script type="application/json" id="data">{_json(data)}</script>',
        "CHUNKS": "\n".join(
            f'<script type="application/json" id="c{i}">{c}</script>' for i, c in enumerate(chunks)
        ),
    }.items():
        page = page.replace(f"<!--{slot}-->", value, 1)
    return page, totals


def write_report(
    output_path: str | Path,
    rejects_path: str | Path | None,
    report_path: str | Path,
    max_docs: int = MAX_DOCS,
) -> Totals:
    """Write the HTML report of the output records in `output_path` (and the rejects) to `report_path`."""
    rejects = read_records(rejects_path) if rejects_path else None
    sources = str(output_path) + (f" + rejects {rejects_path}" if rejects_path else "")
    page, totals = render_report(read_records(output_path), rejects, sources, max_docs)
    try:
        Path(report_path).write_text(page, encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {report_path}: {e}") from e
    return totals


def _template() -> str:
    return resources.files("zhclean.report").joinpath("template.html").read_text(encoding="utf-8")


def _row(*cells: Any, head: bool = False) -> str:
    tag = "th" if head else "td"
    return (
        "<tr>"
        + "".join(
            f"<{tag}{' class=n' if isinstance(c, int) else ''}>{escape(_num(c))}</{tag}>" for c in cells
        )
        + "</tr>"
    )


def _num(c: Any) -> str:
    return f"{c:,}" if isinstance(c, int) else str(c)


def _totals_html(t: Totals) -> str:
    docs_in = "?" if t.docs_in is None else t.docs_in
    rejected = "not given" if t.docs_rejected is None else t.docs_rejected
    parts = [
        '<table class="totals" id="doc-totals">',
        _row("documents in", docs_in),
        _row("documents out", t.docs_out),
        _row("rejected", rejected),
        _row("characters in (output documents)", t.chars_in),
        _row("characters out", t.chars_out),
        _row("originals rebuilt exactly", f"{t.exact:,} of {t.docs_out:,}"),
        "</table>",
    ]
    if t.rejected_by_reason:
        parts.append(
            '<table class="totals" id="reject-totals">' + _row("reject reason", "documents", head=True)
        )
        parts += [_row(r, n) for r, n in t.rejected_by_reason.most_common()]
        parts.append("</table>")
    parts.append(
        '<table class="totals" id="kind-totals">'
        + _row("step", "kind", "changes", "characters before", "characters after", head=True)
    )
    for k in sorted(t.kinds.values(), key=lambda k: -k.count):
        parts.append(
            _row(
                k.step,
                k.kind + (" (lines removed)" if k.lines else ""),
                k.count,
                k.chars_before,
                k.chars_after,
            )
        )
    parts.append("</table>")
    if t.flags:
        parts.append('<table class="totals" id="flag-totals">' + _row("flag", "count", head=True))
        parts += [_row(f, n) for f, n in t.flags.most_common()]
        parts.append("</table>")
    return "\n".join(parts)


def _charts_html(t: Totals) -> str:
    edits = [(f"{k.kind}", k.count) for k in t.kinds.values() if not k.lines]
    lines = [(f"{k.kind}", k.count) for k in t.kinds.values() if k.lines]
    charts = [
        bar_chart("edits per kind", edits, COLORS[0]),
        bar_chart("lines removed per kind", lines, COLORS[3]),
        bar_chart("documents per script", list(t.scripts.items()), COLORS[2]),
        histogram("document length (characters)", {"before": t.len_before, "after": t.len_after}),
    ]
    charts += [histogram(f"quality: {key}", {key: values}) for key, values in sorted(t.quality.items())]
    return "\n".join(f'<figure class="chart-box">{c}</figure>' for c in charts)
