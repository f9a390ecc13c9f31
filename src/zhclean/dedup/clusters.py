"""Turn duplicate pairs into clusters: union-find, the kept document of each cluster, and why others go.

Documents are named by their position in the input (anything orderable: an int, or a (chunk, index)
tuple), so the earliest document of a cluster is the one kept, whatever engine found the pairs:

>>> resolve({3: 1}, [(1, 2)])
{2: (1, 0, 'duplicate-near'), 3: (1, 0, 'duplicate-exact')}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

Pos = Any  # an orderable, hashable position in the input

EXACT = "duplicate-exact"
NEAR = "duplicate-near"


def star_pairs(members: Iterable[Pos]) -> list[tuple[Pos, Pos]]:
    """The candidate pairs of one LSH bucket: its earliest member with each other member."""
    ordered = sorted(set(members))
    return [(ordered[0], m) for m in ordered[1:]]


class UnionFind:
    """Disjoint sets whose root is always the smallest member."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Pos) -> Pos:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent[parent]
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: Pos, b: Pos) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            self.parent[high] = low


def resolve(
    exact_rep: dict[Pos, Pos], near_edges: Iterable[tuple[Pos, Pos]]
) -> dict[Pos, tuple[Pos, int, str]]:
    """Each removed position -> (kept position, cluster number, reason).

    `exact_rep` maps every exact duplicate to the earliest copy of its text; `near_edges` are verified
    near-duplicate pairs between such earliest copies. Clusters are numbered in the order of their
    kept documents.
    """
    uf = UnionFind()
    for member, rep in exact_rep.items():
        uf.union(member, rep)
    for a, b in near_edges:
        uf.union(a, b)
    roots = {x: uf.find(x) for x in list(uf.parent)}
    number = {root: i for i, root in enumerate(sorted(set(roots.values())))}
    verdicts = {}
    for x in sorted(roots):
        root = roots[x]
        if x != root:
            reason = EXACT if exact_rep.get(x) == root else NEAR
            verdicts[x] = (root, number[root], reason)
    return verdicts


def similarity_pairs(
    exact_rep: dict[Pos, Pos], verdicts: dict[Pos, tuple[Pos, int, str]]
) -> set[tuple[Pos, Pos]]:
    """(earliest copy of a near duplicate, kept document): the pairs whose similarity the rejects report."""
    return {(exact_rep.get(x, x), v[0]) for x, v in verdicts.items() if v[2] == NEAR}


def reject_fields(verdict: tuple[Pos, int, str], kept_id: Any, sim: float | None) -> dict[str, Any]:
    """The dedup fields of a reject record."""
    kept, cluster, reason = verdict
    return {
        "reason": reason,
        "cluster": cluster,
        "kept": kept_id,
        "similarity": 1.0 if reason == EXACT else sim,
    }
