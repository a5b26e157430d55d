"""Staff pages: the roster with contact data, marking attendance and hours, the roster CSV."""
import csv
import io
from decimal import Decimal

import pytest

from tests.stakeholders.factories import MembershipFactory, UserFactory
from volunteering.models import SignUp
from coproduction.exports import spreadsheet_safe

from .factories import ShiftFactory, TaskFactory, hours_from_now, move_shift, sign_up
from .test_views import english, login_url_for  # noqa: F401  (autouse fixture)
from .test_views_actions import snapshot

pytestmark = pytest.mark.django_db


def roster(shift):
    return f"/tasks/shifts/{shift.pk}/roster/"


def roster_csv(shift):
    return f"/tasks/shifts/{shift.pk}/roster.csv"


def attendance(record):
    return f"/tasks/sign-ups/{record.pk}/attendance/"


@pytest.fixture
def shift(organisation):
    return ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel"), capacity=1)


@pytest.fixture
def volunteer_record(shift):
    person = UserFactory(email="hans@example.org", phone="0170 1234567", first_name="Hans", last_name="Lehmann")
    return sign_up(shift, person)


@pytest.fixture
def started(shift, volunteer_record):
    move_shift(shift, starts_at=hours_from_now(-1))
    return volunteer_record


def rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- who may see the roster ----------------------------------------------------------------------

def test_staff_see_the_roster_with_contact_data(client, shift, volunteer_record, staff):
    waiting = sign_up(shift, UserFactory(display_name="Wartende"))
    client.force_login(staff)
    response = client.get(roster(shift))
    assert response.status_code == 200
    page = response.text
    assert "Hans Lehmann" in page and "hans@example.org" in page and "0170 1234567" in page
    assert f"Waitlist (ticket {waiting.waitlist_number})" in page
    assert "Download the roster (CSV)" in page
    assert "Attendance can be marked once the shift has started." in page


@pytest.mark.parametrize("who", ["other_staff", "volunteer", "member_client", "the_person"])
def test_others_get_403_on_roster_csv_and_attendance(client, started, shift, other_staff, organisation, who):
    user = {
        "other_staff": other_staff,
        "volunteer": MembershipFactory(organisation=organisation, role="volunteer").user,
        "member_client": MembershipFactory(organisation=organisation, role="client").user,
        "the_person": started.user,
    }[who]
    client.force_login(user)
    assert client.get(roster(shift)).status_code == 403
    response = client.get(roster_csv(shift))
    assert response.status_code == 403 and b"hans@example.org" not in response.content
    before = snapshot()
    assert client.post(attendance(started), {"attended": "yes"}).status_code == 403
    assert snapshot() == before
    started.refresh_from_db()
    assert started.attended is None


def test_anonymous_people_are_sent_to_sign_in(client, started, shift):
    for address in [roster(shift), roster_csv(shift)]:
        assert login_url_for(client.get(address), address)
    assert login_url_for(client.post(attendance(started), {"attended": "yes"}), roster(shift))
    started.refresh_from_db()
    assert started.attended is None


def test_platform_operators_see_the_roster(client, shift, volunteer_record, superuser):
    client.force_login(superuser)
    assert client.get(roster(shift)).status_code == 200
    assert client.get(roster_csv(shift)).status_code == 200


def test_unknown_shift_is_404(client, staff):
    client.force_login(staff)
    assert client.get("/tasks/shifts/999999/roster/").status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_roster_queries_do_not_grow(client, django_assert_max_num_queries, organisation, staff, size):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=size // 2)
    for _ in range(size):
        sign_up(shift)
    move_shift(shift, starts_at=hours_from_now(-1))
    client.force_login(staff)
    # session, user, shift, staff check, roster, whether the task has a briefing
    with django_assert_max_num_queries(6):
        response = client.get(roster(shift))
    assert response.status_code == 200
    assert response.text.count("Save attendance") == size // 2
    with django_assert_max_num_queries(5):
        assert client.get(roster_csv(shift)).status_code == 200


# --- the CSV ---------------------------------------------------------------------------------------

def test_the_csv_lists_the_roster(client, shift, volunteer_record, staff):
    sign_up(shift, UserFactory(display_name="Wartende", email="w@example.org", phone=""))
    client.force_login(staff)
    response = client.get(roster_csv(shift))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="roster-shift-{shift.pk}.csv"'
    table = rows(response)
    assert table[0] == ["Name", "Email", "Phone", "Status", "Waitlist ticket", "Offer expires", "Attended", "Hours"]
    assert table[1][:4] == ["Hans Lehmann", "hans@example.org", "0170 1234567", "Confirmed"]
    assert table[2][:5] == ["Wartende", "w@example.org", "", "On the waitlist", "1"]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil.example\")", "+49 170 1", "-2+3", "@SUM(A1)",
                                   "\t=1", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(value):
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("Hans") == "Hans" and spreadsheet_safe(None) == "" and spreadsheet_safe(3) == "3"


def test_the_csv_defuses_formulas_in_names_and_phones(client, shift, staff):
    sign_up(shift, UserFactory(first_name="=cmd|' /C calc'!A0", last_name="", display_name="x",
                               phone="+49 170 555", email="f@example.org"))
    client.force_login(staff)
    row = rows(client.get(roster_csv(shift)))[1]
    assert row[0] == "'=cmd|' /C calc'!A0" and row[2] == "'+49 170 555"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


# --- attendance ------------------------------------------------------------------------------------

def test_staff_mark_attendance_and_hours(client, shift, started, staff):
    client.force_login(staff)
    page = client.get(roster(shift)).text
    assert "Did Hans Lehmann attend?" in page and "Save attendance" in page
    assert f'id="id_attendance{started.pk}_hours"' in page
    response = client.post(attendance(started), {"attended": "yes", "hours": "2,5"})
    assert response.status_code == 302 and response.url == f"{roster(shift)}#signup-{started.pk}"
    started.refresh_from_db()
    assert (started.attended, started.hours, started.attendance_marked_by) == (True, Decimal("2.50"), staff)
    page = client.get(response.url).text
    assert "Saved: Hans Lehmann attended, 2.50 hours." in page
    assert client.post(attendance(started), {"attended": "yes", "hours": ""}).status_code == 302
    started.refresh_from_db()
    assert started.hours == Decimal("2.00")  # the shift's length
    assert client.post(attendance(started), {"attended": "no"}).status_code == 302
    started.refresh_from_db()
    assert (started.attended, started.hours) == (False, Decimal("0.00"))


@pytest.mark.parametrize("data, message", [
    ({}, "Say whether the person attended."),
    ({"attended": "maybe"}, "Select a valid choice"),
    ({"attended": "yes", "hours": "viele"}, "Enter a number."),
    ({"attended": "yes", "hours": "-1"}, "Hours cannot be negative."),
    ({"attended": "yes", "hours": "1000"}, "That is more hours than one sign-up can record."),
    ({"attended": "no", "hours": "3"}, "Someone who did not attend has no hours to record."),
])
def test_bad_attendance_input_saves_nothing(client, shift, started, staff, data, message):
    client.force_login(staff)
    response = client.post(attendance(started), data)
    assert response.status_code == 400
    assert message in response.text and "The attendance was not saved." in response.text
    started.refresh_from_db()
    assert (started.attended, started.hours) == (None, None)


def test_attendance_before_the_start_or_for_the_waitlist_is_refused(client, shift, volunteer_record, staff):
    waiting = sign_up(shift)
    client.force_login(staff)
    for record in [volunteer_record, waiting]:
        response = client.post(attendance(record), {"attended": "yes"})
        assert response.status_code == 403
        assert "once the shift has started" in response.text
    assert not SignUp.objects.filter(attended__isnull=False).exists()


def test_attendance_is_post_only(client, started, staff):
    client.force_login(staff)
    assert client.get(attendance(started)).status_code == 405
