"""Signing up, cancelling and confirming through the pages: sign-in, rules (403), service refusals (400),
messages, CSRF, the one-click offer link, and nothing half-saved when refused."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Activity
from tests.stakeholders.factories import UserFactory
from volunteering import services
from volunteering.models import Shift, SignUp
from volunteering.views import offer_path, offer_token

from .factories import ShiftFactory, TaskFactory, expire_offer, hours_from_now, move_shift, sign_up
from .test_views import english, login_url_for  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db
S = SignUp.Status


def snapshot():
    """Everything a refused action must leave as it was."""
    return (SignUp.objects.count(), Activity.objects.count(),
            list(Shift.objects.order_by("pk").values_list("capacity", "confirmed_count", "offered_count",
                                                          "waitlist_count", "next_waitlist_number")),
            list(SignUp.objects.order_by("pk").values_list("status", "offer_expires_at")))


def post(client, address, data=None):
    return client.post(address, data or {})


def sign_up_url(shift):
    return f"/tasks/shifts/{shift.pk}/sign-up/"


def cancel_url(record):
    return f"/tasks/sign-ups/{record.pk}/cancel/"


def confirm_url(record):
    return f"/tasks/sign-ups/{record.pk}/confirm/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def shift(organisation):
    return ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel"), capacity=1)


def offered(shift, person):
    """``person`` waits on the full ``shift``; the holder cancels, so ``person`` gets the offer."""
    holder = sign_up(shift)
    record = sign_up(shift, person)
    services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    record.refresh_from_db()
    assert record.status == S.OFFERED
    return record


# --- signing up ----------------------------------------------------------------------------------

def test_sign_up_takes_a_free_place_and_goes_back_to_the_shift(client, shift, person):
    client.force_login(person)
    response = post(client, sign_up_url(shift))
    assert response.status_code == 302 and response.url == f"/tasks/{shift.task_id}/#shift-{shift.pk}"
    record = SignUp.objects.get(shift=shift, user=person)
    assert record.status == S.CONFIRMED
    page = client.get(response.url)
    assert "You are signed up for “Tafel”" in page.text
    assert "You have a place on this shift." in page.text


def test_a_full_shift_puts_me_on_the_waitlist_with_my_position(client, shift, person):
    sign_up(shift)
    sign_up(shift)
    client.force_login(person)
    response = client.post(sign_up_url(shift), follow=True)
    assert "This shift is full, so you are on its waitlist at position 2." in response.text
    assert SignUp.objects.get(shift=shift, user=person).status == S.WAITLISTED
    assert "You are on the waitlist at position 2." in response.text


def test_overlapping_sign_up_is_refused_with_a_message_and_nothing_saved(client, organisation, person):
    first = ShiftFactory(task=TaskFactory(organisation=organisation, title="Erste Aufgabe"), starts_in=50)
    clash = ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=51)
    sign_up(first, person)
    client.force_login(person)
    before = snapshot()
    response = post(client, sign_up_url(clash))
    assert response.status_code == 400
    assert "You already have a place at the same time (“Erste Aufgabe”" in response.text
    assert snapshot() == before


def test_signing_up_twice_is_refused(client, shift, person):
    sign_up(shift, person)
    client.force_login(person)
    before = snapshot()
    response = post(client, sign_up_url(shift))
    assert response.status_code == 400 and "You are already signed up for this shift." in response.text
    assert snapshot() == before


def test_sign_up_after_closing_is_refused(client, shift, person):
    move_shift(shift, starts_at=hours_from_now(1))  # sign-up closes two hours before
    client.force_login(person)
    before = snapshot()
    response = post(client, sign_up_url(shift))
    assert response.status_code == 403
    assert "Sign-up closed 2 hours before this shift starts." in response.text
    assert snapshot() == before


def test_sign_up_for_a_past_shift_is_refused(client, shift, person):
    move_shift(shift, starts_at=hours_from_now(-5))
    client.force_login(person)
    before = snapshot()
    response = post(client, sign_up_url(shift))
    assert response.status_code == 403 and "This shift has already started or is over." in response.text
    assert snapshot() == before


def test_sign_up_for_a_cancelled_shift_is_refused(client, shift, person, staff):
    services.shift_cancel(shift=shift, actor=staff)
    client.force_login(person)
    response = post(client, sign_up_url(shift))
    assert response.status_code == 403 and "This shift has been cancelled." in response.text
    assert not SignUp.objects.filter(user=person).exists()


def test_sign_up_for_a_draft_is_404(client, organisation, person):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation, draft=True))
    client.force_login(person)
    assert post(client, sign_up_url(shift)).status_code == 404
    assert post(client, "/tasks/shifts/999999/sign-up/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in_and_back_to_the_task(client, shift):
    response = post(client, sign_up_url(shift))
    assert login_url_for(response, f"/tasks/{shift.task_id}/")
    record = sign_up(shift)
    for address in [cancel_url(record), confirm_url(record)]:
        assert login_url_for(post(client, address), "/tasks/mine/")
    assert SignUp.objects.count() == 1 and record.status == S.CONFIRMED


@pytest.mark.parametrize("address", ["sign_up", "cancel", "confirm"])
def test_actions_are_post_only(client, shift, person, address):
    record = sign_up(shift, person)
    client.force_login(person)
    url = {"sign_up": sign_up_url(shift), "cancel": cancel_url(record), "confirm": confirm_url(record)}[address]
    assert client.get(url).status_code == 405


def test_actions_need_the_csrf_token(shift, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(sign_up_url(shift)).status_code == 403
    assert not SignUp.objects.exists()


def test_next_may_only_point_to_this_site(client, shift, person):
    client.force_login(person)
    response = post(client, sign_up_url(shift), {"next": "https://evil.example/"})
    assert response.url == f"/tasks/{shift.task_id}/#shift-{shift.pk}"
    record = SignUp.objects.get(user=person)
    assert post(client, cancel_url(record), {"next": "/tasks/mine/"}).url == "/tasks/mine/"


# --- cancelling ----------------------------------------------------------------------------------

def test_cancel_frees_the_place_and_the_next_person_gets_an_offer(client, shift, person):
    record = sign_up(shift, person)
    waiting = sign_up(shift)
    client.force_login(person)
    response = client.post(cancel_url(record), follow=True)
    assert "Your sign-up is cancelled." in response.text
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED


def test_leaving_the_waitlist_and_declining_an_offer(client, shift, person):
    sign_up(shift)
    record = sign_up(shift, person)
    client.force_login(person)
    assert "You have left the waitlist." in client.post(cancel_url(record), follow=True).text
    other = ShiftFactory(task=shift.task, capacity=1, starts_in=200)
    offer = offered(other, person)
    assert "You have declined the place" in client.post(cancel_url(offer), follow=True).text
    offer.refresh_from_db()
    assert offer.status == S.CANCELLED


def test_double_cancel_is_refused_with_a_message(client, shift, person):
    record = sign_up(shift, person)
    client.force_login(person)
    assert post(client, cancel_url(record)).status_code == 302
    before = snapshot()
    response = post(client, cancel_url(record))
    assert response.status_code == 403
    assert "This sign-up has already been cancelled." in response.text
    assert snapshot() == before


def test_cancel_after_the_start_is_refused(client, shift, person):
    record = sign_up(shift, person)
    move_shift(shift, starts_at=hours_from_now(-1))
    client.force_login(person)
    response = post(client, cancel_url(record))
    assert response.status_code == 403 and "it can no longer be cancelled" in response.text
    record.refresh_from_db()
    assert record.status == S.CONFIRMED


def test_nobody_else_cancels_my_sign_up_but_my_organisations_staff(client, shift, person, other_staff, staff):
    record = sign_up(shift, person)
    for someone in [UserFactory(), other_staff]:
        client.force_login(someone)
        assert post(client, cancel_url(record)).status_code == 404
    record.refresh_from_db()
    assert record.status == S.CONFIRMED
    client.force_login(staff)
    assert post(client, cancel_url(record)).status_code == 302
    record.refresh_from_db()
    assert (record.status, record.cancelled_by) == (S.CANCELLED, staff)


# --- confirming an offer -------------------------------------------------------------------------

def test_confirm_an_offer_on_the_task_page(client, shift, person):
    record = offered(shift, person)
    client.force_login(person)
    page = client.get(f"/tasks/{shift.task_id}/").text
    assert "A place is free for you. Confirm it by" in page and "Confirm my place" in page
    response = client.post(confirm_url(record), follow=True)
    assert "Your place on “Tafel”" in response.text and "is confirmed" in response.text
    record.refresh_from_db()
    assert record.status == S.CONFIRMED


def test_an_expired_offer_cannot_be_confirmed(client, shift, person):
    record = expire_offer(offered(shift, person))
    client.force_login(person)
    before = snapshot()
    response = post(client, confirm_url(record))
    assert response.status_code == 403
    assert "This offer has expired" in response.text
    assert snapshot() == before


def test_confirming_twice_or_without_an_offer_is_refused(client, shift, person):
    record = offered(shift, person)
    client.force_login(person)
    assert post(client, confirm_url(record)).status_code == 302
    response = post(client, confirm_url(record))
    assert response.status_code == 403 and "You have already confirmed this place." in response.text


def test_someone_elses_offer_is_404_and_staff_cannot_confirm_it(client, shift, person, staff):
    record = offered(shift, person)
    client.force_login(UserFactory())
    assert post(client, confirm_url(record)).status_code == 404
    client.force_login(staff)
    response = post(client, confirm_url(record))
    assert response.status_code == 403 and "This offer is meant for someone else." in response.text
    record.refresh_from_db()
    assert record.status == S.OFFERED


# --- the one-click link in the notification ------------------------------------------------------

def test_the_offer_link_shows_one_confirm_button(client, shift, person):
    record = offered(shift, person)
    path = offer_path(record)
    assert path.startswith("/tasks/offers/")
    assert login_url_for(client.get(path), "/tasks/offers/")
    client.force_login(person)
    response = client.get(path)
    assert response.status_code == 200
    assert "Confirm my place" in response.text and f'action="{confirm_url(record)}"' in response.text
    assert "Decline the place" in response.text
    record.refresh_from_db()
    assert record.status == S.OFFERED  # looking is not confirming: mail scanners follow links
    response = client.post(confirm_url(record), {"next": "/tasks/mine/"})
    assert response.url == "/tasks/mine/"
    record.refresh_from_db()
    assert record.status == S.CONFIRMED
    page = client.get(path)
    assert page.status_code == 200 and "You have already confirmed this place." in page.text


def test_the_offer_link_refuses_other_people_tampering_and_expiry(client, shift, person):
    record = offered(shift, person)
    path = offer_path(record)
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 403 and "This offer is meant for someone else." in response.text
    assert "Confirm my place" not in response.text
    client.force_login(person)
    token = offer_token(record)
    assert client.get(f"/tasks/offers/{token[:-2]}xx/").status_code == 404
    assert client.get("/tasks/offers/not-a-token/").status_code == 404
    expire_offer(record)
    response = client.get(path)
    assert response.status_code == 410 and "This offer has expired" in response.text
    assert "Confirm my place" not in response.text


def test_an_old_link_is_dead_even_when_a_newer_offer_runs(client, shift, person):
    record = offered(shift, person)
    old_path = offer_path(record)
    SignUp.objects.filter(pk=record.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    old_path_expired = offer_path(SignUp.objects.get(pk=record.pk))
    SignUp.objects.filter(pk=record.pk).update(offer_expires_at=timezone.now() + timedelta(hours=5))
    client.force_login(person)
    assert client.get(old_path_expired).status_code == 410
    assert client.get(old_path).status_code == 200
