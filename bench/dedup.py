"""Dedup benchmark: planted copies in Chinese text, precision and recall per kind, zhclean vs peers.

    .venv/bin/python bench/dedup.py [--docs 3000] [--pairs 100] [--peers zhclean,datatrove,text-dedup]

Distinct documents are runs of consecutive paragraphs from the simplified-Chinese files of
`build/corpus/` (made by `bench/fetch_corpus.py`). For each kind, `--pairs` distinct documents get
one planted copy: identical, exact after normalisation (whitespace and punctuation width changed), 1% / 5% / 10% of characters
changed at random (substituted, deleted or inserted), paragraphs reordered, or converted to
traditional script (OpenCC s2t). The corpus is shuffled and every tool removes what it finds.

Recall of a kind: share of its planted pairs where exactly one of the two was removed. Precision of a
kind: share of the removals among its pairs that were right (not both removed). Overall precision
also counts removals of unplanted distinct documents. Peers run with their own defaults for
MinHash (datatrove: 14 buckets x 8 hashes, word 5-grams, default English tokenizer, and
`datatrove-zh` with its Mandarin tokenizer, jieba through spaCy; text-dedup: 250 permutations, threshold 0.7,
5-grams of `\\W`-split tokens); they are installed by `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "build" / "corpus"
SOURCES = ("handbook_zh_cn.txt", "reference_zh_cn.txt", "sayings_zh_cn.txt", "manpages_zh_cn.txt")
KINDS = ("identical", "exact", "near-1%", "near-5%", "near-10%", "reordered", "traditional")


def base_documents(n: int, rng: random.Random, min_chars: int = 400, max_chars: int = 2500) -> list[str]:
    """`n` distinct documents: runs of consecutive corpus paragraphs of 400-2500 characters."""
    docs: list[str] = []
    for name in SOURCES:
        path = CORPUS / name
        if not path.exists():
            sys.exit(f"bench/dedup.py: {path} is missing; run bench/fetch_corpus.py first")
        current: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or "\ufffd" in line:
                continue
            current.append(line)
            size = sum(map(len, current))
            if size >= min_chars:
                if size <= max_chars and len(current) >= 2:
                    docs.append("\n".join(current))
                current = []
    rng.shuffle(docs)
    docs = without_near_copies(docs[: n * 2])
    if len(docs) < n:
        sys.exit(f"bench/dedup.py: only {len(docs)} documents in the corpus, asked for {n}")
    return docs[:n]


def without_near_copies(docs: list[str], ngram: int = 5, threshold: float = 0.2) -> list[str]:
    """Drop documents that the corpus itself already holds a near copy of (other manpage versions,
    overlapping excerpts): exact character-5-gram Jaccard >= 0.2 to an earlier one, found with datasketch."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    grams = []
    kept = []
    for i, text in enumerate(docs):
        g = {text[j : j + ngram].encode() for j in range(max(1, len(text) - ngram + 1))}
        m = MinHash(num_perm=128, seed=3)
        m.update_batch(list(g))
        if any(len(g & grams[int(k)]) / len(g | grams[int(k)]) >= threshold for k in lsh.query(m)):
            grams.append(set())
            continue
        grams.append(g)
        lsh.insert(str(i), m)
        kept.append(text)
    return kept


def change_chars(text: str, share: float, rng: random.Random, alphabet: str) -> str:
    """Change `share` of the characters at random: substitute (70%), delete (15%) or insert (15%)."""
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c != "\n"]
    for i in sorted(rng.sample(spots, max(1, round(len(spots) * share))), reverse=True):
        op = rng.random()
        if op < 0.7:
            chars[i] = rng.choice(alphabet)
        elif op < 0.85:
            del chars[i]
        else:
            chars.insert(i, rng.choice(alphabet))
    return "".join(chars)


def make_copy(kind: str, text: str, rng: random.Random, alphabet: str, s2t: Callable[[str], str]) -> str:
    if kind == "identical":
        return text
    if kind == "exact":
        return text.replace("，", ", ").replace("：", ":") + "  "
    if kind.startswith("near-"):
        return change_chars(text, float(kind[5:-1]) / 100, rng, alphabet)
    if kind == "reordered":
        lines = text.split("\n")
        while len(lines) > 1 and lines == text.split("\n"):
            rng.shuffle(lines)
        return "\n".join(lines)
    return s2t(text)


def build_corpus(n_docs: int, n_pairs: int, seed: int) -> tuple[list[str], dict[str, list[tuple[int, int]]]]:
    """(texts, planted pairs per kind as (original index, copy index)), in shuffled order."""
    import opencc

    rng = random.Random(seed)
    base = base_documents(n_docs, rng)
    alphabet = "".join(sorted({c for t in base for c in t if "\u4e00" <= c <= "\u9fff"}))
    s2t = opencc.OpenCC("s2t.json").convert
    entries: list[tuple[str, str, int]] = [(t, "", -1) for t in base]  # (text, kind, original base index)
    for k, kind in enumerate(KINDS):
        for b in range(k * n_pairs, (k + 1) * n_pairs):
            entries.append((make_copy(kind, base[b], rng, alphabet, s2t), kind, b))
    order = list(range(len(entries)))
    rng.shuffle(order)
    where = {old: new for new, old in enumerate(order)}
    texts = [entries[old][0] for old in order]
    pairs: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    for old, (_, kind, b) in enumerate(entries):
        if kind:
            pairs[kind].append((where[b], where[old]))
    return texts, pairs


# ---- the tools: each takes the texts and returns the set of removed indices -------------------------


def run_zhclean(texts: list[str], script: str) -> set[int]:
    from zhclean.dedup import DedupConfig, dedup_records

    cfg = DedupConfig.from_config({}, script=script)
    _, rejects = dedup_records([{"id": i, "text": t} for i, t in enumerate(texts)], cfg)
    return {r["id"] for r in rejects}


def run_datatrove(texts: list[str], language: str) -> set[int]:
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )

    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    kept: list[int] = []
    cfg = MinhashConfig()
    with tempfile.TemporaryDirectory() as tmp:
        stages = [
            [
                lambda data, rank=0, world_size=1: iter(docs),
                MinhashDedupSignature(f"{tmp}/sigs", config=cfg, language=language),
            ],
            [MinhashDedupBuckets(f"{tmp}/sigs", f"{tmp}/buckets", config=cfg)],
            [MinhashDedupCluster(f"{tmp}/buckets", f"{tmp}/remove", config=cfg)],
            [
                lambda data, rank=0, world_size=1: iter(docs),
                MinhashDedupFilter(f"{tmp}/remove"),
                lambda data, rank=0, world_size=1: kept.extend(int(d.id) for d in data) or iter(()),
            ],
        ]
        tasks = [1, cfg.num_buckets, 1, 1]
        for stage, n in zip(stages, tasks, strict=True):
            LocalPipelineExecutor(
                pipeline=stage, tasks=n, workers=1, logging_dir=f"{tmp}/logs{id(stage)}", skip_completed=False
            ).run()
    return set(range(len(texts))) - set(kept)


def run_text_dedup(texts: list[str]) -> set[int]:
    """text-dedup's MinHash (its `embed_func` and banding, with its CLI defaults), without HF datasets I/O."""
    from collections import defaultdict

    import numpy as np
    from text_dedup.minhash import NON_ALPHA, embed_func
    from text_dedup.utils import MinHashArgs, UnionFind, optimal_param, sha1_hash

    args = MinHashArgs()
    b, r = optimal_param(args.threshold, args.num_perm, false_positive_weight=0.5, false_negative_weight=0.5)
    ranges = [(i * r, (i + 1) * r) for i in range(b)]
    dtype, max_hash, prime = np.uint64, np.uint32((1 << 32) - 1), np.uint64((1 << 61) - 1)
    rng = np.random.RandomState(args.seed)
    perms = (
        rng.randint(1, prime, size=(args.num_perm,), dtype=dtype),
        rng.randint(0, prime, size=(args.num_perm,), dtype=dtype),
    )
    tables: list[dict] = [defaultdict(set) for _ in range(b)]
    for i, t in enumerate(texts):
        if len(NON_ALPHA.split(t.lower())) < args.min_length:
            continue  # text-dedup filters such documents out before hashing
        sig = embed_func(
            t,
            i,
            num_perm=args.num_perm,
            ngram_size=args.ngram,
            min_length=args.min_length,
            hashranges=ranges,
            permutations=perms,
            hash_func=lambda d: sha1_hash(d, d=32),
            dtype=dtype,
            max_hash=max_hash,
            modulo_prime=prime,
        )
        for band, h in enumerate(sig["__signatures__"]):
            tables[band][h].add(i)
    uf = UnionFind()
    for table in tables:
        for cluster in table.values():
            if len(cluster) > 1:
                head = min(cluster)
                for x in cluster:
                    uf.union(x, head)
    return {i for i in range(len(texts)) if uf.find(i) != i}


TOOLS: dict[str, Callable[[list[str]], set[int]]] = {
    "zhclean": lambda texts: run_zhclean(texts, "hans"),
    "zhclean-keep": lambda texts: run_zhclean(texts, "keep"),
    "datatrove": lambda texts: run_datatrove(texts, "en"),
    "datatrove-zh": lambda texts: run_datatrove(texts, "cmn"),  # jieba words via spaCy
    "text-dedup": run_text_dedup,
}


def score(
    removed: set[int], pairs: dict[str, list[tuple[int, int]]], n: int
) -> dict[str, tuple[float, float]]:
    """(precision, recall) per kind, and `all` with false removals of unplanted documents counted."""
    out = {}
    planted: set[int] = set()
    right_total = wrong_total = 0
    for kind, kind_pairs in pairs.items():
        right = sum((a in removed) != (b in removed) for a, b in kind_pairs)
        wrong = sum(a in removed and b in removed for a, b in kind_pairs)
        out[kind] = (right / (right + wrong) if right + wrong else 1.0, right / len(kind_pairs))
        right_total += right
        wrong_total += wrong
        planted.update(x for p in kind_pairs for x in p)
    false_removals = len(removed - planted)
    total_pairs = sum(map(len, pairs.values()))
    removals = right_total + wrong_total + false_removals
    out["all"] = (right_total / removals if removals else 1.0, right_total / total_pairs)
    out["_false"] = (false_removals, 0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="distinct documents (default 3000)")
    parser.add_argument("--pairs", type=int, default=100, help="planted copies per kind (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--peers",
        default="zhclean,zhclean-keep,datatrove,datatrove-zh,text-dedup",
        help=f"comma-separated, from {', '.join(TOOLS)}",
    )
    args = parser.parse_args()
    texts, pairs = build_corpus(args.docs, args.pairs, args.seed)
    chars = sum(map(len, texts))
    print(f"corpus: {len(texts)} documents, {chars:,} characters, {args.pairs} planted copies per kind")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    seconds: dict[str, float] = {}
    for name in args.peers.split(","):
        start = time.perf_counter()
        try:
            removed = TOOLS[name](texts)
        except ImportError as e:
            print(f"{name}: not installed ({e}); pip install -e '.[bench]'")
            continue
        seconds[name] = time.perf_counter() - start
        results[name] = score(removed, pairs, len(texts))
    names = list(results)
    print(f"\n{'precision / recall':<20}" + "".join(f"{n:>24}" for n in names))
    for kind in (*KINDS, "all"):
        print(
            f"{kind:<20}"
            + "".join(f"{results[n][kind][0]:>11.1%} / {results[n][kind][1]:>7.1%}  " for n in names)
        )
    print(f"{'false removals':<20}" + "".join(f"{results[n]['_false'][0]:>24}" for n in names))
    print(f"{'seconds':<20}" + "".join(f"{seconds[n]:>24.2f}" for n in names))
    print(f"{'docs/s':<20}" + "".join(f"{len(texts) / seconds[n]:>24,.0f}" for n in names))


if __name__ == "__main__":
    main()
