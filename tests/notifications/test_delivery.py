"""Notification emails: digest periods, what an email says, and that each is sent exactly once.

Tasks run in-process here (eagerly, or called with ``apply``); a redelivered task is the same
task id run again. test_worker.py runs them on a real worker through Redis.
"""
import itertools
import smtplib
import time
from collections import Counter
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from coproduction.celery import app
from notifications import delivery, tasks
from notifications.models import Activity, Channel, Delivery, Notification, Preference
from notifications.registry import category_label
from notifications.services import preferences_set
from notifications.tokens import read_unsubscribe_token
from proposals.models import Follow, Proposal
from proposals.services import comment_create, content_set_hidden, proposal_set_status
from stakeholders.models import Membership
from stakeholders.services import membership_leave, membership_request
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously
from tests.volunteering.factories import ShiftFactory, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit, member_of
from volunteering import services as volunteering
from wiki.models import Space, Watch
from wiki.services import pages_delete

K, St = Delivery.Kind, Delivery.Status
HERE = __name__
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
UTC = dt_timezone.utc


# --- helpers -----------------------------------------------------------------------------------

class WorkerLost(BaseException):
    """The worker process dies (killed, out of memory): nothing after this point runs."""


class CrashingBackend(locmem.EmailBackend):
    """Delivers ``left`` more messages, then the worker dies before the next one leaves."""

    left = 0

    def send_messages(self, messages):
        if CrashingBackend.left <= 0:
            raise WorkerLost
        CrashingBackend.left -= 1
        return super().send_messages(messages)


class DiesAfterSendingBackend(locmem.EmailBackend):
    """Delivers messages; after ``left`` more, the worker dies right after the message has left."""

    left = 0

    def send_messages(self, messages):
        done = super().send_messages(messages)
        DiesAfterSendingBackend.left -= 1
        if DiesAfterSendingBackend.left < 0:
            raise WorkerLost
        return done


class RefusingBackend(locmem.EmailBackend):
    """The mail server takes the connection but refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class UnreachableBackend(locmem.EmailBackend):
    """The mail server cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


class SlowBackend(locmem.EmailBackend):
    """A mail server that takes a moment per message, so two runs overlap."""

    def send_messages(self, messages):
        time.sleep(0.15)
        return super().send_messages(messages)


def alerts_right_away(*people):
    """Staff alerts (requests to join, …) wait for the daily summary unless a person chooses otherwise."""
    Preference.objects.bulk_create([Preference(user=person, category="staff", channel="immediate") for person in people])


def emails_to(outbox, user):
    return [message for message in outbox if message.to == [user.email]]


def due(kind=K.DAILY, days=2):
    """(period, cutoff, ids) of a digest ``days`` on, so its cutoff is surely after today's items."""
    return delivery.digest_recipients(kind, now=timezone.now() + timedelta(days=days))


def run_batch(kind=K.DAILY, days=2):
    """One digest_batch task for everyone waiting, as the fan-out enqueues it; returns how many emails it sent."""
    period, cutoff, ids = due(kind, days)
    return tasks.digest_batch.apply(args=[kind, period, cutoff.isoformat(), ids]).get()


def age(delta):
    """Time passes: everything written so far happened ``delta`` earlier."""
    Notification.objects.update(created_at=F("created_at") - delta)
    Delivery.objects.update(created_at=F("created_at") - delta)
    Delivery.objects.filter(claimed_at__isnull=False).update(claimed_at=F("claimed_at") - delta)


def statuses():
    return Counter(Delivery.objects.values_list("status", flat=True))


def html_of(message):
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


def at(*args):
    return datetime(*args, tzinfo=UTC)


# --- periods -----------------------------------------------------------------------------------

@pytest.mark.parametrize("now, period, cutoff", [
    (at(2025, 1, 15, 6, 0), "2025-01-15", at(2025, 1, 15, 6, 0)),  # 07:00 in winter: today's digest
    (at(2025, 1, 15, 5, 59, 59), "2025-01-14", at(2025, 1, 14, 6, 0)),  # 06:59:59: still yesterday's
    (at(2025, 1, 15, 23, 30), "2025-01-15", at(2025, 1, 15, 6, 0)),  # 00:30 local on the 16th
    (at(2025, 7, 1, 5, 0), "2025-07-01", at(2025, 7, 1, 5, 0)),  # 07:00 in summer is 05:00 UTC
    (at(2025, 3, 30, 1, 30), "2025-03-29", at(2025, 3, 29, 6, 0)),  # just after the clocks went forward
    (at(2025, 3, 30, 4, 59, 59), "2025-03-29", at(2025, 3, 29, 6, 0)),
    (at(2025, 3, 30, 5, 0), "2025-03-30", at(2025, 3, 30, 5, 0)),  # 07:00 summer time on that day
    (at(2025, 10, 26, 0, 30), "2025-10-25", at(2025, 10, 25, 5, 0)),  # the hour that happens twice
    (at(2025, 10, 26, 5, 30), "2025-10-25", at(2025, 10, 25, 5, 0)),  # 06:30 winter time
    (at(2025, 10, 26, 6, 0), "2025-10-26", at(2025, 10, 26, 6, 0)),  # 07:00 winter time on that day
])
def test_the_daily_period_is_the_local_date_of_the_digest_hour(settings, now, period, cutoff):
    settings.TIME_ZONE, settings.NOTIFICATIONS_DIGEST_HOUR = "Europe/Berlin", 7
    assert delivery.period_for(K.DAILY, now) == (period, cutoff)
    assert delivery.cutoff_of(K.DAILY, period) == cutoff


def test_daily_digests_are_23_and_25_hours_apart_when_the_clocks_change(settings):
    settings.TIME_ZONE, settings.NOTIFICATIONS_DIGEST_HOUR = "Europe/Berlin", 7

    def gap(day):
        _period, cutoff = delivery.period_for(K.DAILY, at(*day, 12))
        _period, before = delivery.period_for(K.DAILY, cutoff - timedelta(microseconds=1))
        return cutoff.astimezone(UTC) - before.astimezone(UTC)  # real hours, not wall-clock ones

    assert gap((2025, 3, 30)) == timedelta(hours=23)
    assert gap((2025, 10, 26)) == timedelta(hours=25)
    assert gap((2025, 6, 15)) == timedelta(hours=24)
    assert timezone.localtime(delivery.period_for(K.DAILY, at(2025, 3, 31, 12))[1]).hour == 7


@pytest.mark.parametrize("day, now, period, cutoff", [
    ("monday", at(2025, 3, 31, 5, 0), "2025-W14", at(2025, 3, 31, 5, 0)),  # Monday 07:00, first week of summer time
    ("monday", at(2025, 3, 31, 4, 59), "2025-W13", at(2025, 3, 24, 6, 0)),  # 06:59: last week's, still winter time
    ("monday", at(2025, 4, 6, 21, 0), "2025-W14", at(2025, 3, 31, 5, 0)),  # Sunday 23:00
    ("monday", at(2025, 1, 5, 12, 0), "2025-W01", at(2024, 12, 30, 6, 0)),  # ISO week 1 starts in December
    ("monday", at(2024, 12, 30, 5, 59), "2024-W52", at(2024, 12, 23, 6, 0)),
    ("monday", at(2021, 1, 3, 12, 0), "2020-W53", at(2020, 12, 28, 6, 0)),  # a year with 53 weeks
    ("monday", at(2025, 10, 27, 6, 0), "2025-W44", at(2025, 10, 27, 6, 0)),  # first Monday of winter time
    ("sunday", at(2025, 3, 30, 5, 0), "2025-W13", at(2025, 3, 30, 5, 0)),  # Sunday of the clock change
    ("sunday", at(2025, 3, 30, 4, 59), "2025-W12", at(2025, 3, 23, 6, 0)),
    ("friday", at(2025, 1, 1, 12, 0), "2024-W52", at(2024, 12, 27, 6, 0)),
])
def test_the_weekly_period_is_the_iso_week_of_the_digest_weekday(settings, day, now, period, cutoff):
    settings.TIME_ZONE, settings.NOTIFICATIONS_DIGEST_HOUR, settings.NOTIFICATIONS_WEEKLY_DAY = "Europe/Berlin", 7, day
    assert delivery.period_for(K.WEEKLY, now) == (period, cutoff)
    assert delivery.cutoff_of(K.WEEKLY, period) == cutoff


def test_every_period_starts_at_its_cutoff_all_year_round(settings):
    settings.TIME_ZONE, settings.NOTIFICATIONS_DIGEST_HOUR = "Europe/Berlin", 7
    moment = at(2025, 1, 1)
    while moment < at(2026, 1, 8):
        for kind in K.DAILY, K.WEEKLY:
            period, cutoff = delivery.period_for(kind, moment)
            assert cutoff <= moment < cutoff + timedelta(days=1 if kind == K.DAILY else 7, hours=1)
            assert delivery.cutoff_of(kind, period) == cutoff
            assert delivery.period_for(kind, cutoff) == (period, cutoff)
            assert delivery.period_for(kind, cutoff - timedelta(microseconds=1))[0] != period
        moment += timedelta(hours=5, minutes=13)


def test_the_period_does_not_depend_on_the_time_zone_a_request_activated():
    now = at(2025, 1, 15, 23, 30)
    with timezone.override("America/New_York"):
        assert delivery.period_for(K.DAILY, now) == ("2025-01-15", at(2025, 1, 15, 6, 0))


def test_what_is_notified_at_the_cutoff_waits_for_the_next_digest(followers):
    _proposal, (early, late) = followers(2)
    period, cutoff = delivery.period_for(K.DAILY, timezone.now() + timedelta(days=2))
    Notification.objects.filter(recipient=early).update(created_at=cutoff - timedelta(microseconds=1))
    Notification.objects.filter(recipient=late).update(created_at=cutoff)
    assert delivery.digest_recipients(K.DAILY, now=cutoff) == (period, cutoff, [early.pk])
    assert delivery.digest_recipients(K.DAILY, now=cutoff + timedelta(days=1))[2] == [early.pk, late.pk]


# --- what a digest says ------------------------------------------------------------------------

@pytest.mark.django_db
def test_one_email_per_person_grouped_by_organisation_and_kind(mailoutbox):
    reader = UserFactory(language="en", display_name="Miriam Kaya")
    lindenhof, wesertor = OrganisationFactory(name="Lindenhof"), OrganisationFactory(name="Wesertor")
    garden = ProposalFactory(organisation=lindenhof, title="Gemeinschaftsgarten")
    repair = ProposalFactory(organisation=wesertor, title="Reparaturcafé")
    Follow.objects.bulk_create([Follow(user=reader, proposal=garden), Follow(user=reader, proposal=repair)])
    space = SpaceFactory(organisation=lindenhof)
    editor = member_of(space, display_name="Ute Brandt")
    page = PageFactory(space=space, author=editor, title="Übergabe Gartengeräte")
    Watch.objects.create(user=reader, page=page)
    commenter = UserFactory(display_name="Jonas Becker")
    comment_create(proposal=garden, author=commenter, text="Ich bringe Saatgut mit.")
    comment_create(proposal=repair, author=commenter, text="Lötkolben sind da.")
    edit(page, editor, "Die Schubkarre steht im Keller.\n", summary="Ort ergänzt")
    comment_create(proposal=garden, author=commenter, text="Und Gießkannen.")

    assert run_batch() == 1
    message, = mailoutbox
    assert message.to == [reader.email]
    assert message.subject == "[Koproduktion] Your daily summary: 4 new"
    text, html = message.body, html_of(message)
    assert text.startswith("Hello Miriam Kaya,")
    assert text.count("== Lindenhof ==") == 1 and text.count("== Wesertor ==") == 1
    lindenhof_part, wesertor_part = text.split("== Lindenhof ==")[1].split("== Wesertor ==")
    assert "My proposals and proposals I follow" in lindenhof_part and "Wiki pages I watch" in lindenhof_part
    assert lindenhof_part.count("Jonas Becker commented on “Gemeinschaftsgarten”.") == 2
    assert "Ute Brandt edited “Übergabe Gartengeräte”." in lindenhof_part
    assert "Und Gießkannen." in lindenhof_part and "Ich bringe Saatgut mit." in lindenhof_part
    assert "Jonas Becker commented on “Reparaturcafé”." in wesertor_part and "Wiki" not in wesertor_part
    assert f"{django_settings.SITE_URL}{garden.get_absolute_url()}comments/" in lindenhof_part
    assert " more" not in text and " more" not in html
    assert html.count("<h2") == 2 and html.count("<h3") == 3 and html.count("<li>") == 4
    assert "Jonas Becker commented on “Reparaturcafé”." in html
    assert Delivery.objects.get().item_count == 4
    assert Notification.objects.filter(recipient=reader, delivery__status=St.SENT).count() == 4


@pytest.mark.django_db
def test_a_weekly_reader_gets_a_weekly_summary(followers, mailoutbox):
    _proposal, (reader,) = followers(1, language="en")
    preferences_set(user=reader, channels={"proposals": Channel.WEEKLY})
    assert due(K.DAILY)[2] == []
    assert run_batch(K.WEEKLY, days=8) == 1
    message, = mailoutbox
    assert message.subject == "[Koproduktion] Your weekly summary: 1 new"
    assert "Here is what happened this week." in message.body
    assert Delivery.objects.get().period == delivery.period_for(K.WEEKLY, timezone.now() + timedelta(days=8))[0]


@pytest.mark.django_db
def test_a_long_digest_shows_the_newest_items_and_links_to_the_rest(followers, mailoutbox, settings):
    settings.NOTIFICATIONS_DIGEST_MAX_ITEMS = 3
    _proposal, (reader,) = followers(1, comments=5, language="en")
    assert run_batch() == 1
    message, = mailoutbox
    text, html = message.body, html_of(message)
    assert message.subject.endswith("Your daily summary: 5 new")
    assert [n for n in range(1, 6) if f"Beitrag Nummer {n}" in text] == [3, 4, 5]
    inbox = f"{django_settings.SITE_URL}/notifications/"
    assert f"And 2 more: {inbox}" in text
    assert f'<a href="{inbox}"' in html and "And 2 more on the platform" in html
    assert html.count("<li>") == 3
    assert Delivery.objects.get().item_count == 3
    assert Notification.objects.filter(recipient=reader, delivery__status=St.SENT).count() == 5  # all are done


@pytest.mark.django_db
def test_each_person_reads_the_email_in_their_own_language(mailoutbox, staff, organisation):
    german, english = UserFactory(language="de"), UserFactory(language="en")
    proposal = ProposalFactory(organisation=organisation, title="Lesecafé")
    Follow.objects.bulk_create([Follow(user=person, proposal=proposal) for person in (german, english)])
    proposal_set_status(proposal=proposal, actor=staff, to_status=Proposal.Status.UNDER_REVIEW,
                        response="Wir prüfen den Vorschlag.")
    created = timezone.localtime(Notification.objects.filter(recipient=german).get().created_at)
    with translation.override("de"):
        run_batch()  # what is active while sending does not matter
    for person, other in (german, english), (english, german):
        message, = emails_to(mailoutbox, person)
        with translation.override(person.language):
            status = str(Proposal.Status.UNDER_REVIEW.label)
            date = formats.date_format(created, "SHORT_DATETIME_FORMAT")
            subject = gettext("Your daily summary: %(count)s new") % {"count": 1}
        with translation.override(other.language):
            other_status = str(Proposal.Status.UNDER_REVIEW.label)
            other_date = formats.date_format(created, "SHORT_DATETIME_FORMAT")
        assert message.subject == django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
        for part in message.body, html_of(message):
            assert "Lesecafé" in part and status in part and other_status not in part
            assert date in part and other_date not in part
        assert f'<html lang="{person.language}">' in html_of(message)


@pytest.mark.django_db
def test_every_email_offers_one_click_unsubscribe_and_the_preferences(followers, mailoutbox, settings, client):
    settings.SITE_URL = "https://koproduktion.example"
    _proposal, (reader,) = followers(1, language="en")
    assert run_batch() == 1
    message, = mailoutbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://koproduktion.example/notifications/unsubscribe/") and header.endswith("/>")
    url = header[1:-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert read_unsubscribe_token(urlsplit(url).path.split("/")[-2]) == (reader, "*")
    row = Delivery.objects.get()
    assert message.extra_headers["Message-ID"] == f"<daily.{row.period}.{reader.pk}.{row.pk}@koproduktion.example>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    preferences = "https://koproduktion.example/notifications/preferences/"
    assert f"Stop these emails: {url}" in message.body
    assert f"Choose how you hear about things: {preferences}" in message.body
    html = html_of(message)
    assert f'<a href="{url}"' in html and f'<a href="{preferences}"' in html and "Stop these emails" in html
    rendered = message.message()
    assert rendered["List-Unsubscribe"] == header and rendered.get_content_type() == "multipart/alternative"

    # A mail client's one-click POST, without a session, stops every email.
    response = client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert set(reader.notification_preferences.values_list("channel", flat=True)) == {Channel.APP}


# --- exactly once --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_same_digest_run_twice_or_fanned_out_twice_sends_once(followers, mailoutbox, monkeypatch, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 2
    _proposal, people = followers(5)
    age(timedelta(days=2))
    enqueued, original = [], tasks.enqueue

    def enqueue(task, *args):
        enqueued.append(args[-1])
        original(task, *args)

    monkeypatch.setattr(tasks, "enqueue", enqueue)
    assert tasks.digests.apply(args=[K.DAILY]).get() == 5
    assert enqueued == [[people[0].pk, people[1].pk], [people[2].pk, people[3].pk], [people[4].pk]]
    assert tasks.digests.apply(args=[K.DAILY]).get() == 0  # the second fan-out finds everyone done
    period, cutoff = delivery.period_for(K.DAILY)
    for task_id in None, "again":  # the same batch handed out again, e.g. by the sweep
        assert tasks.digest_batch.apply(args=[K.DAILY, period, cutoff.isoformat(), [p.pk for p in people]],
                                        task_id=task_id).get() == 0
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert statuses() == {St.SENT: 5}


@pytest.mark.django_db
def test_a_redelivered_task_finishes_what_its_crashed_run_left(followers, mailoutbox, settings):
    _proposal, people = followers(5)
    period, cutoff, ids = due()
    args = [K.DAILY, period, cutoff.isoformat(), ids]
    settings.EMAIL_BACKEND = f"{HERE}.CrashingBackend"
    CrashingBackend.left = 2
    with pytest.raises(WorkerLost):
        tasks.digest_batch.apply(args=args, task_id="batch-1")
    assert len(mailoutbox) == 2
    assert statuses() == {St.SENT: 2, St.SENDING: 3}
    assert set(Delivery.objects.filter(status=St.SENDING).values_list("claimed_by", flat=True)) == {"task-batch-1"}

    # A run of another task leaves the claim of the live (or not yet timed-out) task alone.
    settings.EMAIL_BACKEND = LOCMEM
    assert tasks.digest_batch.apply(args=args, task_id="batch-2").get() == 0
    # The broker hands the unacknowledged task out again, with the same id: it takes back its claim.
    assert tasks.digest_batch.apply(args=args, task_id="batch-1").get() == 3
    assert tasks.digest_batch.apply(args=args, task_id="batch-1").get() == 0
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert statuses() == {St.SENT: 5}
    assert Notification.objects.filter(delivery__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_one_email_that_left_just_before_a_crash_keeps_its_message_id(followers, mailoutbox, settings):
    _proposal, people = followers(3)
    period, cutoff, ids = due()
    args = [K.DAILY, period, cutoff.isoformat(), ids]
    settings.EMAIL_BACKEND = f"{HERE}.DiesAfterSendingBackend"
    DiesAfterSendingBackend.left = 1
    with pytest.raises(WorkerLost):
        tasks.digest_batch.apply(args=args, task_id="batch-1")
    settings.EMAIL_BACKEND = LOCMEM
    assert tasks.digest_batch.apply(args=args, task_id="batch-1").get() == 2
    counts = Counter(m.to[0] for m in mailoutbox)
    assert counts == {people[0].email: 1, people[1].email: 2, people[2].email: 1}
    first, again = emails_to(mailoutbox, people[1])
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]  # receivers drop the copy
    assert statuses() == {St.SENT: 3}


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["same task twice", "two tasks", "two fan-outs"])
@pytest.mark.parametrize("start", ["together", "while the first one sends"])
def test_workers_running_the_same_digest_at_once_send_each_email_once(followers, mailoutbox, settings, how, start):
    """Three runs: released together they race for the claim; staggered, the later ones find
    the rows claimed (by another task, or by their own id, as when the broker hands a task out again)."""
    settings.EMAIL_BACKEND = f"{HERE}.SlowBackend"
    _proposal, people = followers(4)
    age(timedelta(days=2))
    period, cutoff = delivery.period_for(K.DAILY)
    args = [K.DAILY, period, cutoff.isoformat(), [person.pk for person in people]]
    numbers, turns = itertools.count(), itertools.count()

    def work():
        if next(turns) and start != "together":
            time.sleep(0.25)  # the first run has claimed the batch and sends its second email
        if how == "two fan-outs":
            return tasks.digests.apply(args=[K.DAILY]).result
        task_id = "batch-1" if how == "same task twice" else f"batch-{next(numbers)}"
        return tasks.digest_batch.apply(args=args, task_id=task_id).result  # get() refuses while another runs

    results, errors = run_simultaneously(3, work)
    assert errors == []
    if how != "two fan-outs":
        assert sum(results) == 4
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert statuses() == {St.SENT: 4}


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_immediate_emails_sent_by_two_workers_at_once_leave_once(mailoutbox, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{HERE}.SlowBackend"
    organisation = OrganisationFactory()
    staff = [MembershipFactory(organisation=organisation, role="staff").user for _ in range(3)]
    alerts_right_away(*staff)
    with monkeypatch.context() as patched:
        patched.setattr("notifications.services.enqueue", lambda task, *args: None)  # the task is in flight
        membership_request(user=UserFactory(), organisation=organisation, role="citizen")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    results, errors = run_simultaneously(3, lambda: tasks.send_immediate.apply(args=[ids], task_id="same").result)
    assert errors == [] and sum(results) == 3
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in staff}


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_over_by_the_sweep_after_the_timeout(followers, mailoutbox):
    _proposal, people = followers(3)
    period, cutoff, ids = due()
    claimed = delivery.claim_digests(K.DAILY, period, cutoff, ids, "task-dead")  # and then the worker died
    tasks.sweep.apply()
    assert mailoutbox == [] and statuses() == {St.SENDING: 3}  # it may still be working
    age(delivery.CLAIM_TIMEOUT - timedelta(minutes=1))
    tasks.sweep.apply()
    assert mailoutbox == []
    age(timedelta(minutes=2))
    tasks.sweep.apply()
    tasks.sweep.apply()
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert statuses() == {St.SENT: 3}
    assert delivery.send_claimed(claimed, "task-dead") == 0  # it was only paused and wakes up now
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_emails_whose_rows_were_written_but_never_claimed_still_carry_their_items(followers, mailoutbox, organisation,
                                                                                staff):
    _proposal, (reader,) = followers(1, comments=2)
    period, _cutoff, _ids = due()
    staff.language = "en"
    staff.save(update_fields=["language"])
    alerts_right_away(staff)
    membership_request(user=UserFactory(), organisation=organisation, role="citizen")  # the enqueue never ran
    request = Notification.objects.get(recipient=staff)
    # The worker died right after writing the rows, before it claimed them.
    Delivery.objects.bulk_create([Delivery(recipient=reader, kind=K.DAILY, period=period),
                                  Delivery(recipient=staff, kind=K.IMMEDIATE, period=str(request.pk))])
    age(timedelta(minutes=2))
    tasks.sweep.apply()
    tasks.sweep.apply()
    digest, = emails_to(mailoutbox, reader)
    assert "Beitrag Nummer 1" in digest.body and "Beitrag Nummer 2" in digest.body
    single, = emails_to(mailoutbox, staff)
    assert "asks to join" in single.subject
    assert statuses() == {St.SENT: 2}
    assert delivery.immediate_overdue(timezone.now() + timedelta(hours=1)) == []


@pytest.mark.django_db
def test_a_refused_email_waits_and_the_sweep_retries_until_it_gives_up(followers, mailoutbox, settings):
    _proposal, (reader, other) = followers(2)
    settings.EMAIL_BACKEND = f"{HERE}.RefusingBackend"
    assert run_batch() == 0
    row = Delivery.objects.get(recipient=reader)
    assert (row.status, row.attempts, row.error) == (St.PENDING, 1, "Connection unexpectedly closed")
    tasks.sweep.apply()  # not again right away
    assert Delivery.objects.get(pk=row.pk).attempts == 1
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        age(delivery.RETRY_AFTER + timedelta(seconds=1))
        tasks.sweep.apply()
        row.refresh_from_db()
        assert row.attempts == attempt
    assert row.status == St.FAILED
    age(timedelta(days=1))
    tasks.sweep.apply()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (St.FAILED, delivery.MAX_ATTEMPTS)
    assert statuses() == {St.FAILED: 2} and mailoutbox == []


@pytest.mark.django_db
def test_a_mail_server_that_comes_back_gets_each_email_once(followers, mailoutbox, settings):
    _proposal, people = followers(3)
    settings.EMAIL_BACKEND = f"{HERE}.UnreachableBackend"
    assert run_batch() == 0
    assert statuses() == {St.PENDING: 3}
    assert set(Delivery.objects.values_list("error", flat=True)) == {"[Errno 111] Connection refused"}
    settings.EMAIL_BACKEND = LOCMEM
    age(delivery.RETRY_AFTER + timedelta(seconds=1))
    tasks.sweep.apply()
    tasks.sweep.apply()
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert statuses() == {St.SENT: 3}


@pytest.mark.django_db
def test_an_email_a_worker_died_on_again_and_again_is_given_up(followers, mailoutbox):
    _proposal, (reader,) = followers(1)
    period, cutoff, ids = due()
    delivery.claim_digests(K.DAILY, period, cutoff, ids, "task-dead")
    Delivery.objects.update(attempts=delivery.MAX_ATTEMPTS)
    age(delivery.CLAIM_TIMEOUT + timedelta(minutes=1))
    tasks.sweep.apply()
    row = Delivery.objects.get()
    assert row.status == St.FAILED and row.error and mailoutbox == []


@pytest.mark.django_db
def test_the_sweep_sends_the_digest_the_beat_missed(followers, mailoutbox):
    _proposal, people = followers(2)
    age(timedelta(days=2))  # written before the last digest time, and no digest went out
    tasks.sweep.apply()
    tasks.sweep.apply()
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert set(Delivery.objects.values_list("period", flat=True)) == {delivery.period_for(K.DAILY)[0]}


# --- what a person may see at send time ----------------------------------------------------------

@pytest.mark.django_db
def test_only_what_the_reader_may_still_see_when_it_is_sent_is_in_the_email(mailoutbox, organisation, staff,
                                                                           superuser):
    reader = MembershipFactory(organisation=organisation, user__language="en").user
    commenter = UserFactory(display_name="Jonas Becker")
    kept = ProposalFactory(organisation=organisation, title="Bleibt sichtbar")
    hidden = ProposalFactory(organisation=organisation, title="Wird versteckt")
    Follow.objects.bulk_create([Follow(user=reader, proposal=kept), Follow(user=reader, proposal=hidden)])
    comment_create(proposal=kept, author=commenter, text="Ein freundlicher Beitrag.")
    rude = comment_create(proposal=kept, author=commenter, text="Ein beleidigender Beitrag.")
    comment_create(proposal=hidden, author=commenter, text="Beitrag unter verstecktem Vorschlag.")
    internal = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    public = SpaceFactory(organisation=organisation)
    internal_editor, public_editor = member_of(internal), member_of(public)
    secret = PageFactory(space=internal, author=internal_editor, title="Interne Telefonliste")
    gone = PageFactory(space=public, author=public_editor, title="Alte Hausordnung")
    Watch.objects.bulk_create([Watch(user=reader, page=secret), Watch(user=reader, page=gone)])
    edit(secret, internal_editor, "Neue Nummern.\n")
    edit(gone, public_editor, "Neue Regeln.\n")
    assert Notification.objects.filter(recipient=reader).count() == 5

    # Before the digest goes out: moderation hides, an operator deletes, the reader leaves.
    content_set_hidden(target=rude, moderator=staff, hidden=True, reason="Beleidigend")
    content_set_hidden(target=hidden, moderator=staff, hidden=True, reason="Werbung")
    pages_delete(pages=[gone], actor=superuser)
    membership_leave(membership=Membership.objects.get(user=reader), user=reader)

    assert run_batch() == 1
    message, = mailoutbox
    for part in message.body, html_of(message):
        assert "Ein freundlicher Beitrag." in part
        for left_out in ("beleidigender", "Wird versteckt", "verstecktem", "Interne Telefonliste", "Alte Hausordnung",
                         "Neue Nummern", "more"):
            assert left_out not in part
    assert message.subject.endswith("Your daily summary: 1 new")
    assert Delivery.objects.get().item_count == 1


@pytest.mark.django_db
def test_nothing_left_to_see_means_no_email(followers, mailoutbox, staff, organisation):
    proposal, (reader,) = followers(1, organisation=organisation)
    content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Werbung")
    assert run_batch() == 0
    row = Delivery.objects.get()
    assert row.status == St.SKIPPED and row.item_count == 0 and mailoutbox == []
    assert Notification.objects.get(recipient=reader).delivery == row  # done: not carried into the next digest
    age(timedelta(days=3))
    tasks.sweep.apply()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_person_whose_account_was_closed_gets_no_email(followers, mailoutbox):
    _proposal, (closed, active) = followers(2)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    assert run_batch() == 1
    assert [m.to for m in mailoutbox] == [[active.email]]
    assert Delivery.objects.get(recipient=closed).status == St.SKIPPED


# --- a constant number of reads per batch ------------------------------------------------------

def _mixed_readers(count, comments):
    """Members who follow a proposal and watch a members-only page: three kinds of target, one membership check."""
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    proposal = ProposalFactory(organisation=organisation)
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    editor = member_of(space)
    page = PageFactory(space=space, author=editor)
    people = [MembershipFactory(organisation=organisation, user__language=("de", "en")[n % 2]).user
              for n in range(count)]
    Follow.objects.bulk_create([Follow(user=person, proposal=proposal) for person in people])
    Watch.objects.bulk_create([Watch(user=person, page=page) for person in people])
    commenter = UserFactory()
    for number in range(comments):
        comment_create(proposal=proposal, author=commenter, text=f"Beitrag {number}")
    edit(page, editor, "Neu.\n")
    proposal_set_status(proposal=proposal, actor=staff, to_status=Proposal.Status.UNDER_REVIEW, response="Wir prüfen.")
    return people


def _batch_statements(people):
    period, cutoff, _ids = due()
    with CaptureQueriesContext(connection) as queries:
        sent = tasks.digest_batch.apply(args=[K.DAILY, period, cutoff.isoformat(), [p.pk for p in people]]).get()
    assert sent == len(people)
    return Counter(query["sql"].split(None, 1)[0].upper() for query in queries.captured_queries)


@pytest.mark.django_db
def test_a_digest_batch_reads_the_same_number_of_times_for_few_or_many_people_and_items(mailoutbox, settings):
    settings.NOTIFICATIONS_DIGEST_MAX_ITEMS = 4
    few, many = _mixed_readers(2, comments=1), _mixed_readers(9, comments=6)
    small, large = _batch_statements(few), _batch_statements(many)
    assert small["SELECT"] == large["SELECT"] <= 7
    for people, counts in (few, small), (many, large):
        assert counts["UPDATE"] == 2 + len(people)  # the claim, attaching the items, one mark per email
        assert counts["INSERT"] == 1
    many_email, = emails_to(mailoutbox, many[1])  # 6 comments, an edit and a status change
    assert html_of(many_email).count("<li>") == 4 and "And 4 more" in many_email.body
    assert many_email.subject.endswith("Your daily summary: 8 new")
    few_email, = emails_to(mailoutbox, few[1])
    assert html_of(few_email).count("<li>") == 3 and " more" not in few_email.body


# --- single emails -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_immediate_email_leaves_once_after_the_commit(mailoutbox, organisation, staff,
                                                         django_capture_on_commit_callbacks):
    staff.language = "en"
    staff.save(update_fields=["language"])
    alerts_right_away(staff)
    person = UserFactory(display_name="Aylin Demir")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            membership_request(user=person, organisation=organisation, role="citizen")
            assert mailoutbox == [] and Delivery.objects.count() == 0
    assert len(callbacks) == 1
    message, = mailoutbox
    assert message.to == [staff.email]
    assert message.subject == f"[Koproduktion] Aylin Demir asks to join {organisation.name} as “Citizen”."
    token = urlsplit(message.extra_headers["List-Unsubscribe"][1:-1]).path.split("/")[-2]
    assert read_unsubscribe_token(token) == (staff, "staff")
    assert f"Stop emails about “{category_label('staff')}”" in message.body
    notification = Notification.objects.get(recipient=staff)
    assert notification.delivery.status == St.SENT and notification.delivery.period == str(notification.pk)

    assert tasks.send_immediate.apply(args=[[notification.pk]]).get() == 0
    age(timedelta(minutes=10))
    tasks.sweep.apply()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_change_that_is_rolled_back_leaves_no_activity_and_sends_nothing(mailoutbox, organisation, staff,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            membership_request(user=UserFactory(), organisation=organisation, role="citizen")
            assert Notification.objects.filter(recipient=staff).exists()
            raise RuntimeError("the request fails after the change")
    assert callbacks == [] and mailoutbox == []
    assert not Activity.objects.exists() and not Notification.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_time_critical_items_are_emailed_right_away_to_digest_readers(mailoutbox, django_capture_on_commit_callbacks):
    shift = ShiftFactory(capacity=1)
    holder = sign_up(shift)
    waiting = UserFactory(language="en")
    preferences_set(user=waiting, channels={"volunteering": Channel.DAILY})
    sign_up(shift, waiting)
    assert emails_to(mailoutbox, waiting) == []
    with django_capture_on_commit_callbacks(execute=True):
        volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    message, = emails_to(mailoutbox, waiting)
    assert "is free for you" in message.subject
    offered, waitlisted = Notification.objects.filter(recipient=waiting).order_by("-pk")
    assert (offered.is_urgent, offered.channel, offered.delivery.status) == (True, Channel.IMMEDIATE, St.SENT)
    assert (waitlisted.channel, waitlisted.delivery) == (Channel.DAILY, None)  # that one waits for the digest


@pytest.fixture
def broker_down(monkeypatch):
    """The Celery app hands tasks to a broker on a port where nothing listens.

    Tasks are published through the write URL, which wins over CELERY_BROKER_URL (set in CI).
    """
    def reset_pools():  # the pools are looked up again by broker URL (kombu keeps one per URL)
        app._pool = None
        app.amqp._producer_pool = None

    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    before = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    reset_pools()
    try:
        closed = app.connection_for_write()
        assert (closed.hostname, closed.port) == ("127.0.0.1", 1)
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = before
        reset_pools()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_request_succeeds_and_the_sweep_sends_the_email_once(client, broker_down,
                                                                                     mailoutbox, caplog):
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation, role="staff").user
    alerts_right_away(staff)
    person = UserFactory()
    client.force_login(person)
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, organisation=organisation).exists()
    assert "the sweep will send it" in caplog.text
    notification = Notification.objects.get(recipient=staff)
    assert notification.channel == Channel.IMMEDIATE and notification.delivery is None
    assert mailoutbox == [] and Delivery.objects.count() == 0

    tasks.sweep.apply()
    assert mailoutbox == []  # the worker may still be on its way
    age(timedelta(minutes=2))
    tasks.sweep.apply()
    tasks.sweep.apply()
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert Notification.objects.get(pk=notification.pk).delivery.status == St.SENT


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_request_sends_the_email_in_process(client, mailoutbox):
    assert app.conf.task_always_eager  # the embedded default, and what tests run with
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation, role="staff").user
    alerts_right_away(staff)
    client.force_login(UserFactory())
    assert client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"}).status_code == 302
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert Notification.objects.get(recipient=staff).delivery.status == St.SENT
