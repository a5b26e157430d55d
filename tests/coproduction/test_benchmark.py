"""The benchmarks' SQL names tables and columns through the models, so a renamed one fails loudly."""
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from coproduction.benchmark import BARE_VIEW, PageTable, Table
from proposals.models import Proposal
from volunteering.models import Task


def quoted(name):
    return connection.ops.quote_name(name)


def test_a_table_names_its_table_and_the_columns_of_its_fields():
    proposal = Table(Proposal)

    assert str(proposal) == f"{proposal}" == quoted("proposals_proposal")
    assert proposal.title == quoted("title")
    assert proposal.organisation == proposal.organisation_id == quoted("organisation_id")
    assert proposal.columns("author", "status") == f"{quoted('author_id')}, {quoted('status')}"
    skills = Table(Task.skills.through)
    assert (str(skills), skills.task, skills.skill) == (quoted("volunteering_task_skills"), quoted("task_id"),
                                                        quoted("skill_id"))


def test_a_field_the_model_does_not_have_fails_at_once():
    with pytest.raises(FieldDoesNotExist):
        Table(Proposal).titel  # noqa: B018 - the lookup is what fails
    with pytest.raises(FieldDoesNotExist):
        Table(Proposal).columns("title", "supporters_count")
    with pytest.raises(AttributeError):
        Table(Proposal).supports  # noqa: B018 - a reverse relation has no column


@pytest.mark.django_db
def test_the_page_table_sets_each_median_against_the_bare_view_and_judges_the_goals(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    table = PageTable(3, width=12)

    assert table.header().split() == ["page", "queries", "median", "ms", "p95", "ms", "x", "bare", "goal",
                                      "(median", "/", "p95", "ms)"]
    bare = table.row(*BARE_VIEW).split()
    assert bare[:3] == ["bare", "view", "/livez"] and bare[3] == "0" and bare[-1] == "1.0"
    met = table.row("easy", "/livez", goal=(60_000, 60_000)).split()
    assert met[0] == "easy" and met[-3:] == ["≤", "60000:", "met"]
    missed = table.row("hard", "/healthz", goal=(0, None)).split()
    assert missed[-1] == "MISSED" and missed[1] == "1"  # /healthz asks the database once
    assert table.summary() == "1 goal(s) missed: hard"
    assert "testserver" in settings.ALLOWED_HOSTS


@pytest.mark.django_db
def test_only_some_rows_are_measured_after_the_bare_view(settings):
    table = PageTable(3, width=12, only="list")
    assert table.row(*BARE_VIEW) is not None
    assert table.row("home", "/livez") is None
    assert table.row("list", "/livez").startswith("list")
