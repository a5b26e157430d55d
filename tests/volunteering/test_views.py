"""The volunteering pages: every page renders, who may reach which page, the task list and its filters,
the task page, and query counts that do not grow with the data.

Actions (sign up, cancel, confirm) are in test_views_actions.py, the volunteer's own pages in
test_views_mine.py, the staff pages in test_views_staff.py.
"""
from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from volunteering import services
from volunteering.models import Task

from .factories import (
    BriefingLinkFactory, ShiftFactory, SkillFactory, TaskFactory, hours_from_now, move_shift, sign_up,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English, the source language, so assertions survive new German translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def task(organisation):
    return TaskFactory(organisation=organisation, title="Tafel: Ausgabe am Freitag")


@pytest.fixture
def shift(task):
    return ShiftFactory(task=task, capacity=2)


def detail(task):
    return f"/tasks/{task.pk}/"


def at_local(days, hour, minute=0):
    """A local moment ``days`` from today at ``hour``."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime.combine(day, time(hour, minute)))


def login_url_for(response, path):
    return response.status_code == 302 and response.url.startswith("/accounts/login/") and (
        f"next={path}" in response.url or f"next={path.replace('/', '%2F')}" in response.url)


# --- pages render --------------------------------------------------------------------------------

def test_public_pages_render(client, shift):
    for address in ["/tasks/", detail(shift.task), "/tasks/certificates/verify/"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert '<main id="main"' in response.text
        assert "<h1" in response.text


def test_signed_in_pages_render(client, shift, person):
    client.force_login(person)
    for address in ["/tasks/", detail(shift.task), "/tasks/mine/", "/tasks/profile/"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert 'name="csrfmiddlewaretoken"' in response.text or address == "/tasks/"


def test_the_navigation_links_the_task_list(client):
    response = client.get("/tasks/")
    assert '<a href="/tasks/" aria-current="page">Tasks</a>' in response.text


@pytest.mark.parametrize("address", ["/tasks/mine/", "/tasks/profile/"])
def test_own_pages_send_anonymous_people_to_sign_in(client, address):
    response = client.get(address)
    assert login_url_for(response, address)


def test_a_draft_is_404_for_the_public_and_shown_to_its_staff(client, organisation, staff, other_staff, person):
    draft = TaskFactory(organisation=organisation, draft=True, title="Noch geheim")
    ShiftFactory(task=draft)
    for someone in [None, person, other_staff]:
        if someone:
            client.force_login(someone)
        assert client.get(detail(draft)).status_code == 404
    assert "Noch geheim" not in client.get("/tasks/").text
    client.force_login(staff)
    response = client.get(detail(draft))
    assert response.status_code == 200 and "only staff of the organisation see it" in response.text


def test_unknown_task_is_404(client):
    assert client.get("/tasks/999999/").status_code == 404


# --- the task list -------------------------------------------------------------------------------

def test_list_shows_published_tasks_with_upcoming_shifts_and_their_next_shift(client, organisation):
    soon = ShiftFactory(task=TaskFactory(organisation=organisation, title="Bald"), starts_in=24, capacity=1)
    ShiftFactory(task=soon.task, starts_in=200, capacity=9)
    sign_up(soon)
    sign_up(soon)  # full, one waiting
    open_task = ShiftFactory(task=TaskFactory(organisation=organisation, title="Offen"), capacity=5).task
    past = ShiftFactory(task=TaskFactory(organisation=organisation, title="Vorbei"))
    past.starts_at, past.ends_at = hours_from_now(-30), hours_from_now(-28)
    past.save()
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Entwurf", draft=True))
    TaskFactory(organisation=organisation, title="Ohne Termin")
    page = client.get("/tasks/").text
    assert "Bald" in page and "Offen" in page
    for hidden in ["Vorbei", "Entwurf", "Ohne Termin"]:
        assert hidden not in page
    assert page.index("Bald") < page.index("Offen")  # soonest first
    assert "1 person on the waitlist" in page and "Full" in page
    assert "5 of 5 places free" in page
    assert f'href="/tasks/{open_task.pk}/"' in page
    assert "2 tasks" in page


def test_list_shows_the_facts_that_make_taking_part_easy(client, organisation):
    task = TaskFactory(organisation=organisation, is_remote=True, childcare_offered=True, expenses_reimbursed=True,
                       accessible_venue=True, first_timer_friendly=True, languages="Deutsch, Arabisch",
                       effort_note="Zwei Stunden im Sitzen")
    ShiftFactory(task=task)
    page = client.get("/tasks/").text
    for fact in ["Can be done from home", "Childcare offered", "Expenses reimbursed", "Accessible venue",
                 "Suitable for first-timers", "Languages: Deutsch, Arabisch", "Effort: Zwei Stunden im Sitzen"]:
        assert fact in page, fact


@pytest.fixture
def variety(organisation, other_organisation):
    """Tasks that each match exactly one filter."""
    cooking = SkillFactory(name="Kochen", slug="kochen")
    tasks = {
        "other_org": TaskFactory(organisation=other_organisation, title="Anderer Träger"),
        "district": TaskFactory(organisation=organisation, title="Im Süden", district="Südstadt"),
        "later": TaskFactory(organisation=organisation, title="Später"),
        "skill": TaskFactory(organisation=organisation, title="Kochen für viele", skills=[cooking]),
        "remote": TaskFactory(organisation=organisation, title="Von zu Hause", is_remote=True),
        "childcare": TaskFactory(organisation=organisation, title="Mit Kinderbetreuung", childcare_offered=True),
        "first_timer": TaskFactory(organisation=organisation, title="Für Neue", first_timer_friendly=True),
        "meeting": TaskFactory(organisation=organisation, title="Runder Tisch", kind=Task.Kind.MEETING),
    }
    for name, task in tasks.items():
        if name == "later":
            ShiftFactory(task=task, starts_at=at_local(20, 10), ends_at=at_local(20, 12))
        else:
            ShiftFactory(task=task, starts_at=at_local(3, 10), ends_at=at_local(3, 12))
    return tasks, cooking


def titles(response):
    return {task.title for task in response.context["tasks"]}


def test_each_filter_narrows_the_list(client, variety, other_organisation):
    tasks, cooking = variety
    in_three_days = (timezone.localdate() + timedelta(days=3)).isoformat()
    cases = {
        "other_org": {"organisation": other_organisation.pk},
        "district": {"district": "Südstadt"},
        "skill": {"skill": cooking.pk},
        "remote": {"remote": "on"},
        "childcare": {"childcare": "on"},
        "first_timer": {"first_timer": "on"},
        "meeting": {"kind": "meeting"},
    }
    for name, params in cases.items():
        response = client.get("/tasks/", params)
        assert response.status_code == 200
        assert titles(response) == {tasks[name].title}, name
    later = (timezone.localdate() + timedelta(days=15)).isoformat()
    assert titles(client.get("/tasks/", {"date_from": later})) == {"Später"}
    both = client.get("/tasks/", {"date_from": in_three_days, "date_to": in_three_days})
    assert "Später" not in titles(both) and len(titles(both)) == len(tasks) - 1
    assert len(titles(client.get("/tasks/"))) == len(tasks)


def test_filters_stay_in_the_url_and_in_the_pagination(client, organisation):
    for index in range(25):
        ShiftFactory(task=TaskFactory(organisation=organisation, title=f"Aufgabe {index}", is_remote=True))
    response = client.get("/tasks/", {"remote": "on"})
    assert len(response.context["tasks"]) == 20
    assert 'href="?remote=on&amp;page=2"' in response.text
    assert len(client.get("/tasks/", {"remote": "on", "page": 2}).context["tasks"]) == 5
    assert 'checked' in response.text


def test_fits_my_availability(client, organisation):
    person = UserFactory()
    services.volunteer_profile_update(user=person, availability=[
        (at_local(3, 10).isoweekday(), time(9), time(13)),
    ])
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Passt"), starts_at=at_local(3, 10),
                 ends_at=at_local(3, 12))
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Abends"), starts_at=at_local(3, 18),
                 ends_at=at_local(3, 20))
    assert "fits_availability" not in client.get("/tasks/").context["filter"].form.fields  # anonymous
    client.force_login(person)
    response = client.get("/tasks/", {"fits_availability": "on"})
    assert titles(response) == {"Passt"}
    assert "Add your weekly availability" not in response.text
    client.force_login(UserFactory())
    response = client.get("/tasks/", {"fits_availability": "on"})
    assert titles(response) == set() and "Add your weekly availability" in response.text


@pytest.mark.parametrize("params, message", [
    ({"organisation": "abc"}, "Select a valid choice"),
    ({"organisation": "999999"}, "Select a valid choice"),
    ({"skill": "x"}, "Select a valid choice"),
    ({"district": "<script>alert(1)</script>"}, "Select a valid choice"),
    ({"kind": "party"}, "Select a valid choice"),
    ({"date_from": "gestern"}, "Enter a valid date"),
    ({"date_from": "2030-02-31"}, "Enter a valid date"),
    ({"date_from": "2030-05-10", "date_to": "2030-05-01"}, "The end of the period must not be before its start."),
    ({"date_to": "9999-12-31"}, "Ensure this value is less than or equal to 2999-12-31."),
])
def test_invalid_filter_values_show_a_message_not_an_error(client, shift, params, message):
    response = client.get("/tasks/", params)
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert response.context["tasks"] == []


def test_a_page_beyond_the_end_is_404(client, shift):
    assert client.get("/tasks/", {"page": 99}).status_code == 404


def fill(organisation, size, skill):
    for index in range(size):
        task = TaskFactory(organisation=organisation if index % 2 else OrganisationFactory(), is_remote=index % 3 == 0,
                           childcare_offered=True, first_timer_friendly=index % 2 == 0, skills=[skill],
                           kind=Task.Kind.MEETING if index % 4 == 0 else Task.Kind.TASK)
        for offset in range(3):
            shift = ShiftFactory(task=task, starts_at=at_local(2 + offset, 10), ends_at=at_local(2 + offset, 12),
                                 capacity=1)
            if offset == 0:
                sign_up(shift)


LIST_QUERIES = [
    {},
    {"organisation": "ORG", "skill": "SKILL", "childcare": "on"},
    {"district": "Nordstadt", "kind": "task", "first_timer": "on", "remote": "on"},
    {"date_from": "FROM", "date_to": "TO", "fits_availability": "on"},
    {"page": 2},
]


@pytest.mark.parametrize("size", [3, 45])
@pytest.mark.parametrize("signed_in", [False, True])
def test_list_queries_do_not_grow(client, django_assert_max_num_queries, organisation, size, signed_in):
    skill = SkillFactory()
    fill(organisation, size, skill)
    person = UserFactory()
    services.volunteer_profile_update(user=person, availability=[(day, time(8), time(20)) for day in range(1, 8)])
    if signed_in:
        client.force_login(person)
    for params in LIST_QUERIES:
        params = dict(params)
        if params.get("page") and size < 21:
            params.pop("page")
        replace = {"ORG": organisation.pk, "SKILL": skill.pk, "FROM": timezone.localdate().isoformat(),
                   "TO": (timezone.localdate() + timedelta(days=5)).isoformat()}
        params = {key: replace.get(value, value) for key, value in params.items()}
        # session + user + availability; districts, organisations, skills (choices); count + rows,
        # skills of the page, next shifts; lookups of chosen organisation and skill
        with django_assert_max_num_queries(12):
            response = client.get("/tasks/", params)
        assert response.status_code == 200, params


# --- the task page -------------------------------------------------------------------------------

def test_task_page_shows_facts_briefing_proposal_and_shifts(client, organisation, staff):
    from proposals import services as proposal_services

    proposal = proposal_services.proposal_create(
        author=UserFactory(), organisation=organisation, title="Tafel im Viertel", summary="s", text="t",
        planning="together", delivery="together", publish=True,
    )
    for status in ["under_review", "accepted"]:
        proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=status, response="Gut.")
    task = TaskFactory(organisation=organisation, proposal=proposal, languages="Deutsch, Türkisch",
                       effort_note="Zwei Stunden", childcare_offered=True, location="Lindenhof, Saal")
    BriefingLinkFactory(task=task, title="So läuft eine Ausgabe ab", url="/wiki/tafel/ablauf/")
    full = ShiftFactory(task=task, capacity=1, starts_in=48)
    free = ShiftFactory(task=task, capacity=4, starts_in=96)
    sign_up(full)
    sign_up(full)
    page = client.get(detail(task)).text
    assert "Read before your shift" in page and 'href="/wiki/tafel/ablauf/"' in page
    assert f'href="/proposals/{proposal.pk}/"' in page and "Tafel im Viertel" in page
    assert "Lindenhof, Saal" in page and "Deutsch, Türkisch" in page and "Childcare is offered." in page
    assert f'id="shift-{full.pk}"' in page and f'id="shift-{free.pk}"' in page
    assert "1 person on the waitlist" in page and "4 of 4 places free" in page
    assert f'href="/tasks/shifts/{full.pk}.ics"' in page
    assert "Sign in to sign up" in page and "/sign-up/" not in page


def test_task_page_offers_the_right_button_for_each_state(client, organisation):
    task = TaskFactory(organisation=organisation)
    person = UserFactory()
    free = ShiftFactory(task=task, capacity=3, starts_in=48)
    full = ShiftFactory(task=task, capacity=1, starts_in=96)
    mine = ShiftFactory(task=task, capacity=3, starts_in=150)
    waiting = ShiftFactory(task=task, capacity=1, starts_in=200)
    closed = ShiftFactory(task=task, capacity=3, starts_in=1)
    sign_up(full)
    sign_up(waiting)
    sign_up(mine, person)
    sign_up(waiting, person)
    client.force_login(person)
    page = client.get(detail(task)).text

    def section(shift):
        start = page.index(f'id="shift-{shift.pk}"')
        return page[start:page.index("</li>", start)]

    assert f'action="/tasks/shifts/{free.pk}/sign-up/"' in section(free) and "Sign up" in section(free)
    assert "Join the waitlist" in section(full)
    assert "You have a place on this shift." in section(mine) and "Cancel my sign-up" in section(mine)
    assert "You are on the waitlist at position 1." in section(waiting) and "Leave the waitlist" in section(waiting)
    assert "Sign-up has closed." in section(closed) and "/sign-up/" not in section(closed)


def test_staff_see_the_roster_link_others_do_not(client, shift, staff, other_staff, person):
    roster = f"/tasks/shifts/{shift.pk}/roster/"
    for someone, sees in [(person, False), (other_staff, False), (staff, True)]:
        client.force_login(someone)
        assert (roster in client.get(detail(shift.task)).text) == sees


def test_staff_reach_the_roster_of_past_shifts_from_the_task_page(client, shift, staff, person):
    move_shift(shift, starts_at=hours_from_now(-30))
    client.force_login(staff)
    page = client.get(detail(shift.task)).text
    assert "Past shifts: attendance and hours" in page and f"/tasks/shifts/{shift.pk}/roster/" in page
    client.force_login(person)
    assert "Past shifts: attendance and hours" not in client.get(detail(shift.task)).text


def test_a_cancelled_task_says_so(client, organisation, staff):
    task = TaskFactory(organisation=organisation)
    ShiftFactory(task=task)
    services.task_cancel(task=task, actor=staff, reason="Der Raum ist nicht verfügbar.")
    page = client.get(detail(task)).text
    assert "This task has been cancelled." in page and "Der Raum ist nicht verfügbar." in page
    assert "There are no upcoming dates for this task." in page


def test_contact_data_never_shows_on_public_pages(client, shift, staff):
    volunteer = UserFactory(email="geheim@example.org", phone="0170 999")
    sign_up(shift, volunteer)
    client.force_login(staff)  # even staff: contact data belongs on the roster only
    for address in ["/tasks/", detail(shift.task)]:
        page = client.get(address).text
        assert "geheim@example.org" not in page and "0170 999" not in page


@pytest.mark.parametrize("size", [3, 40])
def test_task_page_queries_do_not_grow(client, django_assert_max_num_queries, organisation, size):
    task = TaskFactory(organisation=organisation, skills=SkillFactory.create_batch(3))
    BriefingLinkFactory.create_batch(3, task=task)
    person = MembershipFactory(organisation=organisation, role="staff").user
    for index in range(size):
        shift = ShiftFactory(task=task, starts_in=48 + index * 5, capacity=1)
        sign_up(shift, person if index % 2 else None)  # my place, or someone else's
        if index % 4 == 0:
            sign_up(shift, person)  # then I wait
    with django_assert_max_num_queries(5):
        assert client.get(detail(task)).status_code == 200
    client.force_login(person)
    # + session, user, my sign-ups, staff check, whether I read the briefing
    with django_assert_max_num_queries(10):
        response = client.get(detail(task))
    assert response.status_code == 200
    assert response.text.count('class="card shift"') == size
