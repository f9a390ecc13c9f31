"""Turn input items into output or rejects records: pure functions shared by every run engine.

Each input line (or Parquet row, or .txt file) becomes exactly one record: the cleaned document
(`Document.to_record()`, serialised as one JSON line) or a reject `{"id", "source", "reason", "detail",
"record" | "raw"}`. A chunk of items becomes a `ChunkResult` with the encoded lines and the chunk's
statistics, so any engine that runs `clean_chunk` and writes results in chunk order gets the same bytes.

>>> from zhclean.pipeline import Pipeline
>>> process_line(b'{"text": 1}', "a.jsonl", 3, Pipeline([]))
Reject(reason='text-not-string', detail='field "text" is int, not a string', source='a.jsonl:3', id='a.jsonl:3', record={'text': 1}, raw=None)
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson

from .document import Document
from .io.job import DEFAULT_MAX_CHARS
from .io.readers import Item
from .pipeline import Pipeline, build_pipeline

RAW_KEEP_CHARS = 2000


@dataclass
class Reject:
    """An input record that could not be cleaned, and why."""

    reason: str
    detail: str
    source: str
    id: Any = None
    record: dict[str, Any] | None = None
    raw: str | None = None

    def to_record(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "reason": self.reason,
            "detail": self.detail,
        }
        if self.record is not None:
            out["record"] = self.record
        if self.raw is not None:
            out["raw"] = self.raw
        return out


@dataclass
class Tally:
    """Running totals kept while documents are cleaned: input characters of the cleaned documents and
    seconds spent in each step."""

    chars_in: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class ChunkResult:
    """What one chunk of items became: encoded output lines, encoded reject lines, and statistics."""

    output: list[bytes] = field(default_factory=list)
    rejects: list[bytes] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def new_stats() -> dict[str, Any]:
    """Empty run statistics (plain dicts, so they pickle, merge and serialise simply)."""
    return {
        "docs_in": 0,
        "docs_out": 0,
        "rejected": {},
        "chars_in": 0,
        "chars_out": 0,
        "flags": {},
        "steps": {},
    }


def merge_stats(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add the statistics `part` into `total` (in place) and return `total`."""
    for key in ("docs_in", "docs_out", "chars_in", "chars_out"):
        total[key] += part[key]
    _add_counts(total["rejected"], part["rejected"])
    _add_counts(total["flags"], part["flags"])
    for name, step in part["steps"].items():
        mine = total["steps"].setdefault(name, {"edits": {}, "removed": {}, "seconds": 0.0})
        for key in ("edits", "removed"):
            _add_counts(mine[key], step[key])
        mine["seconds"] += step["seconds"]
    return total


def _add_counts(total: dict[str, int], part: dict[str, int]) -> None:
    for key, n in part.items():
        total[key] = total.get(key, 0) + n


def parse_line(line: bytes, source: str, default_id: str) -> dict[str, Any] | Reject:
    """Parse one JSONL line into a dict, or say why it cannot be read."""
    if not line.strip():
        return Reject("empty-line", "blank line", source, default_id, raw="")
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        return _unreadable(line, source, default_id, e)
    if not isinstance(value, dict):
        return Reject(
            "not-an-object",
            f"line is a JSON {type(value).__name__}, not an object",
            source,
            default_id,
            raw=_raw(line),
        )
    return value


def _unreadable(line: bytes, source: str, default_id: str, error: Exception) -> Reject:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as e:
        detail = f"invalid UTF-8 byte {line[e.start]:#04x} at byte {e.start + 1} of the line"
        return Reject("invalid-utf8", detail, source, default_id, raw=_raw(line))
    return Reject("invalid-json", f"malformed JSON: {error}", source, default_id, raw=_raw(line))


def _raw(line: bytes) -> str:
    """The line as text for the rejects file (bad bytes shown as \\xNN, long lines cut)."""
    return line[: RAW_KEEP_CHARS * 4].decode("utf-8", "backslashreplace").rstrip("\r\n")[:RAW_KEEP_CHARS]


def process_record(
    record: dict[str, Any],
    source: str,
    default_id: str,
    pipeline: Pipeline,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    tally: Tally | None = None,
) -> Document | Reject:
    """Clean one input record (a dict with `text`, optional `id`, other fields passed through)."""
    doc_id = record.get("id", default_id)
    if doc_id is None:
        doc_id = default_id
    if "text" not in record:
        return Reject("no-text", 'record has no "text" field', source, doc_id, record=record)
    text = record["text"]
    if not isinstance(text, str):
        kind = "null" if text is None else type(text).__name__
        return Reject(
            "text-not-string", f'field "text" is {kind}, not a string', source, doc_id, record=record
        )
    if len(text) > max_chars:
        detail = f"text has {len(text):,} characters, more than --max-chars {max_chars:,}"
        return Reject("too-large", detail, source, doc_id, record=record)
    extra = {k: v for k, v in record.items() if k not in ("id", "text")}
    doc = Document(text=text, id=doc_id if isinstance(doc_id, str) else str(doc_id), extra=extra)
    if tally is not None:
        tally.chars_in += len(text)
    return run_steps(pipeline, doc, source, record, tally)


def run_steps(
    pipeline: Pipeline,
    doc: Document,
    source: str,
    record: dict[str, Any],
    tally: Tally | None = None,
) -> Document | Reject:
    """Run the pipeline's steps over `doc`, timing each; a step that raises turns the doc into a reject."""
    for step in pipeline.steps:
        start = time.perf_counter()
        try:
            step(doc)
        except Exception as e:  # noqa: BLE001  (one bad document must not stop a corpus run)
            detail = f"step {step.name} failed: {type(e).__name__}: {e}"
            return Reject("step-error", detail, source, doc.id, record=record)
        if tally is not None:
            tally.seconds[step.name] = tally.seconds.get(step.name, 0.0) + time.perf_counter() - start
    return doc


def process_line(
    line: bytes,
    source_file: str,
    line_no: int,
    pipeline: Pipeline,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    tally: Tally | None = None,
) -> Document | Reject:
    """Clean one JSONL line of `source_file` (1-based `line_no`); the default id is `file:line`."""
    source = f"{source_file}:{line_no}"
    parsed = parse_line(line, source, source)
    if isinstance(parsed, Reject):
        return parsed
    return process_record(parsed, source, source, pipeline, max_chars=max_chars, tally=tally)


def process_item(
    item: Item,
    pipeline: Pipeline,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    tally: Tally | None = None,
) -> Document | Reject:
    """Clean one item from `zhclean.io.readers` whatever its kind."""
    source = f"{item.source}:{item.line}"
    if item.kind == "json":
        return process_line(item.data, item.source, item.line, pipeline, max_chars=max_chars, tally=tally)
    if item.kind == "record":
        return process_record(item.data, source, item.default_id, pipeline, max_chars=max_chars, tally=tally)
    if item.kind == "oversize":
        detail = f"line longer than {len(item.data) - 1:,} bytes (--max-chars {max_chars:,}); not read"
        return Reject("too-large", detail, source, item.default_id, raw=_raw(item.data))
    try:
        text = item.data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        detail = f"invalid UTF-8 byte {item.data[e.start]:#04x} at byte {e.start + 1} of the file"
        return Reject("invalid-utf8", detail, item.source, item.default_id, raw=_raw(item.data))
    return process_record(
        {"id": item.default_id, "text": text},
        item.source,
        item.default_id,
        pipeline,
        max_chars=max_chars,
        tally=tally,
    )


def encode(record: dict[str, Any]) -> bytes:
    """One record as one JSON line (UTF-8, no ASCII escaping, newline-terminated)."""
    return orjson.dumps(
        record, default=_json_default, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _quality_reject(doc: Document, item: Item) -> Document | Reject:
    """A document that failed a quality filter (`meta.quality.drop_reason`) becomes a reject."""
    reason = (
        doc.meta.get("quality", {}).get("drop_reason") if isinstance(doc.meta.get("quality"), dict) else None
    )
    if not reason:
        return doc
    return Reject(
        f"quality-{reason}",
        "failed a quality filter",
        f"{item.source}:{item.line}",
        doc.id,
        record=doc.to_record(),
    )


def process_chunk(
    items: list[Item], pipeline: Pipeline, *, max_chars: int = DEFAULT_MAX_CHARS
) -> ChunkResult:
    """Clean a chunk of items, in order, into encoded output lines, reject lines and statistics."""
    result = ChunkResult(stats=new_stats())
    stats = result.stats
    tally = Tally()
    steps: dict[str, dict[str, Counter]] = {}
    flags: Counter = Counter()
    for item in items:
        stats["docs_in"] += 1
        chars_before = tally.chars_in
        outcome = process_item(item, pipeline, max_chars=max_chars, tally=tally)
        if isinstance(outcome, Document):
            outcome = _quality_reject(outcome, item)
        if isinstance(outcome, Document):
            try:
                line = encode(outcome.to_record())
            except (TypeError, orjson.JSONEncodeError) as e:
                outcome = Reject(
                    "unencodable",
                    f"output cannot be written as JSON: {e}",
                    f"{item.source}:{item.line}",
                    outcome.id,
                    raw=None,
                )
            else:
                result.output.append(line)
                stats["docs_out"] += 1
                stats["chars_in"] += tally.chars_in - chars_before
                stats["chars_out"] += len(outcome.text)
                _count_changes(steps, flags, outcome)
                continue
        stats["rejected"][outcome.reason] = stats["rejected"].get(outcome.reason, 0) + 1
        result.rejects.append(encode(outcome.to_record()))
    for name in [*pipeline.names, *(n for n in steps if n not in pipeline.names)]:
        counts = steps.get(name, {})
        stats["steps"][name] = {key: dict(counts.get(key, {})) for key in ("edits", "removed")}
        stats["steps"][name]["seconds"] = tally.seconds.get(name, 0.0)
    stats["flags"] = dict(flags)
    return result


def _count_changes(steps: dict[str, dict[str, Counter]], flags: Counter, doc: Document) -> None:
    for edit in doc.edits:
        steps.setdefault(edit.step, {}).setdefault("edits", Counter())[edit.kind] += 1
    for removal in doc.removed:
        steps.setdefault(removal.step, {}).setdefault("removed", Counter())[removal.kind] += 1
    for flag in doc.flags:
        flags[str(flag.get("kind"))] += 1


@lru_cache(maxsize=4)
def cached_pipeline(config_text: str, script: str) -> Pipeline:
    """The pipeline for a config text and script, built once per process."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return build_pipeline(tomllib.loads(config_text), script=script)


def clean_chunk(
    items: list[Item], config_text: str, script: str, max_chars: int = DEFAULT_MAX_CHARS
) -> ChunkResult:
    """The unit of work an engine runs anywhere (a worker process, a Dask task): one chunk, one result."""
    return process_chunk(items, cached_pipeline(config_text, script), max_chars=max_chars)
