"""Volunteering in the open data API: public tasks and their shifts, as numbers, never people."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.stakeholders.factories import OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, SkillFactory, TaskFactory, move_shift, sign_up
from volunteering import services
from volunteering.models import SignUp, Task
from tests.api.support import get, ids

pytestmark = pytest.mark.django_db


TASKS = "/api/v1/tasks/"
SHIFTS = "/api/v1/shifts/"


@pytest.fixture
def tasks(organisation, staff):
    """A published task, a cancelled one, and a draft of the same organisation, each with a shift."""
    published = TaskFactory(organisation=organisation, title="Tafel: Ausgabe", childcare_offered=True,
                            accessible_venue=True, languages="Deutsch, Arabisch", effort_note="zwei Stunden",
                            skills=[SkillFactory(name="Erste Hilfe", slug="erste-hilfe")])
    cancelled = TaskFactory(organisation=organisation, title="Sommerfest", cancelled=True,
                            cancel_reason="Es regnet.")
    draft = TaskFactory(organisation=organisation, title="Geheimer Entwurf", draft=True)
    shifts = {task: ShiftFactory(task=task) for task in (published, cancelled, draft)}
    return published, cancelled, draft, shifts


def test_only_published_and_cancelled_tasks_are_public(client, tasks, organisation):
    published, cancelled, draft, _shifts = tasks
    response, data = get(client, TASKS)
    assert response.status_code == 200
    assert ids(data) == [cancelled.pk, published.pk]  # newest first
    row = data["results"][1]
    assert row["organisation"] == {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name}
    assert (row["title"], row["description"], row["kind"], row["status"]) == (
        "Tafel: Ausgabe", published.purpose, "task", "published")
    assert row["skills"] == [{"slug": "erste-hilfe", "name": "Erste Hilfe"}]
    assert row["taking_part"] == {
        "childcare_offered": True, "expenses_reimbursed": False, "accessible_venue": True,
        "first_timer_friendly": False, "languages": "Deutsch, Arabisch", "effort_note": "zwei Stunden",
        "is_flexible": False, "estimated_hours": None,
    }
    assert (row["location"], row["district"], row["is_remote"]) == ("Lindenhofstraße 12", "Nordstadt", False)
    assert row["next_shift_starts_at"] is not None
    assert row["url"] == f"http://testserver/tasks/{published.pk}/"
    assert data["results"][0]["cancel_reason"] == "Es regnet."
    assert "Geheimer Entwurf" not in response.content.decode()
    assert get(client, f"{TASKS}{draft.pk}/")[0].status_code == 404


def test_staff_and_superusers_get_the_same_public_data(client, tasks, staff, superuser):
    _published, _cancelled, draft, shifts = tasks
    for user in (staff, superuser):
        client.force_login(user)
        assert draft.pk not in ids(get(client, TASKS)[1])
        assert shifts[draft].pk not in ids(get(client, SHIFTS)[1])
        assert get(client, f"{TASKS}{draft.pk}/")[0].status_code == 404
        assert get(client, f"{SHIFTS}{shifts[draft].pk}/")[0].status_code == 404


def test_unknown_ids_are_not_found(client, tasks):
    published, *_rest = tasks
    for path in [f"{TASKS}{published.pk + 1000}/", f"{SHIFTS}999999/", f"{TASKS}tafel/"]:
        assert get(client, path)[0].status_code == 404


def test_shifts_show_places_as_numbers_and_nobody_who_took_one(client, organisation, staff):
    task = TaskFactory(organisation=organisation)
    shift = ShiftFactory(task=task, capacity=2)
    people = [UserFactory(display_name=f"Freiwillige {n}") for n in range(4)]
    first = sign_up(shift, people[0])
    sign_up(shift, people[1])
    sign_up(shift, people[2])  # waits
    sign_up(shift, people[3])  # waits
    services.shift_cancel_sign_up(sign_up=first, actor=people[0])  # the place is offered to people[2]
    assert SignUp.objects.filter(shift=shift, status=SignUp.Status.OFFERED).count() == 1
    response, data = get(client, f"{SHIFTS}{shift.pk}/")
    assert response.status_code == 200
    assert data == {
        "id": shift.pk, "task": task.pk, "starts_at": data["starts_at"], "ends_at": data["ends_at"], "capacity": 2,
        "places_taken": 2, "free_places": 0, "waitlist_count": 1, "signup_closes_at": data["signup_closes_at"],
        "is_cancelled": False, "url": f"http://testserver/tasks/{task.pk}/#shift-{shift.pk}",
    }
    body = get(client, SHIFTS)[0].content.decode() + get(client, TASKS)[0].content.decode()
    for person in people:
        assert person.display_name not in body and person.email not in body and person.phone not in body
    assert staff.email not in body


def test_a_cancelled_shift_says_so(client, organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation))
    services.shift_cancel(shift=shift, actor=staff, reason="Krank.")
    _response, data = get(client, f"{SHIFTS}{shift.pk}/")
    assert data["is_cancelled"] is True


def test_task_filters(client, organisation, other_organisation):
    skill = SkillFactory()
    remote = TaskFactory(organisation=organisation, is_remote=True, location="", childcare_offered=True,
                         first_timer_friendly=True, district="Wesertor", skills=[skill])
    meeting = TaskFactory(organisation=other_organisation, kind=Task.Kind.MEETING)
    cancelled = TaskFactory(organisation=organisation, cancelled=True)
    soon = ShiftFactory(task=remote, starts_in=24)
    ShiftFactory(task=meeting, starts_in=24 * 10)
    day = timezone.localdate(soon.starts_at)
    cases = [
        ({"organisation": organisation.pk}, [cancelled.pk, remote.pk]),
        ({"district": "wesertor"}, [remote.pk]),
        ({"skill": skill.pk}, [remote.pk]),
        ({"kind": "meeting"}, [meeting.pk]),
        ({"remote": "true", "childcare": "true", "first_timer": "true"}, [remote.pk]),
        ({"status": "cancelled"}, [cancelled.pk]),
        ({"date_from": day.isoformat(), "date_to": day.isoformat()}, [remote.pk]),
        ({"date_from": (day + timedelta(days=5)).isoformat()}, [meeting.pk]),
    ]
    for params, expected in cases:
        response, data = get(client, TASKS, params)
        assert response.status_code == 200, params
        assert ids(data) == expected, params


def test_the_availability_filter_of_the_site_is_not_offered(client, organisation):
    person = UserFactory()
    TaskFactory(organisation=organisation)
    client.force_login(person)
    # ignored like any other unknown parameter: the API knows nobody's availability
    _response, data = get(client, TASKS, {"fits_availability": "true"})
    assert len(data["results"]) == 1


@pytest.mark.parametrize("params", [
    {"organisation": "abc"}, {"organisation": 999999}, {"skill": "x"}, {"kind": "party"}, {"status": "draft"},
    {"date_from": "gestern"}, {"date_from": "2030-05-10", "date_to": "2030-05-01"}, {"remote": "vielleicht"},
    {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
])
def test_bad_task_filters_are_refused(client, organisation, params):
    TaskFactory(organisation=organisation)
    assert get(client, TASKS, params)[0].status_code == 400


@pytest.mark.parametrize("params", [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "gestern"}])
def test_bad_shift_periods_are_refused(client, organisation, params):
    ShiftFactory(task=TaskFactory(organisation=organisation))
    assert get(client, SHIFTS, params)[0].status_code == 400


def test_shift_filters(client, tasks, other_organisation):
    published, cancelled, _draft, shifts = tasks
    elsewhere = ShiftFactory(task=TaskFactory(organisation=other_organisation), starts_in=24 * 20)
    past = move_shift(ShiftFactory(task=published), starts_at=timezone.now() - timedelta(days=3))
    assert ids(get(client, SHIFTS, {"task": published.pk})[1]) == [past.pk, shifts[published].pk]
    assert ids(get(client, SHIFTS, {"organisation": other_organisation.pk})[1]) == [elsewhere.pk]
    assert ids(get(client, SHIFTS, {"upcoming": "false"})[1]) == [past.pk]
    assert sorted(ids(get(client, SHIFTS, {"upcoming": "true"})[1])) == sorted(
        [shifts[published].pk, shifts[cancelled].pk, elsewhere.pk])
    day = timezone.localdate(elsewhere.starts_at).isoformat()
    assert ids(get(client, SHIFTS, {"date_from": day, "date_to": day})[1]) == [elsewhere.pk]


@pytest.mark.parametrize("params", [{"task": "x"}, {"task": "draft"}, {"organisation": 0}, {"upcoming": "bald"},
                                    {"date_to": "2030-13-01"}, {"date_from": "2030-05-10", "date_to": "2030-05-01"}])
def test_bad_shift_filters_are_refused(client, tasks, params):
    _published, _cancelled, draft, _shifts = tasks
    if params.get("task") == "draft":
        params = {"task": draft.pk}  # a draft is as unknown as a task that never existed
    assert get(client, SHIFTS, params)[0].status_code == 400


def fill(size):
    skills = SkillFactory.create_batch(3)
    for index in range(size):
        task = TaskFactory(organisation=OrganisationFactory(), skills=skills, cancelled=index % 5 == 4)
        TaskFactory(organisation=task.organisation, draft=True)
        for hours in (24, 48):
            shift = ShiftFactory(task=task, starts_in=hours + index, capacity=1)
            if not task.is_cancelled:
                sign_up(shift)
                sign_up(shift)


@pytest.mark.parametrize("size", [3, 30])
def test_queries_do_not_grow(client, django_assert_max_num_queries, size):
    fill(size)
    task = Task.objects.published().first()
    shift = task.shifts.first()
    # count + rows (+ skills), + one lookup per chosen filter value
    cases = [
        (TASKS, {}, 3), (TASKS, {"organisation": task.organisation_id, "skill": task.skills.first().pk,
                                 "kind": "task", "remote": "false", "date_from": "2030-01-01"}, 5),
        (f"{TASKS}{task.pk}/", {}, 2),
        (SHIFTS, {}, 2), (SHIFTS, {"task": task.pk, "organisation": task.organisation_id, "upcoming": "true"}, 4),
        (f"{SHIFTS}{shift.pk}/", {}, 1),
    ]
    for url, params, queries in cases:
        with django_assert_max_num_queries(queries):
            response, _data = get(client, url, {"page_size": 100, **params})
        assert response.status_code == 200, (url, params)
    assert get(client, TASKS, {"page_size": 100})[1]["count"] == size
    assert get(client, SHIFTS, {"page_size": 100})[1]["count"] == 2 * size
