"""Pages of long lists that never count a million rows.

``CappedPaginator`` counts the rows only as far as it needs: the first ``cap`` rows (10,000), or as far
as the page asked for plus one row, whichever is further. A list longer than that says "10,000+" and
keeps its "next" link as long as there is a next row; the page a clerk is on always exists. The count
is ``SELECT count(*) FROM (… LIMIT n)``, which stops reading at ``n`` rows (docs/performance.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property

CAP = 10_000
# A full-text search counts no further than this: a common term's matches are found by reading rows, and
# "1,000+" answers what a clerk needs from a search (narrow it).
SEARCH_CAP = 1_000


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator  # not subscriptable at run time


class CappedPaginator(_Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap`` rows, or at the requested ``page`` plus one row.
    ``capped`` tells that the list goes on beyond the count; ``shown_count`` is the count as a page
    says it ("10,000+")."""

    def __init__(self, object_list: Any, per_page: int, *, page: Any = None, cap: int = CAP, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        try:
            requested = max(int(page), 1)
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

    @property
    def capped(self) -> bool:
        return self.count >= self.limit

    @property
    def shown_count(self) -> str:
        """The count as a page shows it: "10,000+" when the list goes on beyond it."""
        if self.capped:
            return f"{number_format(self.limit - 1, force_grouping=True)}+"
        return number_format(self.count, force_grouping=True)
