"""The HTTP benchmark's arithmetic (bench/bench_http.py), without a server: the access log's lines and
the nearest-rank p95."""

import math

from bench.bench_http import ACCESS_LOG_FORMAT, Logged, p95, page_figures, parse_access_log


def test_p95_is_the_nearest_rank():
    assert p95(range(1, 101)) == 95
    assert p95([3.0, 1.0, 2.0]) == 3.0  # ceil(2.85) = 3rd of 3
    assert p95([7.5]) == 7.5
    assert p95(range(1, 21)) == 19  # ceil(19.0): the 19th of 20
    assert math.isnan(p95([]))


def test_the_access_log_gives_status_milliseconds_page_and_user():
    assert ACCESS_LOG_FORMAT.startswith("%(s)s %(D)s %({x-bench-page}i)s %({x-bench-user}i)s ")
    lines = [
        '200 183456 case_list clerk "GET /disputes/ HTTP/1.1"',
        '302 2100 export province "GET /disputes/export.xlsx?stage=open HTTP/1.1"',
        '200 900 - - "GET /healthz HTTP/1.1"',  # no benchmark headers: not counted
        '200 900 warm-up liaison "GET / HTTP/1.1"',
        "garbage",
    ]
    assert parse_access_log(lines) == [
        Logged(status=200, ms=183.456, page="case_list", user="clerk"),
        Logged(status=302, ms=2.1, page="export", user="province"),
    ]


def test_page_figures_count_successful_answers_of_every_user():
    logged = [
        Logged(200, float(ms), "home", user)
        for ms, user in zip(range(1, 21), ["clerk", "province"] * 10, strict=True)
    ]
    logged.append(Logged(500, 99_999.0, "home", "clerk"))  # an error is counted apart, not timed
    figures, notes = page_figures(logged, ["home"])
    assert figures == {"home_p95_ms": 19.0}
    assert "home clerk: p95 19.0 ms, median 10.0 ms, 10 answers" in notes
    assert "home liaison: p95 nan ms, median nan ms, 0 answers" in notes
