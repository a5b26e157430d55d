"""Calendar files: one shift as .ics and the private feed, parsed back with the icalendar package and
checked line by line against RFC 5545 (CRLF, 75-octet folding, escaping, stable UIDs, DTSTAMP)."""
import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from tests.stakeholders.factories import UserFactory
from volunteering import services
from volunteering.calendar import escape_text, fold

from .factories import ShiftFactory, TaskFactory, hours_from_now, move_shift, sign_up
from .test_views import english  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db

TRICKY = "Kochen, Backen; Abwasch\\Spülen\nund danach: Aufräumen"


def check_lines(body):
    """Every line ends in CRLF and is at most 75 octets; unfolding gives whole content lines."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    for line in lines:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
    text = body.decode("utf-8")
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    return unfolded


def events(body):
    calendar = icalendar.Calendar.from_ical(body)
    return [component for component in calendar.walk("VEVENT")]


@pytest.fixture
def shift(organisation):
    task = TaskFactory(organisation=organisation, title=f"Café-Dienst, Küche; {TRICKY}",
                       purpose="Wir backen Kuchen für das Nachbarschaftscafé. " * 6,
                       location="Lindenhofstraße 12, Hinterhof; Eingang B", effort_note="Zwei Stunden")
    return ShiftFactory(task=task)


# --- the text rules ------------------------------------------------------------------------------

def test_escape_text_escapes_what_the_rfc_asks():
    assert escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"


@pytest.mark.parametrize("line", [
    "SUMMARY:" + "x" * 200,
    "DESCRIPTION:" + "Spülen und Abtrocknen für alle Gäste – " * 8,
    "LOCATION:" + "漢字" * 60,
    "SUMMARY:short",
])
def test_fold_keeps_lines_within_75_octets_without_splitting_characters(line):
    folded = fold(line)
    parts = folded.split("\r\n")
    for index, part in enumerate(parts):
        assert len(part.encode("utf-8")) <= 75
        if index:
            assert part.startswith(" ")
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line


# --- one shift -----------------------------------------------------------------------------------

def test_one_shift_downloads_as_a_calendar_file(client, shift):
    response = client.get(f"/tasks/shifts/{shift.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="shift-{shift.pk}.ics"'
    lines = check_lines(response.content)
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    [event] = events(response.content)
    assert str(event["UID"]) == shift.ical_uid == f"shift-{shift.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == shift.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == shift.ends_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == shift.task.title  # commas, semicolons, backslash and newline survive
    assert str(event["LOCATION"]) == "Lindenhofstraße 12, Hinterhof; Eingang B"
    assert shift.task.purpose.strip() in str(event["DESCRIPTION"])
    assert f"/tasks/{shift.task_id}/" in str(event["URL"])
    assert abs(event.decoded("DTSTAMP") - timezone.now()) < timedelta(minutes=1)
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert "Café-Dienst\\, Küche\\; Kochen\\, Backen\\; Abwasch\\\\Spülen\\nund danach: Aufräumen" in summary


def test_the_uid_is_stable_across_downloads_and_changes(client, shift, staff):
    first = events(client.get(f"/tasks/shifts/{shift.pk}.ics").content)[0]
    services.shift_update(shift=shift, actor=staff, starts_at=shift.starts_at + timedelta(hours=1),
                          ends_at=shift.ends_at + timedelta(hours=1))
    second = events(client.get(f"/tasks/shifts/{shift.pk}.ics").content)[0]
    assert str(first["UID"]) == str(second["UID"])
    assert second.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(hours=1)


def test_a_remote_task_says_so_and_a_cancelled_shift_is_marked(client, organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation, is_remote=True, location=""))
    event = events(client.get(f"/tasks/shifts/{shift.pk}.ics").content)[0]
    assert str(event["LOCATION"]) == "Remote" and str(event["STATUS"]) == "CONFIRMED"
    services.shift_cancel(shift=shift, actor=staff)
    event = events(client.get(f"/tasks/shifts/{shift.pk}.ics").content)[0]
    assert str(event["STATUS"]) == "CANCELLED" and str(event["SUMMARY"]).startswith("Cancelled: ")


def test_a_drafts_shift_is_404_for_the_public(client, organisation):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation, draft=True))
    assert client.get(f"/tasks/shifts/{shift.pk}.ics").status_code == 404
    assert client.get("/tasks/shifts/999999.ics").status_code == 404


# --- the private feed ----------------------------------------------------------------------------

def test_the_feed_has_one_event_per_confirmed_shift(client, organisation, shift):
    person = UserFactory(language="en")
    mine = sign_up(shift, person).shift
    later = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=200), person).shift
    full = ShiftFactory(task=TaskFactory(organisation=organisation, title="Warteliste"), starts_in=300, capacity=1)
    sign_up(full)
    sign_up(full, person)  # waiting: not in the feed
    cancelled = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation, title="Abgesagt"), starts_in=400),
                        person)
    services.shift_cancel_sign_up(sign_up=cancelled, actor=person)
    past = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=500), person).shift
    move_shift(past, starts_at=hours_from_now(-24 * 30))
    token = services.calendar_token_rotate(user=person)
    response = client.get(f"/tasks/calendar/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    lines = check_lines(response.content)
    assert any(line.startswith("X-WR-CALNAME:My shifts") for line in lines)
    uids = [str(event["UID"]) for event in events(response.content)]
    assert sorted(uids) == sorted([mine.ical_uid, later.ical_uid, past.ical_uid])
    again = [str(event["UID"]) for event in events(client.get(f"/tasks/calendar/{token}.ics").content)]
    assert again == uids  # the same entries, never duplicated


def test_a_revoked_or_unknown_feed_is_404(client, shift):
    person = UserFactory()
    sign_up(shift, person)
    token = services.calendar_token_rotate(user=person)
    services.calendar_token_revoke(user=person)
    assert client.get(f"/tasks/calendar/{token}.ics").status_code == 404
    assert client.get("/tasks/calendar/guessed-token.ics").status_code == 404
