"""The proposals benchmark runs at a tiny scale and reports the pages and the API with their query counts."""
import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

API_ROWS = ["api list newest", "api list most supported", "api list filtered", "api list mode + district",
            "api list page 50", "api list text search", "api list page_size 100", "api detail"]


def cells(out):
    """The rows of the table by name: between the header and the summary line."""
    lines = out.splitlines()
    header = next(number for number, line in enumerate(lines) if line.startswith("page "))
    return {line[:34].strip(): line[34:].split() for line in lines[header + 1:-1]}


def test_the_benchmark_reports_every_page_and_the_api_with_their_goals():
    out = io.StringIO()
    call_command("bench_pages", "--proposals", "1000", "--requests", "50", stdout=out)
    lines = cells(out.getvalue())
    assert lines["bare view /livez"][0] == "0" and lines["bare view /livez"][3] == "1.0"
    for label in ["list newest", *API_ROWS]:
        queries, median, p95, ratio, *goal = lines[label]
        assert 1 <= int(queries) <= 6 and float(median) > 0 and float(p95) >= float(median) * 0.5
    # The detail page's five queries, and the two statements around the proposal's (joins_as_written).
    queries, median, p95, ratio, *goal = lines["detail (3 comments)"]
    assert int(queries) == 7 and float(median) > 0 and float(p95) >= float(median) * 0.5
    for label in ["home", "home, signed in", "organisation page", "organisation page, signed in"]:
        queries, median, p95, ratio, *goal = lines[label]
        assert 1 <= int(queries) <= 20 and float(median) > 0
        assert " ".join(goal) in ("≤ 8 / ≤ 15: met", "≤ 8 / ≤ 15: MISSED"), label
    assert " ".join(lines["detail (200 comments), signed in"][4:]) in ("≤ 12: met", "≤ 12: MISSED")
    assert len(lines["my area /me/"]) == 4  # no goal
    for label in ["back office start (staff)", "back office start (all)"]:
        queries, median, p95, ratio, *goal = lines[label]
        assert 1 <= int(queries) <= 25 and float(median) > 0  # one grouped count per kind of work waiting
    for label in ["site search /search/", "site search, one kind"]:
        queries, median, p95, ratio, *goal = lines[label]
        assert 1 <= int(queries) <= 10 and float(median) > 0  # one query per kind of result, whatever matches
    assert "seeded 1000 proposals" in out.getvalue()
    missed = sum(line.endswith("MISSED") for line in out.getvalue().splitlines())
    assert out.getvalue().splitlines()[-1].startswith("every goal met" if not missed else f"{missed} goal(s) missed")


def test_only_the_rows_asked_for_are_measured():
    out = io.StringIO()
    call_command("bench_pages", "--proposals", "10", "--requests", "50", "--only", "list newest", stdout=out)
    assert set(cells(out.getvalue())) == {"bare view /livez", "list newest", "list newest, signed in",
                                        "api list newest"}


def test_too_few_requests_are_refused():
    with pytest.raises(CommandError):
        call_command("bench_pages", "--proposals", "1", "--requests", "10", stdout=io.StringIO())
