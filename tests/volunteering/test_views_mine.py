"""The volunteer's own pages: my commitments (with the calendar address and certificates) and my profile."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from volunteering import services
from volunteering.models import AvailabilitySlot, Certificate, VolunteerProfile

from .factories import ShiftFactory, SkillFactory, TaskFactory, expire_offer, sign_up
from .test_recognition import done_shift
from .test_views import english, login_url_for  # noqa: F401  (autouse fixture)
from .test_views_actions import offered

pytestmark = pytest.mark.django_db
MINE = "/tasks/mine/"


def attended(organisation, person, staff, *, days_ago=3, hours=3, title=None):
    task = TaskFactory(organisation=organisation, **({"title": title} if title else {}))
    shift, record = done_shift(organisation, person, days_ago=days_ago, hours=hours, task=task)
    services.attendance_mark(sign_up=record, actor=staff, attended=True)
    return record


# --- my commitments ------------------------------------------------------------------------------

def test_my_commitments_show_upcoming_waitlist_offers_past_and_hours(client, organisation, staff, person):
    confirmed = ShiftFactory(task=TaskFactory(organisation=organisation, title="Kuchen backen"), starts_in=48)
    sign_up(confirmed, person)
    full = ShiftFactory(task=TaskFactory(organisation=organisation, title="Volles Fest"), starts_in=100, capacity=1)
    sign_up(full)
    sign_up(full)
    sign_up(full, person)
    offer = offered(ShiftFactory(task=TaskFactory(organisation=organisation, title="Freier Platz"), capacity=1,
                                 starts_in=200), person)
    attended(organisation, person, staff, title="Reparaturcafé")
    youth = OrganisationFactory(name="Jugendtreff Mitte")
    attended(youth, person, MembershipFactory(organisation=youth, role="staff").user, days_ago=10, hours=2)
    client.force_login(person)
    page = client.get(MINE).text
    assert "Kuchen backen" in page and "Confirmed" in page and "Cancel my sign-up" in page
    assert "On the waitlist, position 2" in page and "Leave the waitlist" in page
    offers = page[page.index('id="offers"'):page.index('id="upcoming"')]
    assert "Freier Platz" in offers and "Confirm by" in offers and f'/tasks/sign-ups/{offer.pk}/confirm/' in offers
    past = page[page.index('id="past"'):page.index('id="hours"')]
    assert "Reparaturcafé" in past and "3.00" in past
    hours = page[page.index('id="hours"'):page.index('id="calendar"')]
    assert organisation.name in hours and "Jugendtreff Mitte" in hours and "5.00" in hours


def test_an_expired_offer_is_no_longer_offered(client, organisation, person):
    record = expire_offer(offered(ShiftFactory(task=TaskFactory(organisation=organisation), capacity=1), person))
    client.force_login(person)
    page = client.get(MINE).text
    assert 'id="offers"' not in page and "Offer expired" in page
    assert f"/tasks/sign-ups/{record.pk}/confirm/" not in page


def test_nobody_sees_my_commitments_but_me(client, organisation, person):
    sign_up(ShiftFactory(task=TaskFactory(organisation=organisation, title="Nur meins")), person)
    client.force_login(UserFactory())
    assert "Nur meins" not in client.get(MINE).text


@pytest.mark.parametrize("size", [2, 30])
def test_my_commitments_queries_do_not_grow(client, django_assert_max_num_queries, organisation, staff, size):
    person = UserFactory()
    for index in range(size):
        task = TaskFactory(organisation=organisation if index % 2 else OrganisationFactory())
        sign_up(ShiftFactory(task=task, starts_in=500 + index * 5, capacity=1), person)
        full = ShiftFactory(task=task, starts_in=800 + index * 5, capacity=1)
        sign_up(full)
        sign_up(full, person)
        if index % 2:
            attended(organisation, person, staff, days_ago=3 + index)
    services.calendar_token_rotate(user=person)
    if size > 2:
        services.certificate_issue(user=person, organisation=organisation, period_start=date(2000, 1, 1),
                                   period_end=timezone.localdate())
    client.force_login(person)
    # session, user; upcoming count + rows, open offers, past count + rows, hours, profile, certificates,
    # certificate organisations
    with django_assert_max_num_queries(11):
        response = client.get(MINE)
    assert response.status_code == 200


def test_many_upcoming_shifts_come_a_page_at_a_time_and_offers_always_show(client, organisation):
    from volunteering.models import SignUp

    person = UserFactory()
    for index in range(25):
        sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=48 + index * 5), person)
    last = ShiftFactory(task=TaskFactory(organisation=organisation, title="Späte Schicht"), starts_in=48 + 30 * 5,
                        capacity=1)
    holder = sign_up(last)
    waiting = sign_up(last, person)
    services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    assert SignUp.objects.get(pk=waiting.pk).status == SignUp.Status.OFFERED
    client.force_login(person)
    first = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Page 1 of 2" in first and 'href="?upcoming=2#upcoming"' in first
    assert "Späte Schicht" in first, "the offer on the second page is shown among the offers"
    assert "Späte Schicht" in client.get(MINE + "?upcoming=2", HTTP_ACCEPT_LANGUAGE="en").text


# --- the private calendar address ----------------------------------------------------------------

def test_create_rotate_and_switch_off_the_calendar_address(client, person):
    client.force_login(person)
    assert "Create my calendar address" in client.get(MINE).text
    response = client.post("/tasks/mine/calendar/rotate/", follow=True)
    token = VolunteerProfile.objects.get(user=person).calendar_token
    assert f"http://testserver/tasks/calendar/{token}.ics" in response.text
    assert "Make a new address" in response.text and "Switch the calendar address off" in response.text
    assert client.get(f"/tasks/calendar/{token}.ics").status_code == 200
    response = client.post("/tasks/mine/calendar/rotate/", follow=True)
    assert "The old address no longer works." in response.text
    new = VolunteerProfile.objects.get(user=person).calendar_token
    assert new != token and client.get(f"/tasks/calendar/{token}.ics").status_code == 404
    client.post("/tasks/mine/calendar/revoke/")
    assert VolunteerProfile.objects.get(user=person).calendar_token is None
    assert client.get(f"/tasks/calendar/{new}.ics").status_code == 404


@pytest.mark.parametrize("action", ["rotate", "revoke"])
def test_calendar_buttons_need_sign_in_and_post(client, person, action):
    address = f"/tasks/mine/calendar/{action}/"
    assert login_url_for(client.post(address), address)
    client.force_login(person)
    assert client.get(address).status_code == 405


# --- certificates --------------------------------------------------------------------------------

def test_request_a_certificate(client, organisation, staff, person):
    attended(organisation, person, staff, hours=3)
    client.force_login(person)
    page = client.get(MINE).text
    assert "Request a certificate" in page and f'<option value="{organisation.pk}"' in page
    data = {"organisation": organisation.pk, "period_start": (timezone.localdate() - timedelta(days=30)).isoformat(),
            "period_end": timezone.localdate().isoformat()}
    response = client.post("/tasks/mine/certificates/", data, follow=True)
    certificate = Certificate.objects.get(user=person)
    assert certificate.hours == Decimal("3.00")
    assert "Your certificate is ready." in response.text
    assert f'href="/tasks/certificates/{certificate.verification_code}.pdf"' in response.text
    assert certificate.verification_code in response.text


@pytest.mark.parametrize("change, message", [
    ({"period_end": "START-1"}, "The period must not end before it starts."),
    ({"period_start": "TOMORROW", "period_end": "TOMORROW"}, "The period cannot start in the future."),
    ({"period_start": "1.1.2020"}, "Enter a valid date."),
    ({"period_start": ""}, "This field is required."),
    ({"organisation": "OTHER"}, "Choose an organisation where you have confirmed hours."),
    ({"period_start": "2000-01-01", "period_end": "2000-12-31"}, "There are no confirmed hours with"),
    # The last day there is: one day after it does not exist, so it is refused before any arithmetic.
    ({"period_end": "9999-12-31"}, "Ensure this value is less than or equal to 2999-12-31."),
    ({"period_start": "0001-01-01"}, "Ensure this value is greater than or equal to 1900-01-01."),
])
def test_a_bad_certificate_request_issues_nothing(client, organisation, other_organisation, staff, person, change,
                                                  message):
    attended(organisation, person, staff)
    client.force_login(person)
    start = timezone.localdate() - timedelta(days=30)
    values = {"START-1": (start - timedelta(days=1)).isoformat(),
              "TOMORROW": (timezone.localdate() + timedelta(days=1)).isoformat(), "OTHER": other_organisation.pk}
    data = {"organisation": organisation.pk, "period_start": start.isoformat(),
            "period_end": timezone.localdate().isoformat()}
    data.update({key: values.get(value, value) for key, value in change.items()})
    response = client.post("/tasks/mine/certificates/", data)
    assert response.status_code == 400
    assert message in response.text and "No certificate has been issued." in response.text
    assert not Certificate.objects.exists()


def test_without_hours_there_is_no_certificate_form(client, person):
    client.force_login(person)
    page = client.get(MINE).text
    assert "Request a certificate" not in page
    assert "once staff have confirmed hours of yours" in page


def test_certificate_request_needs_sign_in(client, organisation):
    assert login_url_for(client.post("/tasks/mine/certificates/", {"organisation": organisation.pk}),
                         "/tasks/mine/certificates/")


# --- my volunteer profile ------------------------------------------------------------------------

def availability_data(rows, initial=0, skills=()):
    data = {"availability-TOTAL_FORMS": str(len(rows)), "availability-INITIAL_FORMS": str(initial),
            "availability-MIN_NUM_FORMS": "0", "availability-MAX_NUM_FORMS": "21", "skills": [s.pk for s in skills]}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"availability-{index}-{name}"] = value
    return data


def test_save_skills_and_weekly_availability(client, person):
    cooking, first_aid = SkillFactory(name="Kochen"), SkillFactory(name="Erste Hilfe")
    client.force_login(person)
    page = client.get("/tasks/profile/").text
    assert "<legend>Skills I offer</legend>" in page and "<legend>When I am usually free</legend>" in page
    assert 'for="id_availability-0-weekday"' in page and "Time window 1" in page
    data = availability_data([
        {"weekday": "2", "start_time": "17:00", "end_time": "20:00"},
        {"weekday": "6", "start_time": "09:00", "end_time": "12:30"},
        {"weekday": "", "start_time": "", "end_time": ""},
    ], skills=[cooking])
    response = client.post("/tasks/profile/", data, follow=True)
    assert "Your volunteer profile is saved." in response.text
    profile = VolunteerProfile.objects.get(user=person)
    assert list(profile.skills.all()) == [cooking]
    assert [(s.weekday, s.start_time, s.end_time) for s in profile.availability.all()] == [
        (2, time(17), time(20)), (6, time(9), time(12, 30))]
    page = client.get("/tasks/profile/").text
    assert 'value="17:00"' in page and "Remove this time" in page
    data = availability_data([
        {"weekday": "2", "start_time": "17:00", "end_time": "20:00", "DELETE": "on"},
        {"weekday": "6", "start_time": "09:00", "end_time": "12:30"},
    ], initial=2, skills=[first_aid])
    assert client.post("/tasks/profile/", data).status_code == 302
    assert [(s.weekday, s.start_time) for s in profile.availability.all()] == [(6, time(9))]
    assert list(profile.skills.all()) == [first_aid]


@pytest.mark.parametrize("row, message", [
    ({"weekday": "3", "start_time": "18:00", "end_time": "17:00"}, "The time you are free must end after it starts."),
    ({"weekday": "3", "start_time": "18:00", "end_time": "18:00"}, "The time you are free must end after it starts."),
    ({"weekday": "3", "start_time": "18:00", "end_time": ""}, "Fill in the day and both times"),
    ({"weekday": "", "start_time": "18:00", "end_time": "19:00"}, "Fill in the day and both times"),
    ({"weekday": "8", "start_time": "18:00", "end_time": "19:00"}, "Select a valid choice"),
    ({"weekday": "3", "start_time": "25:00", "end_time": "26:00"}, "Enter a valid time."),
])
def test_invalid_availability_saves_nothing(client, person, row, message):
    cooking = SkillFactory()
    services.volunteer_profile_update(user=person, skills=[], availability=[(1, time(9), time(12))])
    client.force_login(person)
    data = availability_data([{"weekday": "5", "start_time": "08:00", "end_time": "10:00"}, row], skills=[cooking])
    response = client.post("/tasks/profile/", data)
    assert response.status_code == 400
    assert message in response.text and "Nothing has been saved yet." in response.text
    assert 'aria-invalid="true"' in response.text
    profile = VolunteerProfile.objects.get(user=person)
    assert [(s.weekday, s.start_time) for s in profile.availability.all()] == [(1, time(9))]
    assert not profile.skills.exists()
    assert AvailabilitySlot.objects.count() == 1


def test_profile_needs_sign_in(client):
    response = client.post("/tasks/profile/", availability_data([]))
    assert login_url_for(response, "/tasks/profile/")
    assert not VolunteerProfile.objects.exists()
