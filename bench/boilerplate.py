"""Precision and recall of boilerplate removal on labelled page lines.

    .venv/bin/python bench/boilerplate.py            # score tests/data/boilerplate_eval/*.tsv
    .venv/bin/python bench/boilerplate.py --counts   # the same with corpus-level repeated-line counts
    .venv/bin/python bench/boilerplate.py --build    # rebuild them from Debian packages' HTML

The labelled set: the Chinese HTML pages that `debian-reference-zh-cn`, `debian-reference-zh-tw`,
`debian-edu-doc-zh-cn` (DocBook manuals) and `lilypond-doc-html-zh` (the LilyPond web site, with
its menus, hidden menus and footers) ship, turned into one line per block element, each labelled by
the HTML structure (lines inside `navheader`, `navfooter`, `toc`, `list-of-tables`, `legalnotice`,
`nav_table`, `tocframe`, `footer`, `hide`, `languages` are furniture, `author`/`pubdate` lines are
metadata and not scored, the rest is body), plus the seed pages labelled from
`tests/data/seeds/expected/`. Each `.tsv` line is `label<TAB>text`.

Figures: body-line precision (of the lines kept, the share that are body), body recall (of the
body lines, the share kept), boilerplate precision and recall; targets: body precision >= 99.5%,
boilerplate recall >= 95%. Lines per second of the step is printed too.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhclean.steps.boilerplate import Boilerplate  # noqa: E402

EVAL = ROOT / "tests" / "data" / "boilerplate_eval"
PACKAGES = [
    "debian-reference-zh-cn",
    "debian-reference-zh-tw",
    "debian-edu-doc-zh-cn",
    "lilypond-doc-html-zh",
]
LILYPOND_WEB = "doc/lilypond/html/Documentation/web"
LILYPOND_PAGES = [
    "index",
    "introduction",
    "features",
    "background",
    "productions",
    "reviews",
    "freedom",
    "text-input",
    "easier-editing",
    "download",
    "manuals",
    "community",
    "contact",
    "help-us",
    "sponsoring",
    "authors",
    "publications",
    "tiny-examples",
    "bug-reports",
    "development",
]
PAGES = [
    "debian-reference/index.zh-cn.html",
    "debian-reference/pr01.zh-cn.html",
    "debian-reference/ch03.zh-cn.html",
    "debian-reference/ch06.zh-cn.html",
    "debian-reference/ch10.zh-cn.html",
    "debian-reference/index.zh-tw.html",
    "debian-reference/apa.zh-tw.html",
    "debian-reference/ch04.zh-tw.html",
    "debian-reference/ch12.zh-tw.html",
    "doc/debian-edu-doc-zh-cn/debian-edu-bookworm-manual.html",
]
FURNITURE = {
    "navheader",
    "navfooter",
    "toc",
    "list-of-tables",
    "list-of-figures",
    "list-of-examples",
    "legalnotice",
    "nav_table",
    "hide",
    "footer",
    "tocframe",
    "languages",
    "verifier_texinfo",
}
METADATA = {"author", "pubdate", "releaseinfo", "copyright", "authorgroup"}
BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "tr",
    "br",
    "pre",
    "table",
    "hr",
    "title",
}


class Lines(HTMLParser):
    """HTML -> (label, line) pairs, one line per block element, labelled by enclosing classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.buffer: list[str] = []
        self.label = "body"
        self.out: list[tuple[str, str]] = []
        self.skip = 0
        self.pre = 0

    def _label(self) -> str:
        classes = {c for _, cls in self.stack for c in cls.split()}
        if classes & FURNITURE:
            return "furniture"
        if classes & METADATA:
            return "metadata"
        return "body"

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        parts = text.split("\n") if self.pre else [text]
        for part in parts:
            line = re.sub(r"\s+", " ", part).strip()
            if line:
                self.out.append((self.label, line))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in BLOCKS:
            self.flush()
        if tag == "pre":
            self.pre += 1
        if tag in ("td", "th") and self.buffer:
            self.buffer.append(" ")
        if tag not in ("br", "hr", "img", "meta", "link", "col"):
            attr = dict(attrs)
            self.stack.append((tag, f"{attr.get('class') or ''} {attr.get('id') or ''}"))
        self.label = self._label()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.flush()
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag == "pre":
            self.pre -= 1
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break
        self.label = self._label()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            if self.buffer and self._label() != self.label:
                self.flush()
            self.buffer.append(data if self.pre else data.replace("\n", " "))


def html_lines(html: str) -> list[tuple[str, str]]:
    parser = Lines()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.out


def build() -> None:
    """Download the packages, convert the pages, write the labelled .tsv files."""
    EVAL.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=tmp, check=True, capture_output=True)
        for deb in Path(tmp).glob("*.deb"):
            subprocess.run(["dpkg", "-x", str(deb), str(Path(tmp) / "x")], check=True)
        pages = PAGES + [f"{LILYPOND_WEB}/{p}.zh.html" for p in LILYPOND_PAGES]
        for page in pages:
            html = (Path(tmp) / "x" / "usr" / "share" / page).read_text(encoding="utf-8")
            rows = html_lines(html)
            prefix = "lilypond_" if "lilypond" in page else "debian_"
            name = prefix + Path(page).name.replace(".html", "").replace(".", "_") + ".tsv"
            (EVAL / name).write_text("".join(f"{lab}\t{line}\n" for lab, line in rows), encoding="utf-8")
            print(f"{name}: {len(rows)} lines")


def load(path: Path) -> list[tuple[str, str]]:
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        label, _, text = raw.partition("\t")
        rows.append((label, text))
    return rows


def site_counts(paths: list[Path], min_docs: int) -> Boilerplate:
    """The step with corpus-level counts: each group of pages counted as one site (`--counts`)."""
    from zhclean.furniture import LineCounter

    counter = LineCounter()
    for path in paths:
        counter.add("\n".join(t for _, t in load(path)), site_name(path))
    out = Path(tempfile.mkdtemp()) / "counts.npz"
    counter.save(out)
    return Boilerplate(repeated_lines=str(out), min_docs=min_docs)


def site_name(path: Path) -> str:
    return path.name.split("_")[0]


def score(paths: list[Path], step: Boilerplate | None = None) -> dict[str, float]:
    step = step or Boilerplate()
    if paths:
        step.classify("\n".join(t for _, t in load(paths[0])))  # warm the caches
    tp = fp = fn = tn = 0  # positive = furniture
    n_lines, seconds, misses = 0, 0.0, []
    for path in paths:
        rows = load(path)
        text = "\n".join(t for _, t in rows)
        t0 = time.perf_counter()
        predicted = step.classify(text, site_name(path))
        seconds += time.perf_counter() - t0
        n_lines += len(rows)
        for (label, line), pred in zip(rows, predicted, strict=True):
            if label == "metadata":
                continue
            removed = pred is not None
            if label == "furniture":
                tp += removed
                fn += not removed
                if not removed:
                    misses.append(f"  missed   {path.name}: {line[:70]}")
            else:
                fp += removed
                tn += not removed
                if removed:
                    misses.append(f"  REMOVED  {path.name}: {line[:70]} ({pred[0]})")
    return {
        "files": len(paths),
        "lines": n_lines,
        "body lines": tn + fp,
        "furniture lines": tp + fn,
        "body precision": tn / max(1, tn + fn),
        "body recall": tn / max(1, tn + fp),
        "boilerplate precision": tp / max(1, tp + fp),
        "boilerplate recall": tp / max(1, tp + fn),
        "lines/s": n_lines / max(seconds, 1e-9),
        "errors": misses,
    }


def bench_counting(n_docs: int) -> str:
    """Throughput of the first furniture pass on synthetic documents built from the labelled lines."""
    import random

    from zhclean.furniture import LineCounter, match_form

    lines = [t for p in sorted(EVAL.glob("*.tsv")) for _, t in load(p)]
    footers = lines[:200]
    rng = random.Random(0)
    # 15 lines unique to the document (never cached), 5 shared furniture lines of its site
    docs = [
        "\n".join([f"{line}（{k}）" for line in rng.choices(lines, k=15)] + rng.choices(footers, k=5))
        for k in range(n_docs)
    ]
    match_form.cache_clear()
    counter = LineCounter(chunk=200_000)
    t0 = time.perf_counter()
    for k, text in enumerate(docs):
        counter.add(text, f"site{k % 50}")
    counter.flush()
    seconds = time.perf_counter() - t0
    mib = (counter.hashes.nbytes + counter.counts.nbytes) / 2**20
    return (
        f"furniture counting: {n_docs} docs x 20 lines in {seconds:.2f} s = {n_docs / seconds:,.0f} docs/s, "
        f"{len(counter.hashes):,} distinct (site, line) hashes in {mib:.1f} MiB (12 bytes each)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true", help="rebuild the Debian part of the set (needs apt)")
    ap.add_argument("--errors", action="store_true", help="list every wrong line")
    ap.add_argument("--docs", type=int, default=10_000, help="synthetic documents for the counting pass")
    ap.add_argument("--counts", action="store_true", help="also drop lines repeated across a group's pages")
    ap.add_argument("--min-docs", type=int, default=5, help="with --counts: pages a repeated line is on")
    args = ap.parse_args()
    if args.build:
        build()
    paths = sorted(EVAL.glob("*.tsv"))
    groups = {"all": paths, "debian": [p for p in paths if p.name.startswith("debian_")]}
    groups["lilypond"] = [p for p in paths if p.name.startswith("lilypond_")]
    groups["seeds"] = [p for p in paths if p.name.startswith("seed_")]
    with_counts = site_counts(paths, args.min_docs) if args.counts else None
    for name, group in groups.items():
        r = score(group, with_counts)
        print(
            f"{name:7s} files {r['files']:3d}  lines {r['lines']:6d} (body {r['body lines']}, furniture "
            f"{r['furniture lines']})  body P {r['body precision']:.4f} R {r['body recall']:.4f}  "
            f"boilerplate P {r['boilerplate precision']:.4f} R {r['boilerplate recall']:.4f}  "
            f"{r['lines/s']:,.0f} lines/s"
        )
        if args.errors and name == "all":
            print("\n".join(r["errors"]))
    print(bench_counting(args.docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
