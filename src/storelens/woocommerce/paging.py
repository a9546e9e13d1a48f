"""Page sizes that adapt to what the store can serve, and where a listing ends.

A page of 100 orders costs a real store ~2 s and 360 KB; with heavy plugins it times out or returns 500/502/504.
Shrinking the page (100 → 50 → 20 → 5) gets the data through; growing back after a run of successes restores speed.
Pages are addressed by `page`, so a size change must keep the position: the new size has to divide the number of
rows already passed (`offset`), and 5 divides every offset reachable from these sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIZES: tuple[int, ...] = (100, 50, 20, 5)


@dataclass
class PageSizer:
    """The page size to use for one kind of listing on one store. Shared by all listings of that kind."""

    sizes: tuple[int, ...] = SIZES
    grow_after: int = 10  # successes at one size before trying the next bigger one
    level: int = 0  # index into sizes of the size we'd like to use
    _successes: int = field(default=0, repr=False)

    @property
    def preferred(self) -> int:
        return self.sizes[self.level]

    def size_at(self, offset: int, cap: int | None = None) -> int:
        """The largest size not above the preferred one (and `cap`) that keeps `offset` on a page boundary."""
        limit = self.preferred if cap is None else min(self.preferred, cap)
        for size in self.sizes:
            if size <= limit and offset % size == 0:
                return size
        return 1 if offset % self.sizes[-1] else self.sizes[-1]

    def shrink(self) -> bool:
        """After a 500/502/504 or a timeout. False when already at the smallest size."""
        self._successes = 0
        if self.level + 1 < len(self.sizes):
            self.level += 1
            return True
        return False

    def success(self) -> None:
        self._successes += 1
        if self.level > 0 and self._successes >= self.grow_after:
            self.level -= 1
            self._successes = 0


@dataclass
class Page:
    """One page of a listing. `total`/`total_pages` are the store's headers (None when absent).

    A page past the end comes back empty with totals 0: never take totals from an empty page.
    """

    items: list[Any]
    page: int
    per_page: int
    offset: int
    total: int | None
    total_pages: int | None

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def is_last(self) -> bool:
        """True when no further page should be asked for.

        An empty page ends the listing. Otherwise X-WP-TotalPages decides; a short page is *not* the end (the store
        drops objects it can't load after counting them). Without the header, a short page is all we have to go on.
        """
        if not self.items:
            return True
        if self.total_pages is not None:
            return self.page >= self.total_pages
        return len(self.items) < self.per_page
