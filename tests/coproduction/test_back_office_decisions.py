"""One-click decisions on an object's own back-office page: hide or dismiss a report, answer a proposal,
approve or decline a request to join, publish a task in the same save that creates it."""
from datetime import timedelta

import pytest

from proposals.models import Proposal, Report, StatusChange
from stakeholders.models import Membership
from tests.proposals.factories import CommentFactory, ProposalFactory, ReportFactory
from tests.stakeholders.factories import MembershipFactory
from tests.volunteering.factories import TaskFactory, hours_from_now
from tests.volunteering.test_admin import task_form
from volunteering.models import Task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def decide(client, model, obj, name, **data):
    app = {"report": "proposals", "comment": "proposals", "proposal": "proposals", "membership": "stakeholders"}[model]
    return client.post(f"/admin/{app}/{model}/{obj.pk}/decide/{name}/", data)


# Reports --------------------------------------------------------------------------------------

def test_a_reported_comment_is_hidden_with_a_reason_from_its_page(client, staff, organisation):
    proposal = ProposalFactory(organisation=organisation)
    comment = CommentFactory(proposal=proposal)
    first, second = ReportFactory(proposal=proposal, comment=comment), ReportFactory(proposal=proposal, comment=comment)
    client.force_login(staff)
    page = client.get(f"/admin/proposals/comment/{comment.pk}/change/").text
    assert 'data-decision="hide"' in page and "Reported 2 times" in page
    response = decide(client, "comment", comment, "hide", reason="Beleidigt eine Nachbarin.")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Beleidigt eine Nachbarin."
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.HIDDEN}
    assert 'data-decision="hide"' not in client.get(f"/admin/proposals/comment/{comment.pk}/change/").text
    assert {first.pk, second.pk} == set(Report.objects.filter(decided_by=staff).values_list("pk", flat=True))


def test_a_report_is_dismissed_from_its_own_page_and_staff_go_on_to_the_queue(client, staff, organisation):
    report = ReportFactory(proposal=ProposalFactory(organisation=organisation))
    client.force_login(staff)
    assert 'data-decision="dismiss"' in client.get(f"/admin/proposals/report/{report.pk}/change/").text
    response = decide(client, "report", report, "dismiss")
    assert response.url == "/admin/proposals/report/"
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED and not report.proposal.is_hidden


def test_hiding_needs_a_reason_and_changes_nothing_without_one(client, staff, organisation):
    report = ReportFactory(proposal=ProposalFactory(organisation=organisation))
    client.force_login(staff)
    response = decide(client, "report", report, "hide", reason="   ")
    assert response.url == f"/admin/proposals/report/{report.pk}/change/"
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN and not report.proposal.is_hidden
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Reason for hiding" in m for m in messages)


def test_a_report_decided_meanwhile_is_not_decided_twice(client, staff, organisation):
    report = ReportFactory(proposal=ProposalFactory(organisation=organisation))
    client.force_login(staff)
    decide(client, "report", report, "dismiss")
    assert decide(client, "report", report, "hide", reason="Zu spät").status_code == 404
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED and not report.proposal.is_hidden


def test_a_decision_must_be_posted(client, staff, organisation):
    report = ReportFactory(proposal=ProposalFactory(organisation=organisation))
    client.force_login(staff)
    assert client.get(f"/admin/proposals/report/{report.pk}/decide/dismiss/").status_code == 405
    assert decide(client, "report", report, "burn").status_code == 404


# Proposals ------------------------------------------------------------------------------------

def test_a_proposal_is_answered_with_status_and_response_in_one_form(client, staff, organisation):
    proposal = ProposalFactory(organisation=organisation)
    client.force_login(staff)
    page = client.get(f"/admin/proposals/proposal/{proposal.pk}/change/").text
    assert 'data-decision="answer"' in page and "Waiting for a first answer for 0 days." in page
    response = decide(client, "proposal", proposal, "answer", to_status="accepted",
                      response="Wir setzen das im Frühjahr um.")
    assert response.url == "/admin/"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert StatusChange.objects.get(proposal=proposal).response == "Wir setzen das im Frühjahr um."


@pytest.mark.parametrize("data", [
    {"to_status": "accepted", "response": ""},
    {"to_status": "published", "response": "Zurück"},
    {"to_status": "completed", "response": "Sprung"},
    {"response": "Ohne Status"},
])
def test_a_bad_answer_changes_nothing(client, staff, organisation, data):
    proposal = ProposalFactory(organisation=organisation)
    client.force_login(staff)
    assert decide(client, "proposal", proposal, "answer", **data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED and not StatusChange.objects.exists()


# Memberships ----------------------------------------------------------------------------------

def test_a_request_to_join_is_approved_or_declined_on_its_page(client, staff, organisation):
    asking = MembershipFactory(organisation=organisation, status=Membership.Status.REQUESTED)
    other = MembershipFactory(organisation=organisation, status=Membership.Status.REQUESTED)
    client.force_login(staff)
    assert 'data-decision="approve"' in client.get(f"/admin/stakeholders/membership/{asking.pk}/change/").text
    assert decide(client, "membership", asking, "approve").url == "/admin/"
    assert decide(client, "membership", other, "decline").status_code == 302
    asking.refresh_from_db()
    other.refresh_from_db()
    assert (asking.status, asking.decided_by, other.status) == ("approved", staff, "declined")
    assert decide(client, "membership", other, "approve").status_code == 404  # decided already
    other.refresh_from_db()
    assert other.status == "declined"


# Who may not ----------------------------------------------------------------------------------

def foreign_objects(organisation):
    proposal = ProposalFactory(organisation=organisation)
    comment = CommentFactory(proposal=proposal)
    ReportFactory(proposal=proposal, comment=comment)
    return [
        ("proposal", proposal, "answer", {"to_status": "accepted", "response": "Fremd"}),
        ("report", ReportFactory(proposal=proposal), "hide", {"reason": "Fremd"}),
        ("comment", comment, "hide", {"reason": "Fremd"}),
        ("membership", MembershipFactory(organisation=organisation, status="requested", role="staff"), "approve", {}),
    ]


def unchanged(organisation):
    return (Report.objects.filter(status="open").count() == 2 and not StatusChange.objects.exists()
            and not Proposal.objects.filter(is_hidden=True).exists()
            and Membership.objects.get(organisation=organisation, role="staff").status == "requested")


def test_staff_of_another_organisation_may_not_decide(client, other_staff, organisation):
    client.force_login(other_staff)
    for model, obj, name, data in foreign_objects(organisation):
        assert decide(client, model, obj, name, **data).status_code == 404, model
    assert unchanged(organisation)


@pytest.mark.parametrize("role", ["volunteer", "citizen", None])
def test_members_and_visitors_may_not_decide(client, organisation, role):
    objects = foreign_objects(organisation)
    if role:
        client.force_login(MembershipFactory(organisation=organisation, role=role).user)
    for model, obj, name, data in objects:
        response = decide(client, model, obj, name, **data)
        assert response.status_code == 302 and "/login/" in response.url, model
    assert unchanged(organisation)


def test_an_operator_may_decide_everywhere(client, superuser, organisation):
    client.force_login(superuser)
    for model, obj, name, data in foreign_objects(organisation):
        assert decide(client, model, obj, name, **data).status_code == 302, model
    assert StatusChange.objects.exists() and Membership.objects.filter(status="approved").count() >= 1


# Tasks ----------------------------------------------------------------------------------------

def test_a_task_with_two_shifts_is_published_in_one_save(client, staff, organisation):
    client.force_login(staff)
    page = client.get("/admin/volunteering/task/add/").text
    assert 'name="_publish"' in page and "Save as draft" in page
    starts = hours_from_now(48).replace(second=0, microsecond=0)
    data = task_form(organisation, (starts, starts + timedelta(hours=2), 4),
                     (starts + timedelta(days=1), starts + timedelta(days=1, hours=2), 3), _publish="1")
    response = client.post("/admin/volunteering/task/add/", data, follow=True)
    task = Task.objects.get()
    assert task.status == Task.Status.PUBLISHED and task.published_at is not None
    assert task.shifts.count() == 2
    assert "is published: volunteers can now find it" in response.text


def test_saving_as_draft_says_it_is_not_public(client, staff, organisation):
    client.force_login(staff)
    starts = hours_from_now(48).replace(second=0, microsecond=0)
    response = client.post("/admin/volunteering/task/add/",
                           task_form(organisation, (starts, starts + timedelta(hours=2), 4), _save="1"), follow=True)
    assert Task.objects.get().status == Task.Status.DRAFT
    assert "is saved as a draft and not public yet" in response.text
    listing = client.get("/admin/volunteering/task/").text
    assert 'alt="False"' in listing  # the “public” column


def test_a_published_task_offers_no_publish_button(client, staff, organisation):
    task = TaskFactory(organisation=organisation)
    client.force_login(staff)
    assert 'name="_publish"' not in client.get(f"/admin/volunteering/task/{task.pk}/change/").text


def test_a_bad_shift_publishes_nothing(client, staff, organisation):
    client.force_login(staff)
    starts = hours_from_now(-5)
    response = client.post("/admin/volunteering/task/add/",
                           task_form(organisation, (starts, starts + timedelta(hours=2), 4), _publish="1"))
    assert response.status_code == 200 and not Task.objects.exists()


def test_every_input_of_the_shift_table_has_a_name(client, staff):
    client.force_login(staff)
    page = client.get("/admin/volunteering/task/add/").text
    assert 'aria-label="Starts (date), shift 1"' in page and 'aria-label="Starts (time), shift 1"' in page
    assert 'aria-label="Places, shift 1"' in page
