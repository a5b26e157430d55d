"""The budgets benchmark command works, at a tiny scale on the test database (its figures come from the command)."""
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from budgets.management.commands.bench_budgets import DOMAIN, PROCESS_SLUG, PREFIX
from budgets.models import Ballot, Entry, Phase, Pick, Process
from notifications.models import Activity
from proposals.models import Implementation, Proposal
from stakeholders.models import User

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the benchmark seeds with PostgreSQL (set DATABASE_URL)")

NUMBER = r"\d+(?:\.\d+)?"


def bench(*args):
    out = io.StringIO()
    call_command("bench_budgets", "--proposals", "20", "--ballots", "50", *args, stdout=out)
    return out.getvalue()


def row(output, label):
    """The cells of the report's row that starts with ``label``."""
    line = next((line for line in output.splitlines() if line.startswith(label)), None)
    assert line is not None, f"no line {label!r} in:\n{output}"
    return line[len(label):].split()


def assert_counters_equal_rows():
    process = Process.objects.get(slug=PROCESS_SLUG)
    confirmed = Q(picks__ballot__status=Ballot.Status.CONFIRMED)
    entries = process.entries.annotate(counted=Count("picks", filter=confirmed))
    assert process.ballot_count == process.ballots.filter(status=Ballot.Status.CONFIRMED).count() == 50
    assert process.proposal_count == entries.count() == 20
    assert all(entry.vote_count == entry.counted for entry in entries)
    for ballot in process.ballots.prefetch_related("picks"):
        assert 1 <= len(ballot.picks.all()) <= 7
        assert ballot.total == sum(pick.cost for pick in ballot.picks.all()) <= ballot.budget
    return process


@pytest.mark.django_db
def test_prints_the_figures_with_goals_and_leaves_the_data_consistent_and_unpublished():
    output = bench("--requests", "50", "--runs", "2")

    assert "seeded in" in output
    assert re.search(r"20 feasible proposals; 50 confirmed ballots with \d+ picks \(\d\.\d\d per ballot\), 2 drafts",
                     output)
    assert row(output, "kept counters:")[-1] == "consistent"
    # results: queries, median, min, max and the goal
    queries, median, low, high, *goal = row(output, "results_compute, 2 runs")
    assert int(queries) <= 2 and float(low) <= float(median) <= float(high)
    assert " ".join(goal) in ("< 2000 ms: met", "< 2000 ms: MISSED")
    queries, elapsed, *goal = row(output, "results_publish, once, rolled back")
    assert int(queries) > 0 and float(elapsed) > 0 and goal == ["(no", "goal)"]
    assert re.search(r"funded: (\d+) of 20 proposals \(\1 marked by publishing\)", output)
    assert "publishing notified 52 participants" in output  # 50 + 2 drafts; authors of proposals voted too
    # pages: queries, median, p95, x baseline and the goal
    assert row(output, "bare view /livez")[0] == "0"
    for label, goal_ms in (("ballot, no ballot yet", 10), ("ballot, draft of 3 picks", 10),
                           ("ballot, confirmed 5 picks", 10), ("results page (anonymous)", 30),
                           ("results page (confirmed voter)", 30)):
        queries, median, p95, times, *goal = row(output, label)
        assert all(re.fullmatch(NUMBER, cell) for cell in (queries, median, p95, times)), label
        assert " ".join(goal) in (f"≤ {goal_ms}: met", f"≤ {goal_ms}: MISSED"), label
    assert len(row(output, "results CSV")) == 4  # no goal

    process = assert_counters_equal_rows()
    # publishing and the results phase were rolled back
    assert process.phase == Phase.VOTING and process.results_published_at is None
    assert not Entry.objects.filter(process=process, is_funded=True).exists()
    assert not Implementation.objects.exists()
    assert not Activity.objects.filter(verb="budget.results_published").exists()
    assert not Proposal.objects.filter(title__startswith=PREFIX).exclude(status=Proposal.Status.PUBLISHED).exists()


@pytest.mark.django_db
def test_reuses_data_of_the_asked_size_and_reseeds_on_request_or_at_another_size():
    first = bench("--skip-pages", "--runs", "1")
    picks = set(Pick.objects.values_list("ballot__user__email", "entry__proposal__title"))
    assert "seeded in" in first and "bare view /livez" not in first

    again = bench("--skip-pages", "--runs", "1")
    assert "seeded in" not in again
    assert set(Pick.objects.values_list("ballot__user__email", "entry__proposal__title")) == picks

    reseeded = bench("--skip-pages", "--runs", "1", "--reseed")
    assert "seeded in" in reseeded
    # the same people pick the same proposals every time
    assert set(Pick.objects.values_list("ballot__user__email", "entry__proposal__title")) == picks
    assert_counters_equal_rows()
    # 49 confirmed and one draft seeded set-based, three people for the pages, one staff member
    assert User.objects.filter(email__endswith=DOMAIN).count() == 49 + 1 + 3 + 1

    out = io.StringIO()
    call_command("bench_budgets", "--proposals", "12", "--ballots", "30", "--skip-pages", "--runs", "1", stdout=out)
    assert "12 feasible proposals; 30 confirmed ballots" in out.getvalue()
    assert Process.objects.filter(slug=PROCESS_SLUG).count() == 1
    assert Proposal.objects.filter(title__startswith=PREFIX).count() == 12


@pytest.mark.django_db
def test_refuses_sqlite_and_too_few_requests(monkeypatch):
    with pytest.raises(CommandError, match="Use at least 50 requests per page"):
        bench("--requests", "10")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        bench()
    assert not User.objects.filter(email__endswith=DOMAIN).exists()
