"""The benchmarks' SQL names tables and columns through the models, so a renamed one fails loudly."""
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from coproduction.benchmark import PageTable, Table
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
def test_the_page_table_sets_each_median_against_the_first_row(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    table = PageTable(3, width=12)

    assert table.header(goal=True).split() == ["page", "queries", "median", "ms", "p95", "ms", "x", "baseline", "goal"]
    baseline = table.row("baseline", "/healthz").split()
    assert baseline[0] == "baseline" and baseline[-1] == "1.0"
    judged = table.row("again", "/healthz", verdict=lambda median: "judged").split()
    assert judged[0] == "again" and judged[-1] == "judged" and len(judged) == 6
    assert "testserver" in settings.ALLOWED_HOSTS
