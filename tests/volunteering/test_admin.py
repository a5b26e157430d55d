"""The volunteering back office: scoping, tasks with shifts through the services, attendance."""
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Activity
from volunteering.models import Shift, SignUp, Task

from .factories import ShiftFactory, TaskFactory, counts, hours_from_now, move_shift, sign_up

pytestmark = pytest.mark.django_db
ADMIN = "/admin/volunteering"


def local(moment):
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M")


def task_form(organisation, *shifts, **fields):
    """The add/change form of a task as the browser sends it, with ``shifts`` as (start, end, places)."""
    data = {
        "organisation": organisation.pk, "kind": "task", "title": "Tafel: Ausgabe am Dienstag",
        "purpose": "Lebensmittel sortieren und an Gäste ausgeben.", "location": "Lindenhofstraße 12",
        "district": "", "signup_closes_hours_before": 2, "effort_note": "", "languages": "",
        "shifts-TOTAL_FORMS": len(shifts), "shifts-INITIAL_FORMS": 0,
        "briefing_links-TOTAL_FORMS": 0, "briefing_links-INITIAL_FORMS": 0,
    }
    for index, (starts_at, ends_at, capacity) in enumerate(shifts):
        (data[f"shifts-{index}-starts_at_0"], data[f"shifts-{index}-starts_at_1"]) = local(starts_at)
        (data[f"shifts-{index}-ends_at_0"], data[f"shifts-{index}-ends_at_1"]) = local(ends_at)
        data[f"shifts-{index}-capacity"] = capacity
    data.update(fields)
    return data


def test_staff_lists_show_only_their_organisations(client, staff, organisation, other_organisation):
    mine = ShiftFactory(task=TaskFactory(organisation=organisation, title="Eigene Aufgabe"))
    theirs = ShiftFactory(task=TaskFactory(organisation=other_organisation, title="Fremde Aufgabe"))
    sign_up(mine)
    foreign = sign_up(theirs)
    client.force_login(staff)
    for model in ("task", "shift", "signup"):
        page = client.get(f"{ADMIN}/{model}/").text
        assert "Eigene Aufgabe" in page and "Fremde Aufgabe" not in page, model
    assert client.get(f"{ADMIN}/signup/{foreign.pk}/change/").status_code == 302  # "does not exist"
    assert client.get(f"{ADMIN}/shift/{theirs.pk}/change/").status_code == 302


def test_the_roster_shows_contact_data_to_the_organisations_staff(client, staff, organisation):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation))
    record = sign_up(shift)
    client.force_login(staff)
    page = client.get(f"{ADMIN}/shift/{shift.pk}/change/").text
    assert record.user.email in page and record.user.phone in page


def test_staff_add_a_task_with_shifts_through_the_services(client, staff, organisation):
    client.force_login(staff)
    starts_at = hours_from_now(48).replace(second=0, microsecond=0)
    response = client.post(f"{ADMIN}/task/add/", task_form(
        organisation, (starts_at, starts_at + timedelta(hours=2), 4)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.context["errors"] if response.context else response
    task = Task.objects.get()
    assert (task.status, task.created_by, task.district) == (Task.Status.DRAFT, staff, organisation.district)
    shift = task.shifts.get()
    assert (shift.starts_at, shift.capacity) == (starts_at, 4)
    assert shift.signup_closes_at == starts_at - timedelta(hours=2)


@pytest.mark.parametrize("length, starts_in, message", [
    (-1, 48, "The shift must end after it starts."),
    (1, -48, "A shift cannot start in the past."),
])
def test_bad_shifts_are_refused_at_the_field(client, staff, organisation, length, starts_in, message):
    client.force_login(staff)
    starts_at = hours_from_now(starts_in)
    response = client.post(f"{ADMIN}/task/add/", task_form(
        organisation, (starts_at, starts_at + timedelta(hours=length), 4)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and message in response.text
    assert not Task.objects.exists() and not Shift.objects.exists()


def test_capacity_below_the_confirmed_people_is_refused_in_the_form(client, staff, organisation):
    task = TaskFactory(organisation=organisation)
    shift = ShiftFactory(task=task, capacity=3)
    sign_up(shift), sign_up(shift)
    data = task_form(organisation, title=task.title, purpose=task.purpose, location=task.location,
                     district=task.district, **{"shifts-TOTAL_FORMS": 1, "shifts-INITIAL_FORMS": 1,
                                                "shifts-0-id": shift.pk, "shifts-0-task": task.pk,
                                                "shifts-0-capacity": 1})
    (data["shifts-0-starts_at_0"], data["shifts-0-starts_at_1"]) = local(shift.starts_at)
    (data["shifts-0-ends_at_0"], data["shifts-0-ends_at_1"]) = local(shift.ends_at)
    client.force_login(staff)
    response = client.post(f"{ADMIN}/task/{task.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "There cannot be fewer places." in response.text
    data["shifts-0-capacity"] = 5
    assert client.post(f"{ADMIN}/task/{task.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert counts(shift) == (2, 0, 0) and Shift.objects.get(pk=shift.pk).capacity == 5
    assert Activity.objects.for_target(shift).filter(verb="shift.capacity_changed").exists()


def test_changing_a_task_in_the_admin_records_the_change(client, staff, organisation):
    task = TaskFactory(organisation=organisation)
    data = task_form(organisation, title="Neuer Titel", purpose=task.purpose, location=task.location,
                     district=task.district)
    client.force_login(staff)
    assert client.post(f"{ADMIN}/task/{task.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert Task.objects.get(pk=task.pk).title == "Neuer Titel"
    assert Activity.objects.for_target(task).get().data["fields"] == ["title"]


def test_publish_and_cancel_actions(client, staff, organisation, other_organisation):
    draft = TaskFactory(organisation=organisation, draft=True)
    foreign = TaskFactory(organisation=other_organisation, draft=True)
    client.force_login(staff)
    client.post(f"{ADMIN}/task/", {"action": "publish", "_selected_action": [draft.pk, foreign.pk]})
    assert Task.objects.get(pk=draft.pk).status == Task.Status.PUBLISHED
    assert Task.objects.get(pk=foreign.pk).status == Task.Status.DRAFT  # outside the scope: not even found
    shift = ShiftFactory(task=draft)
    record = sign_up(shift)
    client.post(f"{ADMIN}/task/", {"action": "cancel", "_selected_action": [draft.pk]})
    assert Task.objects.get(pk=draft.pk).status == Task.Status.CANCELLED
    assert SignUp.objects.get(pk=record.pk).status == SignUp.Status.CANCELLED


def test_staff_mark_attendance_from_the_sign_up_list(client, staff, organisation):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), ends_at=hours_from_now(75))
    present, absent = sign_up(shift), sign_up(shift)
    upcoming = sign_up(ShiftFactory(task=shift.task))
    move_shift(shift, starts_at=hours_from_now(-4))
    client.force_login(staff)
    response = client.post(f"{ADMIN}/signup/", {"action": "mark_attended",
                                                "_selected_action": [present.pk, upcoming.pk]},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Attendance can be marked once the shift has started." in response.text
    assert "1 sign-up marked." in response.text
    client.post(f"{ADMIN}/signup/", {"action": "mark_absent", "_selected_action": [absent.pk]})
    present.refresh_from_db(), absent.refresh_from_db(), upcoming.refresh_from_db()
    assert (present.attended, str(present.hours)) == (True, "3.00")
    assert (absent.attended, str(absent.hours)) == (False, "0.00")
    assert upcoming.attended is None


def test_people_without_a_staff_role_have_no_back_office(client, person):
    client.force_login(person)
    assert client.get(f"{ADMIN}/task/").status_code == 302
