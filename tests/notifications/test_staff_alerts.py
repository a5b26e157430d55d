"""Staff alerts: what staff of an organisation should know about it (a report, a new proposal, a request
to join, a short-notice cancellation, wiki pages left without an owner), in a category of their own that
arrives in the daily summary by default; never told to another organisation's staff or to members."""
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from notifications import delivery, tasks
from notifications.models import Channel, Delivery, Notification, Preference
from notifications.services import preferences_set
from proposals import services as proposals
from stakeholders.services import membership_leave, membership_request
from tests.notifications.test_delivery import HERE, age, emails_to, run_batch
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory
from volunteering import services as volunteering

pytestmark = pytest.mark.usefixtures("english")


def alerts(verb=None):
    found = Notification.objects.filter(category="staff")
    if verb:
        found = found.filter(activity__verb=verb)
    return {n.recipient_id: n for n in found.select_related("activity")}


@pytest.fixture
def team(organisation, other_organisation, staff, other_staff):
    """(staff, second staff of the organisation, a volunteer there, staff of another organisation)."""
    second = MembershipFactory(organisation=organisation, role="staff").user
    volunteer = MembershipFactory(organisation=organisation, role="volunteer").user
    return staff, second, volunteer, other_staff


@pytest.mark.django_db
def test_a_report_alerts_the_organisations_staff_only(team, organisation):
    staff, second, volunteer, other_staff = team
    proposal = ProposalFactory(organisation=organisation, title="Bolzplatz")
    report = proposals.report_create(reporter=volunteer, reason="Enthält eine Telefonnummer.", proposal=proposal)
    told = alerts("report.created")
    assert set(told) == {staff.pk, second.pk}
    item = told[staff.pk]
    assert (item.channel, item.is_urgent) == (Channel.DAILY, False)
    assert item.activity.url == f"/admin/proposals/report/{report.pk}/change/"  # where staff decide it


@pytest.mark.django_db
def test_a_new_proposal_alerts_staff_but_not_its_author(team, organisation):
    staff, second, volunteer, other_staff = team
    proposals.proposal_create(author=volunteer, organisation=organisation, title="Leihladen", summary="S",
                              text="T", planning="together", delivery="together", publish=True)
    proposals.proposal_create(author=staff, organisation=organisation, title="Von der Fachkraft", summary="S",
                              text="T", planning="together", delivery="together", publish=True)
    told = Counter(n.recipient_id for n in Notification.objects.filter(activity__verb="proposal.published"))
    assert told == {staff.pk: 1, second.pk: 2}
    assert other_staff.pk not in told and volunteer.pk not in told


@pytest.mark.django_db
def test_a_request_to_join_is_a_staff_alert(team, organisation):
    staff, second, volunteer, other_staff = team
    membership_request(user=UserFactory(), organisation=organisation, role="volunteer")
    assert set(alerts("membership.requested")) == {staff.pk, second.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("hours, alerted", [(47, True), (49, False)])
def test_a_cancellation_shortly_before_the_shift_alerts_staff(team, organisation, hours, alerted):
    staff, second, volunteer, other_staff = team
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=hours)
    held = sign_up(shift, volunteer)
    volunteering.shift_cancel_sign_up(sign_up=held, actor=volunteer)
    assert set(alerts("signup.cancelled")) == ({staff.pk, second.pk} if alerted else set())
    # The volunteer is told in their own category, as before.
    assert Notification.objects.get(recipient=volunteer, activity__verb="signup.cancelled").category == "volunteering"


@pytest.mark.django_db
def test_staff_cancelling_their_own_place_are_told_once(team, organisation):
    staff, second, _volunteer, _other = team
    held = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=5), staff)
    volunteering.shift_cancel_sign_up(sign_up=held, actor=staff)
    mine = Notification.objects.filter(recipient=staff, activity__verb="signup.cancelled")
    assert [n.category for n in mine] == ["volunteering"]  # the first rule wins, never two notifications
    assert set(alerts("signup.cancelled")) == {second.pk}


@pytest.mark.django_db
def test_someone_leaving_wiki_pages_without_an_owner_alerts_staff(team, organisation):
    staff, second, volunteer, other_staff = team
    space = SpaceFactory(organisation=organisation)
    page = PageFactory(space=space, author=volunteer)
    page.owner = volunteer
    page.save(update_fields=["owner"])
    leaver_without_pages = MembershipFactory(organisation=organisation, role="volunteer")
    membership_leave(membership=leaver_without_pages, user=leaver_without_pages.user)
    assert alerts("membership.left") == {}
    membership_leave(membership=volunteer.memberships.get(organisation=organisation), user=volunteer)
    told = alerts("membership.left")
    assert set(told) == {staff.pk, second.pk}
    from notifications.delivery import describe
    assert "1 wiki page needs a new owner" in describe(told[staff.pk])["text"]


@pytest.mark.django_db
def test_staff_choose_how_they_hear_about_alerts_like_any_category(team, organisation, mailoutbox, client):
    staff, second, volunteer, _other = team
    preferences_set(user=staff, channels={"staff": Channel.IMMEDIATE})
    membership_request(user=UserFactory(), organisation=organisation, role="volunteer")
    assert alerts("membership.requested")[staff.pk].channel == Channel.IMMEDIATE
    assert alerts("membership.requested")[second.pk].channel == Channel.DAILY
    client.force_login(staff)
    assert "For staff of my organisations" in client.get("/notifications/preferences/").text
    client.force_login(volunteer)
    assert "For staff of my organisations" not in client.get("/notifications/preferences/").text


@pytest.mark.django_db
def test_the_daily_summary_shows_the_alerts_under_their_own_heading(team, organisation, mailoutbox):
    staff, _second, volunteer, other_staff = team
    staff.language = "en"
    staff.save(update_fields=["language"])
    proposals.report_create(reporter=volunteer, reason="Werbung", proposal=ProposalFactory(organisation=organisation,
                                                                                         title="Kiezfest"))
    membership_request(user=UserFactory(display_name="Nina Neu"), organisation=organisation, role="volunteer")
    run_batch()
    summary, = emails_to(mailoutbox, staff)
    assert "For staff of my organisations" in summary.body
    assert "“Kiezfest” was reported." in summary.body and "Nina Neu asks to join" in summary.body
    assert emails_to(mailoutbox, other_staff) == []
    run_batch()
    assert len(emails_to(mailoutbox, staff)) == 1  # exactly once


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_staff_summary_at_once_send_it_once(organisation, mailoutbox, settings):
    settings.EMAIL_BACKEND = f"{HERE}.SlowBackend"
    staff = [MembershipFactory(organisation=organisation, role="staff", user__language="en").user for _ in range(3)]
    for _number in range(2):
        membership_request(user=UserFactory(), organisation=organisation, role="volunteer")
    age(timedelta(days=2))
    period, cutoff = delivery.period_for(Delivery.Kind.DAILY)
    args = [Delivery.Kind.DAILY, period, cutoff.isoformat(), [person.pk for person in staff]]
    results, errors = run_simultaneously(2, lambda: tasks.digest_batch.apply(args=args).result)
    assert errors == [] and sum(results) == 3
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in staff}
    assert all(m.body.count("asks to join") == 2 for m in mailoutbox)
