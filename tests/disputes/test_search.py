"""Search by names, numbers and phrases of the facts, on SQLite and on PostgreSQL alike."""

import pytest
from django.db import connection

from disputes.choices import CaseKind, Source
from disputes.models import Dispute
from disputes.search import SEARCH_INDEX, apply_search, index_matches, search_text_for, tokens
from tests.disputes.factories import County, resident_id

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    return set(apply_search(Dispute.objects.all(), query).values_list("number", flat=True))


@pytest.fixture
def cases():
    c = County()
    wang = c.register(applicant="王五", facts="申请人房屋位于土门镇，征收补偿标准低于邻村")
    li = c.register(applicant="李四", facts="养老保险待遇核定有误", act_summary="养老保险待遇核定")
    ouyang = c.register(
        kind=CaseKind.RECONSIDERATION,
        source=Source.RECONSIDERATION,
        applicant="欧阳小明",
        facts="被申请人作出的行政拘留五日决定事实不清",
        act_summary="行政拘留决定",
        act_document_number="郧西公（治）决字〔2026〕88号",
        court_case_number="(2026)鄂0322行初12号",
    )
    # Up to 〔2026〕郧西化字第10号, about something else.
    more = [c.register(applicant=f"张{n}", facts="对罚款数额有异议") for n in "一二三四五六七八"]
    return {"wang": wang, "li": li, "ouyang": ouyang, "more": more, "county": c}


def test_tokens_are_bigrams_of_chinese_and_whole_words():
    assert tokens("王五") == ["王五"]
    assert tokens("欧阳小明") == ["欧阳", "阳小", "小明"]
    assert tokens("〔2026〕郧西化字第12号") == ["郧西", "西化", "化字", "字第", "号", "2026", "12"]
    assert search_text_for("王五", "王五 ABC") == "王五 abc"


def test_two_character_names(cases):
    assert found("王五") == {cases["wang"].number}
    assert found("李四") == {cases["li"].number}
    assert found("小明") == {cases["ouyang"].number}
    assert found("赵六") == set()


def test_one_character_finds_every_name_with_it(cases):
    assert found("王") == {cases["wang"].number}
    assert found("张") == {d.number for d in cases["more"]}


def test_case_numbers_match_exactly(cases):
    first = cases["wang"].number
    assert first == "〔2026〕郧西化字第1号"
    # Number 1 is not number 10.
    assert found(first) == {first}
    assert found("〔2026〕郧西化字第10号") == {cases["more"][-1].number}
    assert found("郧西复字第1号") == {cases["ouyang"].number}
    assert found("行初12") == {cases["ouyang"].number}
    assert found("郧西公（治）决字〔2026〕88号") == {cases["ouyang"].number}


def test_phrases_of_the_facts(cases):
    assert found("补偿标准") == {cases["wang"].number}
    assert found("土门镇 邻村") == {cases["wang"].number}
    assert found("养老保险") == {cases["li"].number}
    assert found("行政拘留") == {cases["ouyang"].number}
    assert found("补偿标准 养老保险") == set()  # every part must match


def test_identity_numbers_are_found_whole_by_their_keyed_hash_only(cases):
    from disputes.selectors import dispute_filter

    def listed(query: str) -> set[str]:
        return set(
            dispute_filter(Dispute.objects.all(), filters={"q": query}).values_list("number", flat=True)
        )

    # The factory gives every applicant the same ID number: all 11 cases, found through the hash.
    assert len(listed(resident_id())) == 11
    assert len(listed(" ".join([resident_id()[:6], resident_id()[6:]]))) == 11  # spaces do not matter
    assert listed("420322") == set()  # part of a number finds nothing
    assert listed(resident_id()[:-1]) == set()
    # Nor is the number in the search text: the full-text search alone does not find it.
    assert found(resident_id()) == set()
    assert not Dispute.objects.filter(search_text__contains=resident_id()[6:14]).exists()


def test_empty_query_keeps_everything(cases):
    assert apply_search(Dispute.objects.all(), " 。，").count() == 11


def test_search_composes_with_other_filters(cases):
    qs = apply_search(Dispute.objects.filter(kind=CaseKind.RESOLUTION).distinct().order_by("number"), "王五")
    assert list(qs.values_list("number", flat=True)) == [cases["wang"].number]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The GIN index exists on PostgreSQL only.")
def test_postgresql_uses_the_gin_index(cases):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [SEARCH_INDEX])
        row = cursor.fetchone()
        assert row, f"index {SEARCH_INDEX} is missing (migration disputes/0002_search_gin_index)"
        assert "gin" in row[0].lower()
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = index_matches(Dispute, ["王五", "补偿"]).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert SEARCH_INDEX in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_a_rare_term_hands_the_list_its_ids_and_a_common_one_a_filter(cases, monkeypatch):
    rare = apply_search(Dispute.objects.all(), "王五")
    assert "search_vector" not in str(rare.query)  # the ids were read first, from the index
    monkeypatch.setattr("disputes.search.RARE", 0)
    common = apply_search(Dispute.objects.all(), "王五")
    where = str(common.query).split(" WHERE ")
    assert '"search_vector" @@' in where[1] and "search_vector" not in where[0]  # filtered on, not fetched
    assert set(rare) == set(common) and rare.exists()
