"""Build the clean Chinese corpora used by benchmarks and model builds from Debian packages.

Run: `.venv/bin/python bench/fetch_corpus.py` (needs `apt-get download`, i.e. a Debian machine with apt lists;
run `apt-get update` once first). Writes `build/corpus/*.txt`, one paragraph per line, and a README.md.

Sources (all written by people outside this project, shipped in Debian's archive):
- debian-handbook (zh-CN, zh-TW HTML): long technical prose, simplified and Taiwan traditional.
- debian-reference-zh-cn / -zh-tw (HTML): technical text with Latin words, commands and numbers.
- maint-guide-zh-cn / -zh-tw, debian-faq-zh-cn: technical prose.
- manpages-zh (roff, zh_CN and zh_TW): terse technical text.
- fortunes-zh: Tang poems (tang300), Song ci (song100) and sayings: classical Chinese.
"""

from __future__ import annotations

import gzip
import html.parser
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "corpus"
PACKAGES = [
    "debian-handbook",
    "debian-reference-zh-cn",
    "debian-reference-zh-tw",
    "maint-guide-zh-cn",
    "maint-guide-zh-tw",
    "debian-faq-zh-cn",
    "manpages-zh",
    "fortunes-zh",
]
CJK = re.compile(r"[\u3400-\u9fff]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Paragraphs(html.parser.HTMLParser):
    """Collects the text of block elements; code, scripts and navigation (class *nav*) are left out."""

    BLOCKS = {"p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "title", "div"}
    SKIP = {"pre", "script", "style", "code"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.buf: list[str] = []
        self.skip = 0
        self.nav: list[str] = []  # tags of open navigation elements (and their nested same-name tags)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.nav:
            if tag == self.nav[0]:
                self.nav.append(tag)
            return
        if "nav" in (dict(attrs).get("class") or ""):
            self.flush()
            self.nav.append(tag)
        elif tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.nav:
            if tag == self.nav[0]:
                self.nav.pop()
            return
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip and not self.nav:
            self.buf.append(data)

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.paragraphs.append(text)


def chinese_enough(line: str, min_len: int = 12) -> bool:
    """A paragraph worth keeping: long enough and at least 40% CJK characters."""
    return len(line) >= min_len and len(CJK.findall(line)) >= 0.4 * len(line)


def html_paragraphs(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for p in sorted(paths):
        parser = _Paragraphs()
        parser.feed(p.read_text(encoding="utf-8", errors="replace"))
        parser.flush()
        out.extend(x for x in parser.paragraphs if chinese_enough(x))
    return out


def roff_paragraphs(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for p in sorted(paths):
        raw = gzip.open(p, "rb").read().decode("utf-8", errors="replace")
        buf: list[str] = []
        for line in raw.splitlines():
            if line.startswith((".", "'")):
                if buf:
                    out.append(" ".join(buf))
                    buf = []
                continue
            line = re.sub(r"\\f[BIRP]|\\\(..|\\[-e&]|\\\*\(..|\\.", "", line).strip()
            if line:
                buf.append(line)
        if buf:
            out.append(" ".join(buf))
    return [re.sub(r"\s+", " ", x).strip() for x in out if chinese_enough(x)]


def fortune_paragraphs(path: Path) -> list[str]:
    text = ANSI.sub("", path.read_text(encoding="utf-8", errors="replace"))
    out = []
    for entry in text.split("\n%\n"):
        lines = [x.strip() for x in entry.splitlines() if x.strip() and not x.strip().startswith("--")]
        body = [x for x in lines if not x.startswith(("《", "作者："))]
        if body:
            out.append("".join(body) if len(body) > 1 and all(len(b) < 40 for b in body) else " ".join(body))
    return [x for x in out if chinese_enough(x, 8)]


def write(name: str, paragraphs: list[str]) -> int:
    seen: set[str] = set()
    unique = [p for p in paragraphs if not (p in seen or seen.add(p))]
    (OUT / name).write_text("\n".join(unique) + "\n", encoding="utf-8")
    return len(unique)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        r = subprocess.run(["apt-get", "download", *PACKAGES], cwd=t, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"apt-get download failed: {r.stderr.strip()}", file=sys.stderr)
            return 1
        for deb in t.glob("*.deb"):
            subprocess.run(["dpkg", "-x", str(deb), str(t / "x")], check=True)
        share = t / "x" / "usr" / "share"
        doc = share / "doc"
        counts = {
            "handbook_zh_cn.txt": write(
                "handbook_zh_cn.txt",
                html_paragraphs(list((doc / "debian-handbook/html/zh-CN").glob("*.html"))),
            ),
            "handbook_zh_tw.txt": write(
                "handbook_zh_tw.txt",
                html_paragraphs(list((doc / "debian-handbook/html/zh-TW").glob("*.html"))),
            ),
            "reference_zh_cn.txt": write(
                "reference_zh_cn.txt",
                html_paragraphs(list((share / "debian-reference").glob("*.zh-cn.html")))
                + html_paragraphs(list((doc / "maint-guide-zh-cn/html").glob("*.html")))
                + html_paragraphs(list((doc / "debian/FAQ/zh-cn").glob("*.html"))),
            ),
            "reference_zh_tw.txt": write(
                "reference_zh_tw.txt",
                html_paragraphs(list((share / "debian-reference").glob("*.zh-tw.html")))
                + html_paragraphs(list((doc / "maint-guide-zh-tw/html").glob("*.html"))),
            ),
            "manpages_zh_cn.txt": write(
                "manpages_zh_cn.txt", roff_paragraphs(list((share / "man/zh_CN").rglob("*.gz")))
            ),
            "manpages_zh_tw.txt": write(
                "manpages_zh_tw.txt", roff_paragraphs(list((share / "man/zh_TW").rglob("*.gz")))
            ),
            "classical.txt": write(
                "classical.txt",
                fortune_paragraphs(share / "games/fortunes/tang300.u8")
                + fortune_paragraphs(share / "games/fortunes/song100.u8"),
            ),
            "sayings_zh_cn.txt": write(
                "sayings_zh_cn.txt", fortune_paragraphs(share / "games/fortunes/chinese.u8")
            ),
        }
    lines = ["# build/corpus: clean Chinese text from Debian packages (made by bench/fetch_corpus.py)", ""]
    lines += ["One paragraph per line, duplicates removed, only paragraphs with >= 40% CJK characters.", ""]
    lines += ["| file | paragraphs | characters | what |", "|---|---|---|---|"]
    what = {
        "handbook_zh_cn.txt": "Debian Administrator's Handbook, simplified (prose)",
        "handbook_zh_tw.txt": "Debian Administrator's Handbook, Taiwan traditional (prose)",
        "reference_zh_cn.txt": "debian-reference, maint-guide, debian-faq zh-cn (technical, Latin words, numbers)",
        "reference_zh_tw.txt": "debian-reference, maint-guide zh-tw (technical, traditional)",
        "manpages_zh_cn.txt": "manpages-zh zh_CN (terse technical)",
        "manpages_zh_tw.txt": "manpages-zh zh_TW (terse technical, traditional)",
        "classical.txt": "fortunes-zh tang300 + song100 (classical poetry)",
        "sayings_zh_cn.txt": "fortunes-zh chinese (sayings, short prose)",
    }
    for name, n in counts.items():
        chars = len((OUT / name).read_text(encoding="utf-8"))
        lines.append(f"| {name} | {n} | {chars} | {what[name]} |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
