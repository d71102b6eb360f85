"""Union-find (disjoint sets) for grouping name variants into entities."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Groups with a deterministic representative: the smallest member under ``order``."""

    def __init__(self, order: Callable[[T], Any] = lambda node: node) -> None:
        self.parent: dict[T, T] = {}
        self.order = order

    def find(self, node: T) -> T:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=self.order)] = min(ra, rb, key=self.order)
