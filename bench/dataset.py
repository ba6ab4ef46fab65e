"""A province of disputes for the benchmarks: ``ensure_dataset(cases=1_000_000)``.

One province (楚江省, 12 cities, 100 counties), a resolution centre, justice bureau and court per county,
city and province, a few hundred agencies, about two thousand users with roles, and ``cases`` disputes
received over ten years (2017 to the day of the build), skewed as real intake is: a few matters and the
agencies answering for them dominate, one county has three times the intake of the busiest other one,
and most cases are closed while a few percent wait in each open status. Each case has what its status
implies: its number, parties, timeline, stage rows (resolution attempts, mediation sessions,
reconsiderations, litigation instances), mediator assignments, history rows (django-simple-history's
``+`` row, and a ``~`` row with the present values), ``search_text`` as ``disputes.search`` builds it,
and the stored deadlines ``disputes.case_deadlines.STEPS`` would have planned, met, paused or cancelled
on the way (each with its ``planned`` change, and the change that ended it). About 8 % of the open cases
are past a running deadline. Official documents are not generated: an issued one needs its PDF in
storage (its download would fail without it), and no benchmark reads them yet.

The build is a list of ``STEPS``, each one function that fills one table with bulk SQL: small tables
and the cases through ``COPY`` from Python generators (the case pass replays each case's lifecycle once
and spools every case table to a file), derived tables with ``INSERT … SELECT``. Secondary indexes of
the big tables are dropped for the load and rebuilt after it, then everything is analysed. Another app
adds its tables by appending a ``Step`` (it can read the ``bench_case`` work table while the build runs).

The database ``huajie_bench`` is kept between runs: ``bench_dataset_meta`` records the case count, the
seed and a fingerprint of the applied migrations, and ``ensure_dataset`` rebuilds only when one of them
changed (or ``rebuild=True``). The migrate and the build run in a child interpreter pointed at that
database, so the calling process may be set up for any other one.

    python bench/dataset.py --cases 1000000 [--rebuild]

Figures a run prints to stderr: each step's rows and seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "huajie_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
SEED = 2026
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2017, 1, 1)
OVERDUE_SHARE = 0.08  # of the open cases whose status runs a clock: received so long ago it ran out
BIG = 50_000  # from this many cases on, indexes are dropped for the load and FK triggers skipped
META = "bench_dataset_meta"


@dataclass
class DatasetInfo:
    """What a benchmark needs to know about the built province."""

    database_url: str
    database: str
    today: str  # ISO date the data was generated against (open clocks, overdue share)
    cases: int
    seed: int
    county_clerk: str  # CENTRE_CLERK at the busiest county's centre
    county_clerk_id: int
    agency_liaison: str  # AGENCY_LIAISON of the agency with the most cases
    agency_liaison_id: int
    province_clerk: str  # CENTRE_CLERK at the province centre: reaches every case
    province_clerk_id: int
    password: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# --- the parent side: the database, the marker, the child --------------------------------------------


def _psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", f"{SERVER_URL}/{database}", "-Atqc", sql], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def _child_env(database: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"{SERVER_URL}/{database}"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env["CONN_MAX_AGE"] = "0"
    return env


def ensure_dataset(*, cases: int = 1_000_000, rebuild: bool = False, database: str = DATABASE) -> DatasetInfo:
    """The province of ``cases`` disputes in ``database`` (created and migrated if missing), built only
    when it is missing, was built for another count or seed or before a migration, or ``rebuild``."""
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
        _psql(f'CREATE DATABASE "{database}"')
    env = _child_env(database)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    argv = [sys.executable, __file__, "--child", "--cases", str(cases)] + (["--rebuild"] if rebuild else [])
    child = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return DatasetInfo(**json.loads(child.stdout.strip().splitlines()[-1]))


def _fingerprint(cursor: Any) -> str:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    names = "\n".join(f"{app}.{name}" for app, name in cursor.fetchall())
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def _stored_info(cursor: Any, *, cases: int, seed: int) -> DatasetInfo | None:
    cursor.execute("SELECT to_regclass(%s)", [META])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT cases, seed, fingerprint, info FROM {META}")
    row = cursor.fetchone()
    if row is None or row[0] != cases or row[1] != seed or row[2] != _fingerprint(cursor):
        return None
    return DatasetInfo(**json.loads(row[3]))


def _child(cases: int, rebuild: bool) -> DatasetInfo:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        info = None if rebuild else _stored_info(cursor, cases=cases, seed=SEED)
    if info is not None:
        _log(f"dataset: {connection.settings_dict['NAME']} already holds {cases} cases (built {info.today})")
        return info
    return build_dataset(cases=cases, seed=SEED)


# --- the build ----------------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Context:
    """What the steps share: the connection, the parameters and what earlier steps made."""

    connection: Any
    cases: int
    today: date
    seed: int
    big: bool
    workdir: Path
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)
    geo: Any = None  # the Geography the organisation steps made
    spooled: dict[str, tuple[Path, tuple[str, ...]]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def execute(self, sql: str, params: Iterable[Any] | None = None) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def fetch(self, sql: str, params: Iterable[Any] | None = None) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def copy(self, table: str, columns: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> int:
        """``COPY table (columns) FROM STDIN`` fed by ``rows`` (tuples of Python values)."""
        return self.copy_text(table, columns, (_line(row) for row in rows))

    def copy_text(self, table: str, columns: tuple[str, ...], lines: Iterable[str]) -> int:
        count = 0
        buffer: list[str] = []
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for line in lines:
                buffer.append(line)
                count += 1
                if len(buffer) >= 5000:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
        return count


def _text(value: Any) -> str:
    """One value in COPY's text format. Strings are the generator's own, free of tabs, newlines and
    backslashes, so they go as they are."""
    kind = value.__class__
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    return value.isoformat()


def _line(row: Iterable[Any]) -> str:
    return "\t".join(map(_text, row)) + "\n"


@dataclass(frozen=True)
class Step:
    """One table's rows. ``run`` returns how many it inserted."""

    name: str
    run: Callable[[Context], int]


def build_dataset(
    *, using: str = "default", cases: int, today: date | None = None, seed: int = SEED
) -> DatasetInfo:
    """Fill the database of connection ``using`` with the province (every table the steps fill is
    emptied first). Django must be set up; the calendar and deadline rules must be loaded (migrations)."""
    from django.db import connections

    from core.workdays import today as beijing_today

    started = time.perf_counter()
    connection = connections[using]
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="huajie-bench-") as workdir:
        ctx = Context(
            connection=connection,
            cases=cases,
            today=today or beijing_today(),
            seed=seed,
            big=cases >= BIG,
            workdir=Path(workdir),
            rng=random.Random(seed),
        )
        _session_settings(ctx)
        _log(f"dataset: {cases} cases into {connection.settings_dict['NAME']}, today {ctx.today}")
        for step in STEPS:
            step_started = time.perf_counter()
            rows = step.run(ctx)
            if rows:
                ctx.counts[step.name] = ctx.counts.get(step.name, 0) + rows
            _log(f"  {step.name:<32} {rows:>10} rows {time.perf_counter() - step_started:8.1f} s")
    seconds = round(time.perf_counter() - started, 1)
    info = DatasetInfo(
        database_url=f"{SERVER_URL}/{connection.settings_dict['NAME']}",
        database=connection.settings_dict["NAME"],
        today=ctx.today.isoformat(),
        cases=cases,
        seed=seed,
        counts=ctx.counts,
        seconds=seconds,
        **ctx.info,
    )
    _write_meta(ctx, info)
    _log(f"dataset: built in {seconds} s")
    return info


def _session_settings(ctx: Context) -> None:
    ctx.execute("SET synchronous_commit = off")
    ctx.execute("SET maintenance_work_mem = '1GB'")
    ctx.execute("SET work_mem = '256MB'")
    if ctx.big:
        # Foreign keys are checked by the small build the test runs with them on; a big load skips the
        # deferred trigger queue (millions of entries) that checking them row by row would build.
        ctx.execute("SET session_replication_role = replica")


def _write_meta(ctx: Context, info: DatasetInfo) -> None:
    ctx.execute(
        f"CREATE TABLE IF NOT EXISTS {META} (cases integer, seed integer, fingerprint text, info text,"
        " built_at timestamptz DEFAULT now())"
    )
    ctx.execute(f"DELETE FROM {META}")
    with ctx.connection.cursor() as cursor:
        fingerprint = _fingerprint(cursor)
    ctx.execute(
        f"INSERT INTO {META} (cases, seed, fingerprint, info) VALUES (%s, %s, %s, %s)",
        [info.cases, info.seed, fingerprint, json.dumps(asdict(info), ensure_ascii=False)],
    )
    if ctx.big:
        ctx.execute("SET session_replication_role = DEFAULT")


# --- step: empty the tables ---------------------------------------------------------------------------

FILLED = [
    "core_region",
    "core_organisation",
    "core_user",
    "core_userrole",
    "core_numbersequence",
    "disputes_dispute",
    "disputes_party",
    "disputes_disputeevent",
    "disputes_mediatorassignment",
    "disputes_resolution",
    "disputes_resolutionsession",
    "disputes_reconsideration",
    "disputes_litigation",
    "disputes_note",
    "disputes_attachment",
    "disputes_disputeseries",
    "disputes_historicaldispute",
    "disputes_historicalparty",
    "disputes_historicalresolution",
    "disputes_historicalreconsideration",
    "disputes_historicallitigation",
    "deadlines_deadline",
    "deadlines_deadlinechange",
    "documents_document",
    "hearings_hearing",
    "hearings_attendance",
    "legal_aid_lawyer",
    "legal_aid_screening",
    "legal_aid_application",
    "legal_aid_assignment",
    "followups_visit",
]


def step_reset(ctx: Context) -> int:
    ctx.execute(f"DROP TABLE IF EXISTS {META}")
    ctx.execute(f"TRUNCATE {', '.join(FILLED)} RESTART IDENTITY CASCADE")
    return 0


# --- steps: regions, organisations, users -------------------------------------------------------------

CITY_NAMES = ["江陵", "云梦", "荆门", "汉川", "襄平", "武阳", "临湘", "宜城", "黄州", "孝昌", "恩平", "随安"]
COUNTY_FIRST = "安宝昌长丰福广汉和华嘉建江金靖乐利临龙梅南平庆仁瑞山寿泰通文武西仙兴阳宜永云漳"
COUNTY_SECOND = "城川丹峰河湖化华江林陵宁平山水台亭溪乡阳原州"
PROVINCE = ("470000", "楚江省", "楚江")
# Agencies of each county and city: (key for usernames, name suffix, short-name suffix).
COUNTY_AGENCIES = [
    ("zf", "人民政府", "政府"),
    ("zrzy", "自然资源和规划局", "自然资源局"),
    ("ga", "公安局", "公安局"),
    ("rs", "人力资源和社会保障局", "人社局"),
    ("scjg", "市场监督管理局", "市场监管局"),
]
CITY_AGENCIES = [*COUNTY_AGENCIES[:3], ("sthj", "生态环境局", "生态环境局")]
PROVINCE_AGENCIES = [
    ("zf", "人民政府", "省政府"),
    ("zrzy", "自然资源厅", "自然资源厅"),
    ("ga", "公安厅", "公安厅"),
]
# Which agency answers for which matter, and how often each matter comes (Zipf-like).
MATTERS = [
    ("land", 28, "zrzy"),
    ("public_security", 20, "ga"),
    ("work_injury", 12, "rs"),
    ("demolition", 10, "zf"),
    ("social_insurance", 8, "rs"),
    ("market", 6, "scjg"),
    ("information", 5, "zf"),
    ("planning", 3, "zrzy"),
    ("transport", 3, "ga"),
    ("licensing", 2, "scjg"),
    ("environment", 1, "sthj"),
    ("natural_resources", 1, "zrzy"),
    ("other", 1, "zf"),
]


@dataclass
class Centre:
    id: int
    region_id: int
    short_name: str
    code: str
    level: int
    clerks: list[int] = field(default_factory=list)
    mediators: list[int] = field(default_factory=list)
    court_id: int = 0
    court_clerk: int = 0
    agencies: dict[str, int] = field(default_factory=dict)  # key → organisation id
    liaisons: dict[int, int] = field(default_factory=dict)  # agency id → liaison user id
    name: str = ""
    weight: float = 1.0


@dataclass
class Geography:
    centres: list[Centre] = field(default_factory=list)
    county_codes: dict[int, str] = field(default_factory=dict)  # region id → code
    org_names: dict[int, str] = field(default_factory=dict)
    burst: Centre | None = None


def _county_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(COUNTY_FIRST) + rng.choice(COUNTY_SECOND)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def step_regions(ctx: Context) -> int:
    rng = random.Random(ctx.seed + 1)
    rows: list[tuple[int, str, str, int, int | None, str]] = [
        (1, PROVINCE[0], PROVINCE[1], 1, None, f"/{PROVINCE[0]}/")
    ]
    taken = set(CITY_NAMES)
    county_names = _county_names(rng, 100, taken)
    ctx.geo = Geography()
    next_id = 2
    plan: list[tuple[int, str, str, int]] = [(1, PROVINCE[0], PROVINCE[2], 1)]  # id, code, short, level
    for c, city in enumerate(CITY_NAMES, start=1):
        code = f"47{c:02d}00"
        city_id = next_id
        next_id += 1
        rows.append((city_id, code, f"{city}市", 2, 1, f"/{PROVINCE[0]}/{code}/"))
        plan.append((city_id, code, city, 2))
        share = county_names[(c - 1) * 100 // 12 : c * 100 // 12]
        for k, county in enumerate(share, start=21):
            county_code = f"47{c:02d}{k:02d}"
            rows.append(
                (next_id, county_code, f"{county}县", 3, city_id, f"/{PROVINCE[0]}/{code}/{county_code}/")
            )
            plan.append((next_id, county_code, county, 3))
            ctx.geo.county_codes[next_id] = county_code
            next_id += 1
    ctx.info["_regions"] = plan
    return ctx.copy("core_region", ("id", "code", "name", "level", "parent_id", "path"), rows)


def step_organisations(ctx: Context) -> int:
    geo: Geography = ctx.geo
    rows: list[tuple] = []
    next_id = 1

    def add(region_id: int, name: str, short: str, kind: str, parent: int | None = None) -> int:
        nonlocal next_id
        rows.append((next_id, name, short, kind, region_id, parent, "", "", True))
        geo.org_names[next_id] = name
        next_id += 1
        return next_id - 1

    for region_id, code, short, level in ctx.info.pop("_regions"):
        full = {1: PROVINCE[1], 2: f"{short}市", 3: f"{short}县"}[level]
        bureau = add(region_id, f"{full}司法{'厅' if level == 1 else '局'}", short, "justice_bureau")
        centre = Centre(
            add(region_id, f"{full}行政争议化解中心", short, "centre", bureau), region_id, short, code, level
        )
        centre.name = geo.org_names[centre.id]
        court = {1: "高级人民法院", 2: "中级人民法院", 3: "人民法院"}[level]
        centre.court_id = add(region_id, f"{full}{court}", f"{short}法院", "court")
        agencies = {1: PROVINCE_AGENCIES, 2: CITY_AGENCIES, 3: COUNTY_AGENCIES}[level]
        for key, suffix, short_suffix in agencies:
            centre.agencies[key] = add(region_id, f"{full}{suffix}", f"{short}{short_suffix}", "agency")
        centre.agencies.setdefault("sthj", centre.agencies["zf"])
        centre.agencies.setdefault("rs", centre.agencies["zf"])
        centre.agencies.setdefault("scjg", centre.agencies["zf"])
        geo.centres.append(centre)
    return ctx.copy(
        "core_organisation",
        ("id", "name", "short_name", "kind", "region_id", "parent_id", "address", "phone", "is_active"),
        rows,
    )


PASSWORD = "huajie2026"


def step_users(ctx: Context) -> int:
    from django.contrib.auth.hashers import make_password

    geo: Geography = ctx.geo
    rng = random.Random(ctx.seed + 2)
    password = make_password(PASSWORD)
    joined = datetime(2016, 12, 1, 9, 0, tzinfo=SHANGHAI)
    users: list[tuple] = []
    roles: list[tuple] = []

    def add(username: str, organisation: int, title: str, role: str) -> int:
        user_id = len(users) + 1
        users.append(
            (
                user_id,
                password,
                False,
                username,
                "",
                "",
                "",
                False,
                True,
                joined,
                _person_name(rng),
                organisation,
                title,
                "",
            )
        )
        roles.append((user_id, role, joined))
        return user_id

    for centre in geo.centres:
        prefix = centre.code
        clerks = {1: 2, 2: 2, 3: 3}[centre.level]
        mediators = {1: 2, 2: 3, 3: 4}[centre.level]
        centre.clerks = [
            add(f"{prefix}_clerk{n}", centre.id, "化解中心工作人员", "centre_clerk")
            for n in range(1, clerks + 1)
        ]
        centre.mediators = [
            add(f"{prefix}_mediator{n}", centre.id, "特邀化解员", "mediator") for n in range(1, mediators + 1)
        ]
        centre.court_clerk = add(f"{prefix}_court", centre.court_id, "行政庭书记员", "court_clerk")
        add(
            f"{prefix}_admin", centre.id - 1, "信息科科长", "administrator"
        )  # the justice bureau, made just before
        for key, agency in centre.agencies.items():
            if agency in centre.liaisons:
                continue
            centre.liaisons[agency] = add(f"{prefix}_{key}_liaison", agency, "法规股联络员", "agency_liaison")
            add(f"{prefix}_{key}_head", agency, "局长", "agency_head_principal")
    ctx.copy(
        "core_user",
        (
            "id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
            "is_active", "date_joined", "name", "organisation_id", "title", "phone",
        ),
        users,
    )  # fmt: skip
    ctx.counts["core_userrole"] = ctx.copy("core_userrole", ("user_id", "role", "granted_at"), roles)
    return len(users)


# --- names and texts -------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国永海波宁春梅林峰成忠志红德新文云福兵贵荣生金山祥"
TOWNS = [
    "城关",
    "土门",
    "上津",
    "店子",
    "夹河",
    "羊尾",
    "观音",
    "马安",
    "河夹",
    "香口",
    "景阳",
    "六郎",
    "涧池",
    "安家",
    "关防",
    "白沙",
    "青山",
    "石门",
]
INDUSTRY = ["建材", "商贸", "农业开发", "物流", "建筑工程", "食品", "矿业", "置业", "旅游开发", "餐饮管理"]

ACT_SUMMARIES: dict[str, list[tuple[str, str, str]]] = {
    # matter: (act kind, act summary, claims)
    "land": [
        ("expropriation", "集体土地征收补偿安置决定", "请求提高房屋及地上附着物补偿标准"),
        ("expropriation", "征地补偿安置方案批复", "请求撤销补偿安置方案并重新作出"),
        ("penalty", "责令退还非法占用土地并处罚款", "请求撤销处罚决定"),
    ],
    "public_security": [
        ("penalty", "行政拘留五日并处罚款五百元", "请求撤销行政处罚决定"),
        ("penalty", "罚款二百元的治安管理处罚决定", "请求撤销处罚决定并赔偿损失"),
    ],
    "work_injury": [("confirmation", "不予认定工伤决定", "请求撤销不予认定工伤决定，重新认定")],
    "demolition": [("expropriation", "国有土地上房屋征收决定", "请求撤销征收决定")],
    "social_insurance": [("failure_to_act", "未依法核定养老保险待遇", "请求依法核定并支付养老保险待遇")],
    "market": [("penalty", "没收违法所得并罚款三万元", "请求减轻处罚")],
    "information": [("information", "政府信息公开答复", "请求依法公开所申请的政府信息")],
    "planning": [("licensing", "建设工程规划许可", "请求撤销规划许可")],
    "transport": [("penalty", "道路运输违法罚款决定", "请求撤销罚款决定")],
    "licensing": [("licensing", "不予行政许可决定", "请求依法作出准予许可决定")],
    "environment": [("penalty", "环境违法责令停产整治决定", "请求撤销责令停产整治决定")],
    "natural_resources": [("penalty", "林业行政处罚决定", "请求撤销处罚决定")],
    "other": [("other", "行政协议解除通知", "请求继续履行行政协议")],
}
DOC_WORD = {
    "zf": "政发",
    "zrzy": "自然资",
    "ga": "公（治）决字",
    "rs": "人社",
    "scjg": "市监处罚",
    "sthj": "环罚",
}


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def _resident_id(rng: random.Random, county_code: str) -> str:
    from core.validators import resident_id_check_char

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    first17 = f"{county_code}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_id_check_char(first17)


def _uscc(rng: random.Random, county_code: str) -> str:
    from core.validators import uscc_check_char

    first17 = f"91{county_code}{rng.randrange(0, 10**9):09d}"
    return first17 + uscc_check_char(first17)


# --- the lifecycle: families of action sequences, and the statuses they pass ---------------------------

# (action, status after it). A case follows one family, to its end (closed or rejected) or cut after the
# action that reached its open status. Weights: per 1000 cases, the closed families' share of intake.
R, C = "resolution", "reconsideration"
MEDIATE = [("register", "registered"), ("accept", "accepted"), ("assign_mediators", "mediating"),
           ("record_session", "mediating")]  # fmt: skip
RECON = [("register", "registered"), ("accept", "recon_accepted"), ("record_reply", "recon_replied")]
LITIGATE = [("receive_notice", "lit_noticed"), ("file_answer", "lit_answered"), ("hold_session", "lit_heard"),
            ("record_outcome", "lit_decided")]  # fmt: skip
FAMILIES: list[tuple[str, int, list[tuple[str, str]]]] = [
    (R, 220, [*MEDIATE, ("reach_agreement", "agreed"), ("close", "closed")]),
    (
        R,
        120,
        [
            *MEDIATE,
            ("reach_agreement", "agreed"),
            ("request_confirmation", "confirmation_requested"),
            ("confirm", "closed"),
        ],
    ),  # fmt: skip
    (R, 80, [*MEDIATE, ("withdraw", "closed")]),
    (
        R,
        50,
        [
            *MEDIATE,
            ("fail", "failed"),
            ("transfer", "transferred"),
            ("receive_feedback", "recon_accepted"),
            ("record_reply", "recon_replied"),
            ("decide", "recon_decided"),
            ("take_effect", "closed"),
        ],
    ),  # fmt: skip
    (
        R,
        40,
        [
            *MEDIATE,
            ("fail", "failed"),
            ("transfer", "transferred"),
            ("receive_feedback", "lit_filed"),
            *LITIGATE,
            ("take_effect", "performance"),
            ("record_performance", "performance"),
            ("close", "closed"),
        ],
    ),  # fmt: skip
    (
        R,
        30,
        [
            ("register", "registered"),
            ("request_correction", "correction"),
            ("supply_correction", "registered"),
            *MEDIATE[1:],
            ("reach_agreement", "agreed"),
            ("close", "closed"),
        ],
    ),  # fmt: skip
    (R, 22, [("register", "registered"), ("reject", "rejected")]),
    (C, 8, [("register", "registered"), ("request_correction", "correction"), ("reject", "rejected")]),
    (C, 120, [*RECON, ("decide", "recon_decided"), ("take_effect", "closed")]),
    (
        C,
        40,
        [
            *RECON,
            ("schedule_hearing", "recon_hearing"),
            ("decide", "recon_decided"),
            ("take_effect", "performance"),
            ("record_performance", "performance"),
            ("close", "closed"),
        ],
    ),  # fmt: skip
    (
        C,
        20,
        [
            *RECON,
            ("suspend", "recon_suspended"),
            ("resume", "recon_replied"),
            ("decide", "recon_decided"),
            ("take_effect", "closed"),
        ],
    ),  # fmt: skip
    (
        C,
        20,
        [
            *RECON,
            ("decide", "recon_decided"),
            ("file_suit", "lit_filed"),
            *LITIGATE,
            ("appeal", "lit_appealed"),
            ("record_outcome", "lit_decided"),
            ("take_effect", "performance"),
            ("record_performance", "performance"),
            ("file_loss_report", "performance"),
            ("close", "closed"),
        ],
    ),  # fmt: skip
    (
        C,
        30,
        [
            *RECON,
            ("decide", "recon_decided"),
            ("file_suit", "lit_filed"),
            *LITIGATE,
            ("take_effect", "closed"),
        ],
    ),  # fmt: skip
    (C, 30, [("register", "registered"), ("accept", "recon_accepted"), ("withdraw", "closed")]),
    (
        C,
        10,
        [
            ("register", "registered"),
            ("request_correction", "correction"),
            ("supply_correction", "registered"),
            ("accept", "recon_accepted"),
            ("record_reply", "recon_replied"),
            ("decide", "recon_decided"),
            ("take_effect", "closed"),
        ],
    ),  # fmt: skip
]
# Open statuses, per 1000 cases: (share, the status whose reaching starts the clock (None: the last
# action), days since then while in time, days since then when overdue (None: no clock to run out)).
OPEN: dict[str, tuple[int, str | None, tuple[int, int], tuple[int, int] | None]] = {
    "registered": (15, "registered", (0, 5), (9, 40)),
    "correction": (5, "correction", (0, 10), (18, 50)),
    "accepted": (15, "accepted", (0, 27), (33, 90)),
    "mediating": (30, "accepted", (8, 27), (33, 90)),
    "agreed": (10, "agreed", (0, 27), (33, 80)),
    "confirmation_requested": (5, None, (0, 40), None),
    "failed": (5, None, (0, 30), None),
    "transferred": (5, None, (0, 40), None),
    "recon_accepted": (15, "recon_accepted", (0, 12), (16, 50)),
    "recon_replied": (10, "recon_accepted", (14, 55), (63, 120)),
    "recon_hearing": (7, "recon_accepted", (22, 55), (63, 120)),
    "recon_suspended": (3, None, (0, 60), None),
    "recon_decided": (5, "recon_decided", (0, 27), (33, 60)),
    "lit_filed": (7, "lit_filed", (0, 4), (7, 30)),
    "lit_noticed": (5, "lit_noticed", (0, 14), (17, 40)),
    "lit_answered": (5, None, (0, 40), None),
    "lit_heard": (5, None, (0, 50), None),
    "lit_decided": (5, "lit_decided", (0, 9), (17, 40)),
    "lit_appealed": (3, None, (0, 90), None),
    "performance": (10, "performance", (0, 30), (0, 30)),
}
GAPS = {
    "register": (0, 0), "request_correction": (1, 4), "supply_correction": (3, 10), "reject": (2, 8),
    "accept": (1, 5), "assign_mediators": (1, 6), "record_session": (3, 12), "reach_agreement": (3, 18),
    "request_confirmation": (2, 15), "confirm": (10, 30), "close": (10, 60), "withdraw": (5, 40),
    "fail": (10, 30), "transfer": (1, 7), "receive_feedback": (5, 25), "record_reply": (5, 12),
    "schedule_hearing": (3, 15), "suspend": (3, 20), "resume": (10, 60), "decide": (15, 40),
    "take_effect": (15, 25), "file_suit": (5, 14), "receive_notice": (3, 8), "file_answer": (4, 14),
    "hold_session": (20, 60), "record_outcome": (10, 50), "appeal": (5, 14), "record_performance": (10, 60),
    "file_loss_report": (3, 20),
}  # fmt: skip


@dataclass(slots=True)
class Plan:
    """One case as the first pass decides it: where, what, which actions on which days."""

    received: int  # date ordinal
    centre: int  # index into Geography.centres
    matter: str
    kind: str
    actions: list[tuple[str, str]]
    days: list[int]  # date ordinal of each action
    overdue: bool
    salt: int


def _weighted(rng: random.Random, items: list[Any], weights: Sequence[float]) -> Callable[[], Any]:
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    import bisect

    return lambda: items[bisect.bisect_right(cumulative, rng.random() * total)]


def _plans(ctx: Context) -> list[Plan]:
    rng = ctx.rng
    geo: Geography = ctx.geo
    today = ctx.today.toordinal()
    counties = [c for c in geo.centres if c.level == 3]
    order = list(range(len(counties)))
    rng.shuffle(order)
    for rank, index in enumerate(order, start=1):
        counties[index].weight = 1 / rank**0.6
    geo.burst = counties[order[len(order) // 3]]  # a middling county whose intake tripled
    geo.burst.weight = 3 * counties[order[0]].weight
    county_total = sum(c.weight for c in counties)
    for centre in geo.centres:
        if centre.level == 1:
            centre.weight = 0.03 * county_total / 0.85
        elif centre.level == 2:
            centre.weight = 0.12 * county_total / 0.85 / 12
    pick_centre = _weighted(rng, list(range(len(geo.centres))), [c.weight for c in geo.centres])
    pick_matter = _weighted(rng, [m[0] for m in MATTERS], [m[1] for m in MATTERS])
    # Intake grows year by year (2017: 0.5 of 2026's); the day within the range is uniform.
    first = FIRST_DAY.toordinal()
    span = today - first
    statuses = list(OPEN) + ["closed"]
    open_total = sum(v[0] for v in OPEN.values())
    pick_status = _weighted(rng, statuses, [v[0] for v in OPEN.values()] + [1000 - open_total])
    closed_families = [f for f in FAMILIES if f[2][-1][1] in ("closed", "rejected")]
    pick_closed = _weighted(rng, closed_families, [f[1] for f in closed_families])
    by_status = {
        status: (_weighted(rng, fams, [f[1] for f in fams]) if (fams := [f for f in FAMILIES if any(a[1] == status for a in f[2])]) else None)
        for status in OPEN
    }  # fmt: skip
    plans: list[Plan] = []
    for _ in range(ctx.cases):
        status = pick_status()
        if status == "closed":
            kind, _weight, actions = pick_closed()
        else:
            pick = by_status[status]
            assert pick is not None  # every open status is on some path
            kind, _weight, actions = pick()
            cut = next(i for i, a in enumerate(actions) if a[1] == status)
            while cut + 1 < len(actions) and actions[cut + 1][1] == status and rng.random() < 0.5:
                cut += 1  # a session, a performance report: the status stays
            actions = actions[: cut + 1]
        offsets = [0]
        for action, _status in actions[1:]:
            low, high = GAPS[action]
            offsets.append(offsets[-1] + rng.randint(low, high))
        overdue = False
        if status == "closed":
            # Later years bring more cases: the density of a day grows linearly from 0.5 to 1.
            # Intake grows: a day's density rises linearly from 0.5 (2017) to 1 (today); this inverts its
            # distribution function (0.5u + 0.25u²) / 0.75.
            u = (-0.5 + (0.25 + 0.75 * rng.random()) ** 0.5) / 0.5
            received = first + int(u * span)
            received = min(received, today - 1 - offsets[-1])
        else:
            _share, anchor_status, in_time, late = OPEN[status]
            anchor = len(actions) - 1
            if anchor_status is not None:
                anchor = max(i for i, a in enumerate(actions) if a[1] == anchor_status)
            overdue = late is not None and rng.random() < OVERDUE_SHARE
            age = rng.randint(*(late if overdue and late else in_time))
            after = offsets[-1] - offsets[anchor]
            if after > age:  # squeeze what came after the anchor into the days since it
                base = offsets[anchor]
                offsets = offsets[: anchor + 1] + [
                    base + (o - base) * age // after for o in offsets[anchor + 1 :]
                ]
            received = today - age - offsets[anchor]
        if received < first:
            received = first
        plans.append(
            Plan(
                received,
                pick_centre(),
                pick_matter(),
                kind,
                actions,
                [received + o for o in offsets],
                overdue,
                rng.getrandbits(30),
            )
        )
    plans.sort(key=lambda p: (p.received, p.salt))
    return plans


# --- the case pass ------------------------------------------------------------------------------------

TABLES: dict[str, tuple[str, ...]] = {
    "disputes_dispute": (
        "id", "number", "kind", "year", "sequence", "centre_id", "region_id", "source", "received_on", "consent",
        "consent_note", "court_id", "court_case_number", "respondent_id", "act_kind", "act_date",
        "act_document_number", "act_summary", "matter", "amount", "claims", "facts", "status",
        "status_before_suspension", "status_changed_at", "series_id", "duty_to_perform", "perform_by",
        "performed_on", "performance_note", "agency_lost", "loss_report_on", "loss_report_summary",
        "closing_reason", "closing_note", "closed_at", "registered_by_id", "created_at", "updated_at",
        "search_text",
    ),
    "disputes_party": (
        "id", "dispute_id", "role", "kind", "name", "id_number", "credit_code", "legal_representative", "phone",
        "address", "represents_id", "law_firm", "id_number_hash", "phone_hash",
    ),
    "disputes_disputeevent": (
        "dispute_id", "action", "from_status", "to_status", "actor_id", "at", "reason", "data", "document",
        "request_key",
    ),
    "disputes_mediatorassignment": ("dispute_id", "mediator_id", "assigned_by_id", "assigned_at"),
    "disputes_resolution": (
        "id", "dispute_id", "opened_at", "accepted_on", "due_on", "agreement_terms", "agreement_signed_on",
        "agreement_perform_by", "confirmation_court_id", "confirmation_requested_on", "confirmation_result",
        "confirmed_on", "confirmation_number", "confirmation_refusal_reasons", "failure_reason",
        "transfer_target", "transfer_to_id", "transferred_on", "feedback_on", "feedback_note",
    ),
    "disputes_resolutionsession": (
        "resolution_id", "held_on", "place", "participants", "summary", "recorded_by_id", "recorded_at", "intent",
    ),
    "disputes_reconsideration": (
        "id", "dispute_id", "accepted_on", "simplified", "reply_due", "reply_received_on", "hearing_at",
        "hearing_place", "suspended_on", "suspension_reason", "suspended_days", "extension_days",
        "extension_reason", "extension_approved_by", "decision_type", "decided_on", "decision_number",
    ),
    "disputes_litigation": (
        "id", "dispute_id", "court_id", "court_case_number", "trial_level", "filed_on", "notice_received_on",
        "answer_due", "answered_on", "session_at", "outcome", "decided_on", "agency_lost", "appealed_on",
        "effective_on",
    ),
    "deadlines_deadline": (
        "rule_id", "subject_type_id", "subject_id", "key", "start_event", "starts_on", "length", "unit",
        "rolls_over", "count_from", "count_length", "count_unit", "due_fixed", "due_on",
        "responsible_organisation_id", "responsible_person_id", "region_id", "status", "met_on", "paused_on",
        "paused_days_left", "provisional", "created_at", "updated_at",
    ),
}  # fmt: skip


@lru_cache(maxsize=200_000)
def _due(start: date, length: int, unit: str, rolls_over: bool) -> tuple[date, bool]:
    from core.workdays import calendar_missing_years
    from deadlines.arithmetic import _due as due_on  # compute_due() without its explanation text

    due = due_on(start, length, unit, rolls_over)
    first, last = sorted((start, due))
    return due, bool(calendar_missing_years(first.year, last.year))


@lru_cache(maxsize=100)
def _provisional(year: int) -> bool:
    from core.workdays import is_provisional_year

    return is_provisional_year(year)


@lru_cache(maxsize=20_000)
def _add_days(start: date, days: int) -> date:
    from core.workdays import add_days

    return add_days(start, days)


@lru_cache(maxsize=100_000)
def _tokens(text: str) -> tuple[str, ...]:
    from disputes.search import tokens

    return tuple(tokens(text))


def _search_text(parts: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(t for part in parts for t in _tokens(part)))


class Clocks:
    """The stored deadlines of one case, as ``disputes.case_deadlines.STEPS`` plans, meets, pauses and
    cancels them (a mirror of it, kept small: the families above use no extension)."""

    def __init__(self, rules: dict[str, tuple], region: int) -> None:
        self.rules = rules
        self.region = region
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def plan(self, code: str, start: date, organisation: int, key: str = "", at: datetime | None = None,
             due_on: date | None = None, start_event: str = "") -> None:  # fmt: skip
        rule_id, length, unit, rolls_over, rule_start_event = self.rules[code]
        if due_on is not None:
            count_length, count_unit, due, fixed = (due_on - start).days, "days", due_on, True
            provisional = _provisional(due_on.year)
        else:
            count_length, count_unit, fixed = length, unit, False
            due, provisional = _due(start, length, unit, rolls_over)
        row = self.rows.get((code, key))
        if row is not None and row["starts_on"] == start and row["status"] in ("open", "paused"):
            return
        self.rows[(code, key)] = {
            "rule": rule_id, "key": key, "start_event": start_event or rule_start_event, "starts_on": start,
            "length": length, "unit": unit, "rolls_over": rolls_over, "count_from": start,
            "count_length": count_length, "count_unit": count_unit, "due_fixed": fixed, "due_on": due,
            "organisation": organisation, "status": "open", "met_on": None, "paused_on": None,
            "paused_days_left": None, "provisional": provisional, "at": at, "updated": at,
        }  # fmt: skip

    def meet(self, codes: tuple[str, ...], on: date, at: datetime) -> None:
        for (code, _key), row in self.rows.items():
            if code in codes and row["status"] in ("open", "paused", "missed"):
                row.update(status="met", met_on=on, updated=at)

    def cancel(self, codes: Iterable[str] | None, at: datetime) -> None:
        for (code, _key), row in self.rows.items():
            if row["status"] in ("open", "paused") and (
                codes is None and code != "followup_visit" or codes is not None and code in codes
            ):
                row.update(status="cancelled", updated=at)

    def pause(self, on: date, at: datetime) -> None:
        from core.workdays import working_days_between
        from deadlines.arithmetic import unrolled_end

        for row in self.rows.values():
            if row["status"] == "open" and row["count_length"] > 0:
                if row["count_unit"] == "working_days":
                    left = working_days_between(on, row["due_on"])
                elif row["due_fixed"]:
                    left = (row["due_on"] - on).days
                else:
                    end = unrolled_end(
                        start=row["count_from"], length=row["count_length"], unit=row["count_unit"]
                    )
                    left = (end - on).days
                row.update(status="paused", paused_on=on, paused_days_left=max(left, 0), updated=at)

    def resume(self, on: date, at: datetime) -> None:
        for row in self.rows.values():
            if row["status"] == "paused":
                unit = "days" if row["count_unit"] == "months" else row["count_unit"]
                left = row["paused_days_left"] or 0
                due, provisional = _due(on, left, unit, row["rolls_over"]) if left else (on, False)
                row.update(
                    status="open", count_from=on, count_length=left, count_unit=unit, due_on=due,
                    provisional=provisional, paused_on=None, paused_days_left=None, updated=at,
                )  # fmt: skip

    def lines(self, subject_type: int, subject: int) -> Iterator[str]:
        for row in self.rows.values():
            yield _line(
                (
                    row["rule"], subject_type, subject, row["key"], row["start_event"], row["starts_on"],
                    row["length"], row["unit"], row["rolls_over"], row["count_from"], row["count_length"],
                    row["count_unit"], row["due_fixed"], row["due_on"], row["organisation"], None, self.region,
                    row["status"], row["met_on"], row["paused_on"], row["paused_days_left"], row["provisional"],
                    row["at"], row["updated"],
                )
            )  # fmt: skip


class Spool:
    """Rows of every case table, written as COPY text to one file per table; the load steps send them."""

    def __init__(self, ctx: Context) -> None:
        self.files = {table: (ctx.workdir / f"{table}.tsv").open("w", encoding="utf-8") for table in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        for table in TABLES:
            ctx.spooled[table] = (ctx.workdir / f"{table}.tsv", TABLES[table])

    def add(self, table: str, row: Iterable[Any]) -> None:
        self.files[table].write(_line(row))
        self.counts[table] += 1

    def add_lines(self, table: str, lines: Iterable[str]) -> None:
        for line in lines:
            self.files[table].write(line)
            self.counts[table] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def step_cases(ctx: Context) -> int:
    """Plan every case, then replay each one's actions in order of receipt, spooling its rows."""
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import DeadlineRule
    from disputes.models import Dispute

    using = ctx.connection.alias
    subject_type = ContentType.objects.db_manager(using).get_for_model(Dispute).pk
    rules = {
        r.code: (r.pk, r.length, r.unit, r.rolls_over, r.start_event)
        for r in DeadlineRule.objects.using(using)
    }
    started = time.perf_counter()
    plans = _plans(ctx)
    _log(f"    planned {len(plans)} cases in {time.perf_counter() - started:.1f} s")
    spool = Spool(ctx)
    writer = CaseWriter(ctx, spool, subject_type, rules)
    # (core.workdays confirms its calendar copy with the shared cache at most once a second, so the
    # millions of date computations below cost no round trips.)
    for dispute_id, plan in enumerate(plans, start=1):
        writer.write(dispute_id, plan)
        if dispute_id % 100_000 == 0:
            _log(f"    {dispute_id} cases written, {time.perf_counter() - started:.0f} s")
    spool.close()
    _write_sequences(ctx, writer.sequences)
    _pick_users(ctx, writer.respondent_cases)
    return spool.counts["disputes_dispute"]


def _write_sequences(ctx: Context, sequences: dict[tuple[str, int], int]) -> None:
    rows = [(f"case:{prefix}", year, last) for (prefix, year), last in sorted(sequences.items())]
    ctx.counts["core_numbersequence"] = ctx.copy(
        "core_numbersequence", ("series", "year", "last_value"), rows
    )


def _pick_users(ctx: Context, respondent_cases: dict[int, int]) -> None:
    geo: Geography = ctx.geo
    burst = geo.burst
    assert burst is not None  # set when the centres were made
    province = next(c for c in geo.centres if c.level == 1)
    agency = max(respondent_cases, key=lambda a: respondent_cases[a])
    liaison = next(c.liaisons[agency] for c in geo.centres if agency in c.liaisons)
    names: dict[int, str] = dict(
        ctx.fetch(
            "SELECT id, username FROM core_user WHERE id = ANY(%s)",
            [[burst.clerks[0], province.clerks[0], liaison]],
        )
    )
    ctx.info.update(
        county_clerk=names[burst.clerks[0]],
        county_clerk_id=burst.clerks[0],
        agency_liaison=names[liaison],
        agency_liaison_id=liaison,
        province_clerk=names[province.clerks[0]],
        province_clerk_id=province.clerks[0],
        password=PASSWORD,
    )


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(8, 17),
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=SHANGHAI,
    )


class CaseWriter:
    """Turns one ``Plan`` into the rows of every case table: what each action records (``disputes.actions
    .apply``), its timeline entry and its clocks (``Clocks``)."""

    def __init__(self, ctx: Context, spool: Spool, subject_type: int, rules: dict[str, tuple]) -> None:
        self.ctx, self.spool, self.subject_type, self.rules = ctx, spool, subject_type, rules
        self.rng = random.Random(ctx.seed + 3)
        self.geo: Geography = ctx.geo
        self.today = ctx.today
        self.sequences: dict[tuple[str, int], int] = {}
        self.court_numbers: dict[tuple[int, int], int] = {}
        self.respondent_cases: dict[int, int] = {}
        self.party_id = self.resolution_id = self.recon_id = self.litigation_id = 0

    def _court_number(self, court: int, year: int, code: str, second: bool) -> str:
        n = self.court_numbers.get((court, year), 0) + 1
        self.court_numbers[(court, year)] = n
        return f"（{year}）楚{code[2:]}行{'终' if second else '初'}{n}号"

    def write(self, dispute_id: int, plan: Plan) -> None:  # noqa: C901 - one branch per action, as apply.py
        rng, geo, spool = self.rng, self.geo, self.spool
        centre = geo.centres[plan.centre]
        matter = plan.matter
        agency_key = next(m[2] for m in MATTERS if m[0] == matter)
        respondent = centre.agencies[agency_key]
        self.respondent_cases[respondent] = self.respondent_cases.get(respondent, 0) + 1
        code = centre.code
        days = [date.fromordinal(d) for d in plan.days]
        times = [_at(d, rng) for d in days]
        for i in range(1, len(times)):
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + timedelta(minutes=rng.randint(5, 90))
        received = days[0]
        year = received.year
        prefix = f"{centre.short_name}{'化' if plan.kind == R else '复'}"
        sequence = self.sequences.get((prefix, year), 0) + 1
        self.sequences[(prefix, year)] = sequence
        number = f"〔{year}〕{prefix}字第{sequence}号"
        act_kind, act_summary, claims = rng.choice(ACT_SUMMARIES[matter])
        act_date = received - timedelta(days=rng.randint(5, 90))
        act_document_number = (
            f"{centre.short_name}{DOC_WORD[agency_key]}〔{act_date.year}〕{rng.randint(1, 300)}号"
        )
        facts = f"申请人不服被申请人作出的{act_summary}，认为该行为认定事实不清、适用依据错误，{claims}。"
        clerk = rng.choice(centre.clerks)
        mediator = rng.choice(centre.mediators)
        liaison = centre.liaisons.get(respondent, clerk)
        source = rng.choice(("reconsideration", "reconsideration", "walk_in", "guided")) if plan.kind == C else rng.choice(
            ("walk_in", "walk_in", "walk_in", "petition_transfer", "agency_transfer", "court_push")
        )  # fmt: skip
        consent = "given" if source == "court_push" else "not_asked"
        dispute: dict[str, Any] = {
            "duty_to_perform": False, "perform_by": None, "performed_on": None, "performance_note": "",
            "agency_lost": None, "loss_report_on": None, "loss_report_summary": "", "closing_reason": "",
            "closing_note": "", "closed_at": None, "status_before_suspension": "",
        }  # fmt: skip
        clocks = Clocks(self.rules, centre.region_id)
        resolution: dict[str, Any] | None = None
        recon: dict[str, Any] | None = None
        litigations: list[dict[str, Any]] = []
        status = ""
        closing = ""
        for i, (action, to_status) in enumerate(plan.actions):
            day, at = days[i], times[i]
            data: dict[str, Any] = {}
            actor = clerk
            if action == "register":
                data = {"source": source, "consent": consent}
                if plan.kind == C:
                    clocks.plan("recon_acceptance_review", received, centre.id, at=at)
            elif action == "request_correction":
                clocks.cancel(("recon_acceptance_review",), at)
                if plan.kind == C:
                    clocks.plan("recon_correction", day, centre.id, at=at)
            elif action == "supply_correction":
                clocks.meet(("recon_correction",), day, at)
                if plan.kind == C:
                    clocks.plan("recon_acceptance_review", day, centre.id, at=at)
            elif action == "reject":
                clocks.meet(("recon_acceptance_review",), day, at)
                clocks.cancel(None, at)
                data = {"reason": "不符合受理条件"}
            elif action == "accept":
                data = {"accepted_on": day.isoformat()}
                clocks.meet(("recon_acceptance_review",), day, at)
                if to_status == "recon_accepted":
                    recon = self._recon(dispute_id, day, rng)
                    self._recon_clocks(clocks, recon, centre, respondent, day, at)
                else:
                    self.resolution_id += 1
                    resolution = {
                        "id": self.resolution_id,
                        "opened_at": at,
                        "accepted_on": day,
                        "due_on": _add_days(day, 30),
                    }
                    clocks.plan("resolution_period", day, centre.id, str(self.resolution_id), at=at)
            elif action == "assign_mediators":
                chosen = rng.sample(centre.mediators, k=min(len(centre.mediators), rng.choice((1, 1, 2))))
                mediator = chosen[0]
                for person in chosen:
                    spool.add("disputes_mediatorassignment", (dispute_id, person, clerk, at))
                data = {"mediators": [{"id": m, "name": ""} for m in chosen]}
            elif action == "record_session":
                assert resolution is not None
                actor = mediator
                spool.add(
                    "disputes_resolutionsession",
                    (resolution["id"], day, "化解中心调解室", "申请人、被申请人代表、化解员", "双方陈述意见，化解员释法明理。", mediator, at,
                     resolution["id"] % 3 == 0),  # a preliminary intent in a third of the attempts (no draw: the stream stays)
                )  # fmt: skip
                data = {"held_on": day.isoformat()}
            elif action == "reach_agreement":
                assert resolution is not None
                actor = mediator
                perform_by = day + timedelta(days=rng.randint(15, 60)) if rng.random() < 0.4 else None
                resolution.update(agreement_terms="被申请人同意重新核定补偿并于约定期限内支付", agreement_signed_on=day,
                                  agreement_perform_by=perform_by)  # fmt: skip
                clocks.meet(("resolution_period",), day, at)
                clocks.plan("confirmation_application", day, centre.id, str(resolution["id"]), at=at)
                if perform_by and plan.actions[-1][0] != "confirm":
                    clocks.plan("performance", day, respondent, at=at, due_on=perform_by)
                data = {"signed_on": day.isoformat()}
            elif action == "request_confirmation":
                assert resolution is not None
                resolution.update(confirmation_court_id=centre.court_id, confirmation_requested_on=day)
                clocks.meet(("confirmation_application",), day, at)
                data = {"requested_on": day.isoformat()}
            elif action == "confirm":
                assert resolution is not None
                actor = centre.court_clerk
                resolution.update(confirmation_result="confirmed", confirmed_on=day,
                                  confirmation_number=f"（{day.year}）楚{code[2:]}民特{rng.randint(1, 900)}号")  # fmt: skip
                closing = "confirmed"
                data = {"result": "confirmed", "confirmed_on": day.isoformat()}
            elif action == "fail":
                assert resolution is not None
                resolution["failure_reason"] = "双方分歧较大，未能达成协议"
                clocks.cancel(("resolution_period", "confirmation_application"), at)
                data = {"reason": "双方分歧较大"}
            elif action == "transfer":
                assert resolution is not None
                target = (
                    "litigation"
                    if plan.actions[i + 1 :] and plan.actions[i + 1][1] == "lit_filed"
                    else "reconsideration"
                )
                if i + 1 == len(plan.actions):
                    target = rng.choice(("reconsideration", "litigation"))
                resolution.update(transfer_target=target, transferred_on=day,
                                  transfer_to_id=centre.court_id if target == "litigation" else centre.id - 1)  # fmt: skip
                clocks.cancel(("resolution_period", "confirmation_application"), at)
                data = {"target": target, "transferred_on": day.isoformat()}
            elif action == "receive_feedback":
                assert resolution is not None
                resolution.update(feedback_on=day, feedback_note="已依法受理")
                if to_status == "lit_filed":
                    litigations.append(self._litigation(dispute_id, centre, day, second=False))
                else:
                    recon = self._recon(dispute_id, day, rng)
                    self._recon_clocks(clocks, recon, centre, respondent, day, at)
                data = {"feedback_on": day.isoformat()}
            elif action == "withdraw":
                closing = "withdrawn"
                clocks.cancel(None, at)
                data = {"reason": "申请人主动撤回申请"}
            elif action == "record_reply":
                assert recon is not None
                actor = liaison
                recon["reply_received_on"] = day
                clocks.meet(("recon_reply", "recon_reply_simplified"), day, at)
                clocks.cancel(("recon_copy_to_respondent", "recon_copy_simplified"), at)
                data = {"reply_received_on": day.isoformat()}
            elif action == "schedule_hearing":
                assert recon is not None
                hearing_at = _at(day + timedelta(days=rng.randint(10, 25)), rng)
                recon.update(hearing_at=hearing_at, hearing_place=f"{centre.name[:-8]}司法局听证室")
                clocks.plan("hearing_notice", hearing_at.date(), centre.id, str(recon["id"]), at=at)
                data = {"hearing_at": hearing_at.isoformat()}
            elif action == "suspend":
                assert recon is not None
                dispute["status_before_suspension"] = status
                recon.update(suspended_on=day, suspension_reason="案件涉及的法律适用问题需要有权机关作出解释")
                clocks.pause(day, at)
                data = {"suspended_on": day.isoformat()}
            elif action == "resume":
                assert recon is not None
                to_status = dispute["status_before_suspension"] or "recon_accepted"
                dispute["status_before_suspension"] = ""
                recon.update(suspended_days=(day - recon["suspended_on"]).days, suspended_on=None)
                clocks.resume(day, at)
                data = {"resumed_on": day.isoformat()}
            elif action == "decide":
                assert recon is not None
                correcting = rng.random() < 0.25
                decision = (
                    rng.choice(("revoke", "modify", "confirm_illegal"))
                    if correcting
                    else rng.choice(("uphold", "uphold", "dismiss"))
                )
                duty = any(a[1] == "performance" for a in plan.actions[i:]) or (
                    i + 1 == len(plan.actions) and correcting and rng.random() < 0.5
                )
                perform_by = day + timedelta(days=rng.randint(30, 90)) if duty else None
                recon.update(decision_type=decision, decided_on=day,
                             decision_number=f"{centre.short_name}复决字〔{day.year}〕{recon['id'] % 997 + 1}号")  # fmt: skip
                dispute.update(duty_to_perform=duty, perform_by=perform_by, performed_on=None)
                clocks.meet(("recon_decision", "recon_decision_simplified"), day, at)
                clocks.cancel(RECON_STAGE, at)
                clocks.plan("followup_visit", day, centre.id, str(recon["id"]), at=at)
                if duty and perform_by:
                    clocks.plan("performance", day, respondent, at=at, due_on=perform_by)
                data = {"decision_type": decision, "decided_on": day.isoformat()}
            elif action == "file_suit":
                actor = centre.court_clerk
                litigations.append(self._litigation(dispute_id, centre, day, second=False))
                clocks.plan("lit_copy_to_agency", day, centre.court_id, str(litigations[-1]["id"]), at=at)
                data = {"filed_on": day.isoformat()}
            elif action == "receive_notice":
                actor = liaison
                lit = litigations[-1]
                lit.update(notice_received_on=day, answer_due=_add_days(day, 15))
                clocks.meet(("lit_copy_to_agency",), day, at)
                clocks.plan("lit_answer", day, respondent, str(lit["id"]), at=at)
                data = {"received_on": day.isoformat()}
            elif action == "file_answer":
                actor = liaison
                litigations[-1]["answered_on"] = day
                clocks.meet(("lit_answer",), day, at)
                data = {"answered_on": day.isoformat()}
            elif action == "hold_session":
                actor = centre.court_clerk
                litigations[-1]["session_at"] = _at(day, rng)
                data = {"session_at": litigations[-1]["session_at"].isoformat()}
            elif action == "record_outcome":
                actor = centre.court_clerk
                lit = litigations[-1]
                outcome = rng.choice(
                    ("judgment", "judgment", "judgment", "ruling", "withdrawal", "mediation")
                )
                lost = outcome == "judgment" and rng.random() < 0.3
                if any(a[0] == "file_loss_report" for a in plan.actions):
                    outcome, lost = "judgment", True
                duty = any(a[1] == "performance" for a in plan.actions[i:])
                perform_by = day + timedelta(days=rng.randint(30, 90)) if duty else None
                lit.update(outcome=outcome, decided_on=day, agency_lost=lost)
                dispute.update(agency_lost=lost, duty_to_perform=duty, perform_by=perform_by, performed_on=None,
                               loss_report_on=None, loss_report_summary="")  # fmt: skip
                clocks.cancel(("lit_copy_to_agency", "lit_answer"), at)
                if outcome in ("judgment", "ruling"):
                    appeal = "lit_appeal" if outcome == "judgment" else "lit_appeal_ruling"
                    clocks.plan(appeal, day, respondent, str(lit["id"]), at=at)
                if duty and perform_by:
                    clocks.plan("performance", day, respondent, at=at, due_on=perform_by)
                data = {"outcome": outcome, "decided_on": day.isoformat(), "agency_lost": lost}
            elif action == "appeal":
                actor = centre.court_clerk
                litigations[-1]["appealed_on"] = day
                clocks.meet(("lit_appeal", "lit_appeal_ruling"), day, at)
                upper = self._upper_court(centre)
                litigations.append(self._litigation(dispute_id, upper, day, second=True))
                data = {"appealed_on": day.isoformat()}
            elif action == "take_effect":
                if litigations and status == "lit_decided":
                    litigations[-1]["effective_on"] = day
                clocks.cancel(("lit_appeal", "lit_appeal_ruling"), at)
                if to_status == "closed":
                    closing = "judgment_effective" if status == "lit_decided" else "recon_decided"
                elif dispute["perform_by"] is None:  # performance without a date (a loss): a month
                    dispute["perform_by"] = day + timedelta(days=30)
                data = {"effective_on": day.isoformat()}
            elif action == "record_performance":
                actor = liaison
                dispute.update(performed_on=day, performance_note="已按决定履行")
                clocks.meet(("performance",), day, at)
                data = {"performed_on": day.isoformat()}
            elif action == "file_loss_report":
                actor = liaison
                dispute.update(loss_report_on=day, loss_report_summary="败诉原因分析及整改措施")
                data = {"submitted_on": day.isoformat()}
            elif action == "close":
                closing = "performed" if status == "performance" else "agreement_performed"
                clocks.cancel(None, at)
                data = {"closing_reason": closing}
            spool.add(
                "disputes_disputeevent",
                (dispute_id, action, status, to_status, actor, at, data.get("reason", ""),
                 json.dumps(data, ensure_ascii=False), "", ""),
            )  # fmt: skip
            status = to_status

        if status == "performance" and dispute["performed_on"] is None:
            # The decision's performance date decides whether the open case is late.
            low = max(self.today.toordinal() + 1, days[-1].toordinal() + 1)
            due = date.fromordinal(low + rng.randint(0, 60))
            if plan.overdue:
                due = max(date.fromordinal(self.today.toordinal() - rng.randint(1, 30)), days[-1])
            dispute.update(duty_to_perform=True, perform_by=due)
            for row in clocks.rows.values():
                if row["status"] == "open" and row["rule"] == self.rules["performance"][0]:
                    row.update(due_on=due, count_length=(due - row["starts_on"]).days)
            if not any(k[0] == "performance" for k in clocks.rows):
                clocks.plan("performance", days[-1], respondent, at=times[-1], due_on=due)
        if status == "closed":
            # The follow-up visit after a decision is paid after the case closes (the followups app).
            for (code_, _key), row in clocks.rows.items():
                if code_ == "followup_visit" and row["status"] == "open":
                    met = min(row["due_on"], self.today - timedelta(days=1))
                    row.update(status="met", met_on=met, updated=times[-1])
            dispute.update(closing_reason=closing or "other", closed_at=times[-1])

        parties = self._parties(dispute_id, centre, rng)
        search = _search_text(
            (number, "", act_summary, act_document_number, claims, facts, geo.org_names[respondent],
             *(" ".join((p[4], p[6])) for p in parties))
        )  # fmt: skip
        court = centre.court_id if source == "court_push" else None
        spool.add(
            "disputes_dispute",
            (
                dispute_id, number, plan.kind, year, sequence, centre.id, centre.region_id, source, received, consent,
                "", court, "", respondent, act_kind, act_date, act_document_number, act_summary, matter,
                rng.randrange(500, 500_000) if act_kind in ("penalty", "expropriation") else None, claims, facts,
                status, dispute["status_before_suspension"], times[-1], None, dispute["duty_to_perform"],
                dispute["perform_by"], dispute["performed_on"], dispute["performance_note"], dispute["agency_lost"],
                dispute["loss_report_on"], dispute["loss_report_summary"], dispute["closing_reason"],
                dispute["closing_note"], dispute["closed_at"], clerk, times[0], times[-1], search,
            ),
        )  # fmt: skip
        for party in parties:
            spool.add("disputes_party", party)
        if resolution is not None:
            r = resolution
            spool.add(
                "disputes_resolution",
                (
                    r["id"], dispute_id, r["opened_at"], r["accepted_on"], r["due_on"], r.get("agreement_terms", ""),
                    r.get("agreement_signed_on"), r.get("agreement_perform_by"), r.get("confirmation_court_id"),
                    r.get("confirmation_requested_on"), r.get("confirmation_result", ""), r.get("confirmed_on"),
                    r.get("confirmation_number", ""), "", r.get("failure_reason", ""), r.get("transfer_target", ""),
                    r.get("transfer_to_id"), r.get("transferred_on"), r.get("feedback_on"), r.get("feedback_note", ""),
                ),
            )  # fmt: skip
        if recon is not None:
            c = recon
            spool.add(
                "disputes_reconsideration",
                (
                    c["id"], dispute_id, c["accepted_on"], c["simplified"], None, c.get("reply_received_on"),
                    c.get("hearing_at"), c.get("hearing_place", ""), c.get("suspended_on"),
                    c.get("suspension_reason", ""), c.get("suspended_days", 0), 0, "", "", c.get("decision_type", ""),
                    c.get("decided_on"), c.get("decision_number", ""),
                ),
            )  # fmt: skip
        for lit in litigations:
            spool.add(
                "disputes_litigation",
                (
                    lit["id"], dispute_id, lit["court"], lit["number"], lit["level"], lit["filed_on"],
                    lit.get("notice_received_on"), lit.get("answer_due"), lit.get("answered_on"), lit.get("session_at"),
                    lit.get("outcome", ""), lit.get("decided_on"), lit.get("agency_lost"), lit.get("appealed_on"),
                    lit.get("effective_on"),
                ),
            )  # fmt: skip
        spool.add_lines("deadlines_deadline", clocks.lines(self.subject_type, dispute_id))

    def _recon(self, dispute_id: int, day: date, rng: random.Random) -> dict[str, Any]:
        self.recon_id += 1
        return {"id": self.recon_id, "accepted_on": day, "simplified": rng.random() < 0.1}

    def _recon_clocks(
        self, clocks: Clocks, recon: dict, centre: Centre, respondent: int, day: date, at: datetime
    ) -> None:
        simplified, key = recon["simplified"], str(recon["id"])
        clocks.plan(
            "recon_copy_simplified" if simplified else "recon_copy_to_respondent", day, centre.id, key, at=at
        )
        clocks.plan(
            "recon_reply_simplified" if simplified else "recon_reply", day, respondent, key, at=at,
            start_event="受理之日（被申请人收到副本之日未记录）",
        )  # fmt: skip
        clocks.plan(
            "recon_decision_simplified" if simplified else "recon_decision", day, centre.id, key, at=at
        )

    def _upper_court(self, centre: Centre) -> Centre:
        if centre.level == 3:
            return next(c for c in self.geo.centres if c.level == 2 and c.code[:4] == centre.code[:4])
        return next(c for c in self.geo.centres if c.level == 1)

    def _litigation(self, dispute_id: int, centre: Centre, day: date, *, second: bool) -> dict[str, Any]:
        self.litigation_id += 1
        return {
            "id": self.litigation_id, "court": centre.court_id, "filed_on": day,
            "number": self._court_number(centre.court_id, day.year, centre.code, second),
            "level": "second" if second else "first",
        }  # fmt: skip

    def _parties(self, dispute_id: int, centre: Centre, rng: random.Random) -> list[tuple]:
        county = self.geo.county_codes.get(centre.region_id, centre.code)
        town = rng.choice(TOWNS)
        place = centre.name[:-8] if centre.level == 1 else PROVINCE[1] + centre.name[:-8]
        address = f"{place}{town}镇{rng.choice(TOWNS)}村{rng.randint(1, 12)}组"
        parties: list[tuple] = []
        applicants = 1 if rng.random() < 0.8 else 2
        for _ in range(applicants):
            self.party_id += 1
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            if rng.random() < 0.12:
                name = f"{centre.short_name}{rng.choice(TOWNS)}{rng.choice(INDUSTRY)}有限公司"
                parties.append((self.party_id, dispute_id, "applicant", "legal_person", name, "", _uscc(rng, county),
                                _person_name(rng), phone, address, None, ""))  # fmt: skip
            else:
                parties.append((self.party_id, dispute_id, "applicant", "person", _person_name(rng),
                                _resident_id(rng, county), "", "", phone, address, None, ""))  # fmt: skip
        if rng.random() < 0.25:
            self.party_id += 1
            parties.append((self.party_id, dispute_id, "lawyer", "person", _person_name(rng), "", "", "", "", "",
                            parties[0][0], f"{PROVINCE[2]}{rng.choice(TOWNS)}律师事务所"))  # fmt: skip
        elif applicants == 1 and rng.random() < 0.15:
            self.party_id += 1
            parties.append((self.party_id, dispute_id, "third_party", "person", _person_name(rng),
                            _resident_id(rng, county), "", "", "", address, None, ""))  # fmt: skip
        return [_sealed(p) for p in parties]


def _sealed(party: tuple) -> tuple:
    """A party row as the application stores it: ID and phone numbers encrypted, their keyed hashes added
    (core.crypto; positions 5 and 8 of the row). Neither number enters the search text."""
    from core.crypto import blind_index, encrypt

    id_number, phone = party[5], party[8]
    return (*party[:5], encrypt(id_number), *party[6:8], encrypt(phone), *party[9:],
            blind_index(id_number), blind_index(phone))  # fmt: skip


RECON_STAGE = (
    "recon_copy_to_respondent", "recon_copy_simplified", "recon_reply", "recon_reply_simplified", "hearing_notice",
    "recon_decision", "recon_decision_simplified",
)  # fmt: skip


# --- steps: load the spooled tables, then the derived ones ------------------------------------------------


def _load(table: str) -> Step:
    def run(ctx: Context) -> int:
        path, columns = ctx.spooled[table]
        with path.open(encoding="utf-8") as handle:
            count = ctx.copy_text(table, columns, handle)
        path.unlink()
        return count

    return Step(table, run)


def step_deadline_changes(ctx: Context) -> int:
    """Each deadline's ``planned`` change, and the change that met, paused or cancelled it."""
    planned = ctx.execute(
        "INSERT INTO deadlines_deadlinechange (deadline_id, old_due_on, new_due_on, old_status, new_status, reason,"
        " note, actor_id, at) SELECT id, NULL, due_on, '', 'open', 'planned', '', NULL, created_at"
        " FROM deadlines_deadline"
    )
    ended = ctx.execute(
        "INSERT INTO deadlines_deadlinechange (deadline_id, old_due_on, new_due_on, old_status, new_status, reason,"
        " note, actor_id, at) SELECT id, due_on, due_on, 'open', status,"
        " CASE status WHEN 'paused' THEN 'suspension' ELSE status END, '', NULL, updated_at"
        " FROM deadlines_deadline WHERE status IN ('met', 'cancelled', 'paused')"
    )
    return planned + ended


def step_next_due_on(ctx: Context) -> int:
    """Each case's earliest last day among its open deadlines (``Dispute.next_due_on``), as the deadline
    services keep it (``disputes.case_deadlines.clocks_changed``)."""
    return ctx.execute(
        "UPDATE disputes_dispute d SET next_due_on = m.first"
        " FROM (SELECT subject_id, min(due_on) AS first FROM deadlines_deadline"
        "       WHERE status = 'open' AND subject_type_id ="
        "         (SELECT id FROM django_content_type WHERE app_label = 'disputes' AND model = 'dispute')"
        "       GROUP BY subject_id) m"
        " WHERE d.id = m.subject_id"
    )


# --- what the reports count beyond the cases: hearings, legal aid, follow-up visits (issue 14) -------------
# Derived from the cases' own timeline with INSERT … SELECT; the shares come from a hash of each row's id
# (stable for a seed and a size), close to what the seeds publish (heads at 99% of court sessions, …).


def _share(column: str, salt: int) -> str:
    """A number in [0, 100) fixed for the row: its id hashed with a salt."""
    return f"mod(abs(hashtext({column}::text || ':{salt}')), 100)"


def step_hearings(ctx: Context) -> int:
    """A reconsideration hearing for each case's ``schedule_hearing``, a court session for each
    ``hold_session``, held (a week after scheduling) when the case went on, a third of them must-attend."""
    return ctx.execute(
        "INSERT INTO hearings_hearing (dispute_id, kind, scheduled_by_event_id, scheduled_at, place, online_link,"
        " issues, procuratorate_invited, must_attend, must_attend_basis, must_attend_note, short_notice_reason,"
        " status, held_at, closed_reason, created_by_id, created_at)"
        " SELECT e.dispute_id, CASE e.action WHEN 'schedule_hearing' THEN 'recon_hearing' ELSE 'court_session' END,"
        f" e.id, e.at + interval '7 days', '', '', '', false, {_share('e.id', 1)} < 30, '', '', '', 'held',"
        " e.at + interval '7 days', '', e.actor_id, e.at"
        " FROM disputes_disputeevent e WHERE e.action IN ('schedule_hearing', 'hold_session')"
    )


def step_attendances(ctx: Context) -> int:
    """The attendance of each hearing: a principal head at 30%, a deputy at 69%, staff at 1% (heads at
    99% of them, as 周口 reported); one head in fifty did not speak."""
    share = _share("h.id", 2)
    return ctx.execute(
        "INSERT INTO hearings_attendance (hearing_id, attended, head_name, spoke, outcome, correction_reason,"
        " recorded_by_id, recorded_at)"
        f" SELECT h.id, CASE WHEN {share} < 30 THEN 'principal' WHEN {share} < 99 THEN 'deputy' ELSE 'staff' END,"
        f" '负责人', {_share('h.id', 3)} >= 2, '', '', h.created_by_id, h.held_at FROM hearings_hearing h"
    )


def step_legal_aid(ctx: Context) -> int:
    """One applicant in twelve screened and applying for legal aid (most eligible and granted, a few
    refused or waiting), nine in ten of the granted assigned one of a hundred roster lawyers."""
    lawyers = ctx.execute(
        "INSERT INTO legal_aid_lawyer (user_id, licence_number, expertise, capacity, is_active)"
        " SELECT id, '1420' || lpad(id::text, 13, '0'), '[]', 5, true FROM core_user ORDER BY id LIMIT 100"
    )
    applicants = f"SELECT p.id, p.dispute_id, d.received_on, d.registered_by_id, d.created_at FROM disputes_party p JOIN disputes_dispute d ON d.id = p.dispute_id WHERE p.role = 'applicant' AND {_share('p.id', 4)} < 8"  # noqa: E501
    screened = ctx.execute(
        'INSERT INTO legal_aid_screening (dispute_id, party_id, matter, situation, "group", group_proof,'
        " hardship_declared, computed, reasons, result, override_reason, screened_by_id, screened_at)"
        f" SELECT a.dispute_id, a.id, 'other', '', '', '', true,"
        f" CASE WHEN {_share('a.id', 5)} < 90 THEN 'eligible' ELSE 'not_eligible' END, '[]',"
        f" CASE WHEN {_share('a.id', 5)} < 90 THEN 'eligible' ELSE 'not_eligible' END, '', a.registered_by_id,"
        f" a.created_at FROM ({applicants}) a"
    )
    share = _share("a.id", 6)
    applications = ctx.execute(
        "INSERT INTO legal_aid_application (dispute_id, party_id, received_on, materials, provisional, status,"
        " decided_on, refusal_reasons, objection, end_reason, end_note, created_by_id, created_at)"
        f" SELECT a.dispute_id, a.id, a.received_on + 3, '[]', false,"
        f" CASE WHEN {_share('a.id', 5)} >= 90 THEN 'refused' WHEN {share} < 90 THEN 'assigned'"
        f" WHEN {share} < 95 THEN 'granted' ELSE 'received' END,"
        f" CASE WHEN {share} < 95 OR {_share('a.id', 5)} >= 90 THEN a.received_on + 8 END, '', '', '', '',"
        f" a.registered_by_id, a.created_at FROM ({applicants}) a"
    )
    assignments = ctx.execute(
        "INSERT INTO legal_aid_assignment (dispute_id, application_id, lawyer_id, proposal, assigned_on,"
        " assigned_by_id, end_note)"
        " SELECT a.dispute_id, a.id, (SELECT min(id) FROM legal_aid_lawyer) + a.id % 100, '[]',"
        " a.received_on + 9, a.created_by_id, '' FROM legal_aid_application a WHERE a.status = 'assigned'"
    )
    return lawyers + screened + applications + assignments


def step_visits(ctx: Context) -> int:
    """A follow-up visit for each reconsideration decision, due 30 days after it: done for 97% of those
    due, the rest still planned (missed) or not yet due."""
    return ctx.execute(
        "INSERT INTO followups_visit (dispute_id, decision_event_id, due_on, assigned_to_id, status, visited_on,"
        " method, reached, satisfaction, performed, remaining, attempt_note, recorded_at, created_at)"
        " SELECT e.dispute_id, e.id, (e.at + interval '30 days')::date, e.actor_id,"
        f" CASE WHEN (e.at + interval '30 days')::date <= %s AND {_share('e.id', 7)} < 97 THEN 'done' ELSE 'planned' END,"
        f" CASE WHEN (e.at + interval '30 days')::date <= %s AND {_share('e.id', 7)} < 97 THEN (e.at + interval '25 days')::date END,"
        " '', '', '', '', '', '', NULL, e.at FROM disputes_disputeevent e WHERE e.action = 'decide'",
        [ctx.today, ctx.today],
    )


def _history_columns(ctx: Context, table: str) -> list[str]:
    rows = ctx.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = current_schema()"
        " AND column_name NOT LIKE 'history%%' ORDER BY ordinal_position",
        [f"disputes_historical{table}"],
    )
    return [r[0] for r in rows]


def step_history(ctx: Context) -> int:
    """django-simple-history's rows: a ``+`` per record as created, and for a case that moved on a ``~``
    with its present values (the steps between are on the timeline)."""
    total = 0
    for table, created in (
        ("dispute", "created_at"),
        ("party", None),
        ("resolution", "opened_at"),
        ("reconsideration", None),
        ("litigation", None),
    ):
        columns = _history_columns(ctx, table)
        source = ", ".join(f"t.{c}" for c in columns)
        if table == "dispute":
            initial = ", ".join(
                {
                    "status": "'registered'", "status_changed_at": "t.created_at", "duty_to_perform": "false",
                    "perform_by": "NULL", "performed_on": "NULL", "agency_lost": "NULL", "loss_report_on": "NULL",
                    "closing_reason": "''", "closed_at": "NULL", "performance_note": "''",
                    "loss_report_summary": "''", "closing_note": "''", "status_before_suspension": "''",
                }.get(c, f"t.{c}")
                for c in columns
            )  # fmt: skip
            total += ctx.execute(
                f"INSERT INTO disputes_historicaldispute ({', '.join(columns)}, history_date, history_change_reason,"
                f" history_type, history_user_id) SELECT {initial}, t.created_at, NULL, '+', t.registered_by_id"
                " FROM disputes_dispute t ORDER BY t.id"
            )
            total += ctx.execute(
                f"INSERT INTO disputes_historicaldispute ({', '.join(columns)}, history_date, history_change_reason,"
                f" history_type, history_user_id) SELECT {source}, t.status_changed_at, NULL, '~', t.registered_by_id"
                " FROM disputes_dispute t WHERE t.status <> 'registered' ORDER BY t.id"
            )
            continue
        when = f"t.{created}" if created else "d.created_at"
        total += ctx.execute(
            f"INSERT INTO disputes_historical{table} ({', '.join(columns)}, history_date, history_change_reason,"
            f" history_type, history_user_id) SELECT {source}, {when}, NULL, '+', d.registered_by_id"
            f" FROM disputes_{table} t JOIN disputes_dispute d ON d.id = t.dispute_id ORDER BY t.id"
        )
    return total


def step_identities(ctx: Context) -> int:
    """Move each filled table's id sequence past the ids the load gave explicitly."""
    for table in FILLED:
        ctx.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1,"
            " false)"
        )
    for table in ("historicaldispute", "historicalparty", "historicalresolution", "historicalreconsideration",
                  "historicallitigation"):  # fmt: skip
        ctx.execute(
            f"SELECT setval(pg_get_serial_sequence('disputes_{table}', 'history_id'),"
            f" COALESCE((SELECT max(history_id) FROM disputes_{table}), 0) + 1, false)"
        )
    return 0


# Tables whose secondary indexes are dropped for the load (a big build) and built again after it.
INDEXED = [
    "disputes_dispute",
    "disputes_party",
    "disputes_disputeevent",
    "disputes_mediatorassignment",
    "disputes_resolution",
    "disputes_resolutionsession",
    "disputes_reconsideration",
    "disputes_litigation",
    "deadlines_deadline",
    "deadlines_deadlinechange",
    "disputes_historicaldispute",
    "disputes_historicalparty",
    "disputes_historicalresolution",
    "disputes_historicalreconsideration",
    "disputes_historicallitigation",
]


def step_drop_indexes(ctx: Context) -> int:
    if not ctx.big:
        return 0
    rows = ctx.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
        " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conname = i.indexname)",
        [INDEXED],
    )
    ctx.info["_indexes"] = [definition for _name, definition in rows]
    for name, _definition in rows:
        ctx.execute(f'DROP INDEX "{name}"')
    return 0


def step_create_indexes(ctx: Context) -> int:
    definitions = ctx.info.pop("_indexes", [])
    for definition in definitions:
        started = time.perf_counter()
        ctx.execute(definition)
        _log(f"    {definition[:100]}… {time.perf_counter() - started:.1f} s")
    return 0


def step_analyze(ctx: Context) -> int:
    """Statistics for the planner, and the visibility map index-only scans need: the steady state that
    autovacuum keeps in production, not the hours after a bulk load."""
    # A build inside a transaction (the tests') cannot vacuum; its few rows need no visibility map.
    command = "ANALYZE" if ctx.connection.in_atomic_block else "VACUUM (ANALYZE)"
    for table in FILLED:
        ctx.execute(f"{command} {table}")
    return 0


STEPS: list[Step] = [
    Step("reset", step_reset),
    Step("core_region", step_regions),
    Step("core_organisation", step_organisations),
    Step("core_user", step_users),
    Step("drop indexes", step_drop_indexes),
    Step("cases (plan and spool)", step_cases),
    *(_load(table) for table in TABLES),
    Step("deadlines_deadlinechange", step_deadline_changes),
    Step("disputes_dispute.next_due_on", step_next_due_on),
    Step("history (simple-history)", step_history),
    Step("hearings_hearing", step_hearings),
    Step("hearings_attendance", step_attendances),
    Step("legal_aid (roster, screenings, applications, assignments)", step_legal_aid),
    Step("followups_visit", step_visits),
    Step("identities", step_identities),
    Step("create indexes", step_create_indexes),
    Step("analyze", step_analyze),
]


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--rebuild", action="store_true", help="build even if the database holds this dataset"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.path.insert(0, str(ROOT))
        info = _child(args.cases, args.rebuild)
        print(json.dumps(asdict(info), ensure_ascii=False))
        return 0
    info = ensure_dataset(cases=args.cases, rebuild=args.rebuild)
    print(json.dumps(asdict(info), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
