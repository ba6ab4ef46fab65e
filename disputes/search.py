"""Search over names, numbers and facts.

Chinese has no spaces, so PostgreSQL's text-search parser would see a whole sentence as one word.
We index overlapping character pairs (bigrams) of Chinese runs, plus whole Latin/digit tokens, in
``Dispute.search_text``; on PostgreSQL the database keeps ``to_tsvector('simple', …)`` of it in the
generated column ``Dispute.search_vector`` (``SimpleSearchVector``), searched through the GIN index
``SEARCH_INDEX`` (migration ``disputes/0012_dispute_search_vector``).
SQLite has no text search: there every query token must occur as a whole token of ``search_text``
(so that “1” does not find case 12).

A query is split the same way as the indexed text, and every token must match: “王五” finds 王五;
“补偿标准” finds the cases where those four characters follow one another (as bigrams, so rarely
also where 补偿, 偿标 and 标准 occur apart); “土门镇 邻村” finds those that mention both, anywhere.
A query of one Chinese character (a surname) matches any token containing it; that part cannot use
the index.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Func, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

SEARCH_INDEX = "disputes_dispute_search_gin"


class SimpleSearchVector(Func):
    """``to_tsvector('simple', coalesce(text, ''))``: the expression of ``Dispute.search_vector``, a stored
    generated column. SQLite has no text search: there the column is the text itself (never read)."""

    output_field = SearchVectorField()
    template = "to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, ''))"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return compiler.compile(self.source_expressions[0])


RARE = 2_000  # matches up to which a search hands the list its ids (PostgreSQL)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")


def tokens(text: str) -> list[str]:
    found: list[str] = []
    for run in _CJK.findall(text or ""):
        found.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    found.extend(w.lower() for w in _WORD.findall(text or ""))
    return found


def search_text_for(*parts: str) -> str:
    return " ".join(dict.fromkeys(t for part in parts for t in tokens(part)))


def index_matches(model: type[Model], whole: list[str]) -> QuerySet:
    """The ids of ``model``'s rows whose search text has every token of ``whole`` (PostgreSQL: the GIN
    index ``SEARCH_INDEX``)."""
    from django.contrib.postgres.search import SearchQuery

    return model._default_manager.filter(
        search_vector=SearchQuery(" & ".join(whole), config="simple", search_type="raw")
    ).values_list("pk", flat=True)


def _estimated_rows(queryset: QuerySet) -> int:
    """The rows PostgreSQL expects ``queryset`` to return (``EXPLAIN``, not run)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def apply_search(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` narrowed to the cases matching every token of ``query`` (unchanged when empty)."""
    wanted = list(dict.fromkeys(tokens(query)))
    if not wanted:
        return queryset
    single_chars = [t for t in wanted if len(t) == 1 and _CJK.fullmatch(t)]
    whole = [t for t in wanted if t not in single_chars]
    for char in single_chars:
        queryset = queryset.filter(search_text__contains=char)
    if not whole:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        matching = index_matches(queryset.model, whole)
        # A rare term: its few matches, read from the GIN index alone, become the list's id set. As a
        # filter beside ORDER BY … LIMIT the planner would rather walk the order's index and compute
        # every row's vector until it had a page (12.8 s for a pair found 227 times in a million cases).
        # A common term (more than RARE matches) is dense enough for that walk to find a page at once:
        # it stays a plain filter (as a subquery, it was evaluated again for every row walked).
        # The planner's estimate (statistics on the index's lexemes, one planning call) tells a common
        # term at once: reading its ids would build a bitmap of a fifth of the table first.
        if _estimated_rows(matching) <= 5 * RARE:
            found = list(matching[: RARE + 1])
            if len(found) <= RARE:
                return queryset.filter(pk__in=found)
        # The stored vector: a row walked is tested without parsing its text again.
        return queryset.filter(
            search_vector=SearchQuery(" & ".join(whole), config="simple", search_type="raw")
        )
    queryset = queryset.alias(_padded=Concat(Value(" "), "search_text", Value(" "), output_field=TextField()))
    q = Q()
    for token in whole:
        q &= Q(_padded__contains=f" {token} ")
    return queryset.filter(q)
