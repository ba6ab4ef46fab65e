"""Pages of long lists that never count a million rows.

``CappedPaginator`` counts the rows only as far as it needs: the first ``cap`` rows (10,000), or as far
as the page asked for plus one row, whichever is further. A list longer than that says "10,000+" and
keeps its "next" link as long as there is a next row; the page a clerk is on always exists. The count
is ``SELECT count(*) FROM (… LIMIT n)``, which stops reading at ``n`` rows (docs/performance.md).

A deep page (from ``DEFERRED_FROM`` rows on) reads its keys first and its rows after: ``SELECT id …
ORDER BY … OFFSET n LIMIT 25`` walks only the order's index (an index-only scan, when the index holds
the filter's column too), then the 25 rows are read by primary key with their joins. A plain ``OFFSET``
would fetch and join every row it skips: page 500 of a county read 12,500 cases to show 25.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property

CAP = 10_000
MAX_PAGE = 1_000_000
# Rows skipped from which a page reads its keys first (shallower pages are one query).
DEFERRED_FROM = 500
# A full-text search counts no further than this: a common term's matches are found by reading rows, and
# "1,000+" answers what a clerk needs from a search (narrow it).
SEARCH_CAP = 1_000


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator  # not subscriptable at run time


def keys_first(queryset: Any, bottom: int, top: int) -> list[Any]:
    """The rows ``bottom:top`` of ``queryset`` in its order: their keys first (``SELECT id … OFFSET
    bottom LIMIT top - bottom``, the order's index alone), then the rows by key with their joins."""
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
    return [rows[key] for key in keys if key in rows]


class CappedPaginator(_Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap`` rows, or at the requested ``page`` plus one row.
    ``capped`` tells that the list goes on beyond the count; ``shown_count`` is the count as a page
    says it ("10,000+")."""

    def __init__(self, object_list: Any, per_page: int, *, page: Any = None, cap: int = CAP, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        try:
            # A page number beyond any list (a typo, a probe) is counted as the furthest there can be,
            # so the count's LIMIT stays a number the database takes; that page is then not found.
            requested = min(max(int(page), 1), MAX_PAGE)
        except (TypeError, ValueError):
            requested = 1
        # The rows up to the end of the requested page, and one more to know whether a next page exists.
        self.limit = max(cap, requested * self.per_page) + 1

    @cached_property
    def count(self) -> int:
        """The rows, counted as far as ``limit``: ``limit`` itself means "at least that many"."""
        object_list: Any = self.object_list
        if hasattr(object_list, "query"):
            # SELECT count(*) FROM (SELECT id … LIMIT n): no order (any n rows count the same) and no
            # annotations, so the database stops after n rows of whichever index suits the filter.
            return int(object_list.order_by().values("pk")[: self.limit].count())
        return min(len(object_list), self.limit)

    def page(self, number: Any) -> Any:
        object_list: Any = self.object_list
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_FROM or not hasattr(object_list, "query"):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(keys_first(object_list, bottom, top), number, self)

    @property
    def capped(self) -> bool:
        return self.count >= self.limit

    @property
    def shown_count(self) -> str:
        """The count as a page shows it: "10,000+" when the list goes on beyond it."""
        if self.capped:
            return f"{number_format(self.limit - 1, force_grouping=True)}+"
        return number_format(self.count, force_grouping=True)
