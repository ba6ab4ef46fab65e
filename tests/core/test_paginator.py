"""Counts that stop: ``CappedPaginator`` counts as far as the cap, or the page asked for plus one row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Region
from core.paginator import CappedPaginator


def test_a_short_list_is_counted_exactly():
    paginator = CappedPaginator(list(range(45)), 20, cap=100)
    page = paginator.get_page(3)
    assert (paginator.count, paginator.capped, paginator.shown_count, paginator.num_pages) == (
        45,
        False,
        "45",
        3,
    )
    assert list(page.object_list) == list(range(40, 45)) and not page.has_next()


def test_a_long_list_says_it_goes_on_and_every_next_page_exists():
    rows = list(range(1000))
    paginator = CappedPaginator(rows, 20, cap=100)
    assert (paginator.count, paginator.capped, paginator.shown_count) == (101, True, "100+")
    page = paginator.get_page(5)
    assert list(page.object_list) == list(range(80, 100)) and page.has_next()
    # Page 6 lies past the cap: counted as far as it and one row more, it exists and so does page 7.
    deeper = CappedPaginator(rows, 20, page="6", cap=100)
    page = deeper.get_page("6")
    assert list(page.object_list) == list(range(100, 120)) and page.has_next()
    assert deeper.count == 121 and deeper.capped
    # The last page: exact again.
    last = CappedPaginator(rows, 20, page=50, cap=100)
    assert last.count == 1000 and not last.capped and not last.get_page(50).has_next()


def test_a_bad_page_number_counts_as_the_first():
    paginator = CappedPaginator(list(range(1000)), 20, page="abc", cap=100)
    assert paginator.count == 101 and paginator.get_page("abc").number == 1


@pytest.mark.django_db
def test_a_queryset_is_counted_in_one_query_that_stops_at_the_limit():
    regions = Region.objects.bulk_create(
        [Region(name=f"省{i}", code=f"9900{i:02d}", level=1, path=f"/9900{i:02d}/") for i in range(30)]
    )
    paginator = CappedPaginator(
        Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("pk"), 5, cap=10
    )
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 11
    assert len(ctx.captured_queries) == 1 and "LIMIT 11" in ctx.captured_queries[0]["sql"]
    assert paginator.shown_count == "10+"


@pytest.mark.django_db
def test_a_deep_page_reads_its_keys_first_and_shows_the_same_rows_in_order(monkeypatch):
    from core import paginator as module

    regions = Region.objects.bulk_create(
        [Region(name=f"省{i}", code=f"9800{i:02d}", level=1, path=f"/9800{i:02d}/") for i in range(30)]
    )
    listed = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("-code")

    def page(number: int) -> tuple[list[str], list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            shown = CappedPaginator(listed, 4, page=number, cap=10).get_page(number)
            codes = [r.code for r in shown.object_list]
        return codes, [q["sql"] for q in ctx.captured_queries]

    shallow = {n: page(n) for n in (2, 7, 8)}
    monkeypatch.setattr(module, "DEFERRED_FROM", 4)  # from page 2 on, for the test's few rows
    for number, (codes, sql) in shallow.items():
        deep_codes, deep_sql = page(number)
        assert deep_codes == codes == [f"9800{i:02d}" for i in range(29 - (number - 1) * 4, -1, -1)][:4]
        assert len(deep_sql) == len(sql) + 1  # the keys, then the rows by key
        assert '"core_region"."id" IN' in deep_sql[-1] and "OFFSET" in deep_sql[-2]


@pytest.mark.django_db
def test_a_page_number_beyond_any_list_is_not_found_not_an_error():
    from django.core.paginator import EmptyPage

    paginator = CappedPaginator(Region.objects.order_by("pk"), 20, page="99999999999999999999", cap=100)
    with pytest.raises(EmptyPage):
        paginator.page("99999999999999999999")
