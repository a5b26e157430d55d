"""The demo tells a story of the last months: spread dates in order, activity on most proposals,
counters that agree with the rows, an account for every role named in the README, and a second
run of seed_demo that changes nothing.

The demo is seeded once per clock time (in a transaction rolled back at the end), since seeding
takes seconds; each test only reads. Its story is told backwards from the moment of seeding, so the
module seeds it at the hours where the day's edges are nearest: just after midnight, when today's
morning still lies ahead, and early in the morning, before the waking hours begin.
"""
import re
from datetime import datetime, time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from budgets.models import Ballot, Entry, Phase, Pick, Process
from notifications.models import Activity, Notification
from proposals.models import Comment, Implementation, ImplementationUpdate, Pledge, Proposal, StatusChange, Support
from stakeholders.demo import DEMO_PASSWORD, HANS, LINDENHOF
from stakeholders.models import Membership, User
from volunteering.models import Certificate, Shift, SignUp
from wiki.models import Page, Revision, Space

S = Proposal.Status
README = Path(settings.BASE_DIR) / "README.md"


@pytest.fixture(scope="module", params=[time(0, 20), time(5, 40)], ids=lambda clock: clock.strftime("%H:%M"))
def demo(request, django_db_setup, django_db_blocker):
    seeded_at = timezone.make_aware(datetime.combine(timezone.localdate(), request.param))
    with time_machine.travel(seeded_at, tick=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield timezone.now()
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


def public_proposals():
    return Proposal.objects.published()


def readme_accounts():
    """[(role, email, password)] of the demo accounts table in the README."""
    rows = re.findall(r"^\| ([^|]+?) \| `([^`]+@demo\.example)` \| `([^`]+)` \|", README.read_text(), re.MULTILINE)
    assert len(rows) >= 6, "the README lists the demo accounts in a table"
    return rows


def test_proposals_were_written_over_months_and_nothing_lies_in_the_future(db, demo):
    created = list(Proposal.objects.values_list("created_at", flat=True))
    assert max(created) - min(created) >= timezone.timedelta(days=90)
    assert max(created) - min(created) <= timezone.timedelta(days=550)  # the oldest: last year's budget
    for model, field in [(Proposal, "created_at"), (Proposal, "published_at"), (Proposal, "last_activity_at"),
                         (Comment, "created_at"), (Support, "created_at"), (Pledge, "created_at"),
                         (StatusChange, "created_at"), (ImplementationUpdate, "created_at"),
                         (Activity, "created_at"), (Notification, "created_at"), (Revision, "created_at"),
                         (Page, "last_edited_at"), (SignUp, "created_at"), (Ballot, "confirmed_at"),
                         (Entry, "created_at"), (Certificate, "issued_at"), (Process, "created_at"),
                         (Process, "results_published_at")]:
        assert not model.objects.filter(**{f"{field}__gt": demo}).exists(), f"{model.__name__}.{field}"
    # What may lie ahead: shifts and the phases of budgets.
    assert Shift.objects.filter(starts_at__gt=demo).exists() and Shift.objects.filter(ends_at__lt=demo).exists()
    assert Process.objects.filter(results_starts__gt=demo).exists()


def test_things_happened_on_many_different_days(db):
    days = {timezone.localtime(moment).date() for moment in Activity.objects.values_list("created_at", flat=True)}
    assert len(days) >= 60
    edited = {timezone.localtime(moment).date() for moment in Page.objects.values_list("last_edited_at", flat=True)}
    assert len(edited) >= 8


def test_comments_come_after_their_proposal_and_replies_after_what_they_answer(db):
    assert Comment.objects.count() >= 50
    assert not Comment.objects.filter(created_at__lt=F("proposal__created_at")).exists()
    assert not Comment.objects.filter(parent__isnull=False, created_at__lte=F("parent__created_at")).exists()
    assert not Support.objects.filter(created_at__lt=F("proposal__created_at")).exists()
    assert not Pledge.objects.filter(created_at__lt=F("proposal__created_at")).exists()


def test_status_histories_and_progress_updates_are_in_order(db):
    for proposal in Proposal.objects.exclude(status__in=[S.DRAFT, S.PUBLISHED]):
        moments = [proposal.created_at, *proposal.status_changes.values_list("created_at", flat=True)]
        assert moments == sorted(moments) and len(set(moments)) == len(moments), proposal.title
        steps = list(proposal.status_changes.values_list("from_status", "to_status"))
        assert all(steps[n][1] == steps[n + 1][0] for n in range(len(steps) - 1)), proposal.title
    for update in ImplementationUpdate.objects.select_related("implementation__proposal"):
        accepted = update.implementation.proposal.status_changes.filter(to_status=S.ACCEPTED).get()
        assert update.created_at > accepted.created_at


def test_implementations_and_proposals_agree(db):
    expected = {S.ACCEPTED: {"planned", "in_progress"}, S.IN_DELIVERY: {"in_progress"}, S.COMPLETED: {"completed"}}
    for implementation in Implementation.objects.select_related("proposal"):
        assert implementation.status in expected[implementation.proposal.status], implementation.proposal.title
        if implementation.status == "completed":
            assert implementation.progress == 100 and implementation.completed_at is not None
    for proposal in Proposal.objects.filter(status__in=[S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED]):
        assert Implementation.objects.filter(proposal=proposal).exists(), proposal.title
    assert Implementation.objects.filter(status="completed").count() >= 3
    assert Implementation.objects.filter(status="in_progress", progress__gt=0, progress__lt=100).count() >= 2


def test_most_proposals_have_support_a_few_much_and_new_ones_none(db):
    proposals = public_proposals()
    supported = proposals.filter(support_count__gte=1).count()
    assert supported / proposals.count() >= 0.7
    assert proposals.filter(support_count__gte=15).count() >= 2
    assert proposals.filter(comment_count__gte=3).count() >= 8
    assert proposals.filter(pledge_count__gte=2).count() >= 6
    new = proposals.filter(created_at__gte=timezone.now() - timezone.timedelta(days=3))
    assert new.filter(support_count=0).exists()
    assert set(Pledge.objects.values_list("kind", flat=True)) == set(Pledge.Kind.values)


def test_kept_counters_equal_the_rows(db):
    for proposal in Proposal.objects.annotate(
            supports_n=Count("supports", distinct=True), comments_n=Count("comments", distinct=True),
            pledges_n=Count("pledges", distinct=True)):
        assert (proposal.support_count, proposal.comment_count, proposal.pledge_count) == (
            proposal.supports_n, proposal.comments_n, proposal.pledges_n), proposal.title
    for process in Process.objects.annotate(
            confirmed=Count("ballots", filter=Q(ballots__status=Ballot.Status.CONFIRMED), distinct=True),
            entries_n=Count("entries", distinct=True)):
        assert (process.ballot_count, process.proposal_count) == (process.confirmed, process.entries_n)
    for entry in Entry.objects.annotate(votes=Count("picks", filter=Q(picks__ballot__status="confirmed"))):
        assert entry.vote_count == entry.votes
    for implementation in Implementation.objects.annotate(updates_n=Count("updates", distinct=True),
                                                          evaluations_n=Count("evaluations", distinct=True)):
        assert (implementation.update_count, implementation.evaluation_count) == (
            implementation.updates_n, implementation.evaluations_n)
    for shift in Shift.objects.all():
        statuses = list(shift.sign_ups.values_list("status", flat=True))
        assert (shift.confirmed_count, shift.waitlist_count) == (statuses.count("confirmed"),
                                                                 statuses.count("waitlisted"))
    for space in Space.objects.all():
        assert space.page_count == space.pages.count()
    for user in User.objects.all():
        assert user.unread_notifications == user.notifications.filter(read_at__isnull=True).count(), user.email


def test_notifications_have_the_moment_of_what_they_tell_and_older_ones_were_read(db):
    assert not Notification.objects.exclude(created_at=F("activity__created_at")).exists()
    old = Notification.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=10))
    assert old.exists() and not old.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()  # the header shows something new
    assert not Notification.objects.filter(read_at__lt=F("created_at")).exists()


def test_budget_titles_carry_the_year_of_their_vote(db):
    for process in Process.objects.all():
        year = re.search(r"\b(20\d\d)\b", process.title)
        assert year and int(year.group(1)) == timezone.localtime(process.voting_starts).year, process.title
        assert process.phase_due() == process.phase, process.title
    now = timezone.now()
    finished = Process.objects.get(phase=Phase.IMPLEMENTATION)
    assert finished.title == f"Nachbarschaftsfonds {timezone.localdate().year - 1}"
    assert finished.results_published_at == finished.results_starts
    assert finished.entries.filter(is_funded=True, proposal__implementation__progress__gt=0).count() >= 2
    voting = Process.objects.get(phase=Phase.VOTING)
    assert now + timezone.timedelta(days=5) < voting.results_starts < now + timezone.timedelta(days=15)
    assert voting.ballot_count >= 10
    collecting = Process.objects.get(phase=Phase.COLLECTING)
    assert collecting.collecting_starts < now < collecting.review_starts and collecting.proposal_count
    for process in Process.objects.all():
        assert not process.entries.filter(created_at__lt=process.collecting_starts).exists(), process.title
        assert not process.entries.filter(created_at__gt=process.review_starts).exists(), process.title
        assert not process.ballots.filter(created_at__lt=process.voting_starts).exists(), process.title
        assert not process.ballots.filter(confirmed_at__gt=process.results_starts).exists(), process.title


def test_every_account_in_the_readme_exists_with_its_role_and_signs_in(client):
    roles = {"citizen": "citizen", "client": "client", "volunteer": "volunteer", "staff": "staff",
             "organisation admin": "staff"}
    for role, email, password in readme_accounts():
        assert password == DEMO_PASSWORD
        person = User.objects.get(email=email)
        if role.startswith("platform admin"):
            assert person.is_superuser and person.is_staff
        else:
            wanted = next(value for key, value in roles.items() if role.startswith(key))
            assert Membership.objects.approved().filter(user=person, role=wanted).exists(), role
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        assert client.session["_auth_user_id"] == str(person.pk)


def test_the_citizen_of_the_readme_can_still_vote_in_the_budget_open_now(db):
    from budgets.models import Ballot, Phase, Process

    voting = Process.objects.get(phase=Phase.VOTING)
    assert Ballot.objects.filter(process=voting).count() >= 10  # others have voted already
    assert not Ballot.objects.filter(process=voting, user__email="aylin.demir@demo.example").exists()


def test_organisations_and_some_proposals_and_tasks_show_described_pictures(db):
    from django.core.files.storage import default_storage

    from stakeholders.models import Organisation
    from volunteering.models import Task

    organisations = list(Organisation.objects.with_pictures())
    assert organisations and all(o.logo and o.cover for o in organisations)
    pictures = [*(o.logo for o in organisations), *(o.cover for o in organisations),
                *(p.image for p in Proposal.objects.filter(image__isnull=False).select_related("image")),
                *(t.image for t in Task.objects.filter(image__isnull=False).select_related("image"))]
    assert len(pictures) >= 2 * len(organisations) + 4
    for picture in pictures:
        assert len(picture.alt) > 15 and all(default_storage.exists(name) for name in picture.names)


def test_the_volunteer_has_done_shifts_with_hours_and_a_certificate(db):
    hans = User.objects.get(email=HANS)
    done = SignUp.objects.attended().filter(user=hans, hours__gt=0)
    assert done.count() >= 5
    assert len({timezone.localtime(s.shift.starts_at).month for s in done.select_related("shift")}) >= 3
    certificate = Certificate.objects.get(user=hans, organisation__slug=LINDENHOF)
    counted = done.filter(shift__task__organisation__slug=LINDENHOF,
                          shift__starts_at__date__lte=certificate.period_end).aggregate(hours=Sum("hours"))["hours"]
    assert certificate.hours == counted > Decimal("0")
    assert SignUp.objects.filter(user=hans, shift__starts_at__gt=timezone.now(), status="confirmed").exists()
    assert SignUp.objects.filter(shift__ends_at__lt=timezone.now(), status="confirmed",
                                 attendance_marked_at__isnull=True).exists()  # for staff to mark


def test_the_coming_weeks_have_open_nearly_full_and_urgent_shifts(db):
    soon = Shift.objects.open_for_sign_up().filter(starts_at__lt=timezone.now() + timezone.timedelta(days=5))
    assert soon.with_free_places().exists()
    nearly = Shift.objects.open_for_sign_up().with_free_places().filter(confirmed_count__gte=F("capacity") - 1,
                                                                       capacity__gte=3)
    assert nearly.exists()


def test_seeding_again_changes_nothing(db):
    def snapshot():
        return (
            [model.objects.count() for model in (User, Membership, Proposal, Comment, Support, Pledge, StatusChange,
                                                 Process, Entry, Ballot, Pick, Shift, SignUp, Certificate, Page,
                                                 Revision, Activity, Notification)],
            list(Proposal.objects.order_by("pk").values_list("created_at", "last_activity_at", "support_count")),
            list(Process.objects.order_by("pk").values_list("title", "phase", "voting_starts", "funded_total")),
            list(User.objects.order_by("pk").values_list("email", "unread_notifications", "date_joined")),
        )

    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
