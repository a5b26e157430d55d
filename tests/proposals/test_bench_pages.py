"""The proposals benchmark runs at a tiny scale and reports the pages and the API with their query counts."""
import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

API_ROWS = ["api list newest", "api list most supported", "api list filtered", "api list mode + district",
            "api list page 50", "api list text search", "api list page_size 100", "api detail"]


def test_the_benchmark_reports_every_page_and_the_api():
    out = io.StringIO()
    call_command("bench_pages", "--proposals", "1000", "--requests", "50", stdout=out)
    lines = {line[:26].strip(): line[26:].split() for line in out.getvalue().splitlines()[2:]}
    for label in ["baseline /healthz", "list newest", "detail (3 comments)", *API_ROWS]:
        queries, median, p95, ratio = lines[label]
        assert 1 <= int(queries) <= 6 and float(median) > 0 and float(p95) >= float(median) * 0.5
    for label in ["home (visitor)", "home (signed in)", "my area /me/", "organisation page"]:
        queries, median, p95, ratio = lines[label]
        assert 1 <= int(queries) <= 20 and float(median) > 0
    for label in ["back office start (staff)", "back office start (all)"]:
        queries, median, p95, ratio = lines[label]
        assert 1 <= int(queries) <= 25 and float(median) > 0  # one grouped count per kind of work waiting
    for label in ["site search /search/", "site search, one kind"]:
        queries, median, p95, ratio = lines[label]
        assert 1 <= int(queries) <= 10 and float(median) > 0  # one query per kind of result, whatever matches
    assert "seeded 1000 proposals" in out.getvalue()


def test_too_few_requests_are_refused():
    with pytest.raises(CommandError):
        call_command("bench_pages", "--proposals", "1", "--requests", "10", stdout=io.StringIO())
