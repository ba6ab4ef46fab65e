"""Search over names, numbers and facts.

Chinese has no spaces, so PostgreSQL's text-search parser would see a whole sentence as one word.
We index overlapping character pairs (bigrams) of Chinese runs, plus whole Latin/digit tokens, in
``Dispute.search_text``, and search it with a GIN-indexed ``to_tsvector('simple', …)`` on
PostgreSQL. SQLite has no text search: there every query token must occur in ``search_text``.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

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


def apply_search(queryset: QuerySet, query: str) -> QuerySet:
    wanted = list(dict.fromkeys(tokens(query)))
    if not wanted:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("search_text", config="simple")
        return queryset.annotate(_search=vector).filter(_search=SearchQuery(" & ".join(wanted), config="simple", search_type="raw"))
    q = Q()
    for token in wanted:
        q &= Q(search_text__contains=token)
    return queryset.filter(q)
