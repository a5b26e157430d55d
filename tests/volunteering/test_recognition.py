"""Attendance and hours, certificates, the volunteer's profile, calendar token and list reads."""
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Activity
from volunteering import services
from volunteering.models import Certificate, Shift, SignUp, Task, VolunteerProfile
from volunteering.models.people import normalise_verification_code

from .factories import ShiftFactory, SkillFactory, TaskFactory, hours_from_now, move_shift, sign_up, volunteer
from .test_services import refused

pytestmark = pytest.mark.django_db
S = SignUp.Status


def done_shift(organisation, person, *, days_ago=3, hours=3, task=None, capacity=3):
    """A shift that took place ``days_ago`` days ago, with ``person`` confirmed on it."""
    task = task or TaskFactory(organisation=organisation)
    shift = ShiftFactory(task=task, ends_at=hours_from_now(72 + hours), capacity=capacity)
    record = sign_up(shift, person)
    move_shift(shift, starts_at=timezone.now() - timedelta(days=days_ago))
    return shift, record


# Attendance --------------------------------------------------------------------------------------

def test_staff_mark_attendance_with_the_shifts_length_by_default(organisation, staff):
    shift, record = done_shift(organisation, volunteer(organisation))
    marked = services.attendance_mark(sign_up=record, actor=staff, attended=True)
    assert (marked.attended, marked.hours, marked.attendance_marked_by) == (True, Decimal("3.00"), staff)
    assert Activity.objects.for_target(record).filter(verb="signup.attendance_marked").exists()
    marked = services.attendance_mark(sign_up=record, actor=staff, attended=True, hours="4.5")
    assert marked.hours == Decimal("4.50")
    absent = services.attendance_mark(sign_up=record, actor=staff, attended=False)
    assert (absent.attended, absent.hours) == (False, Decimal("0.00"))


def test_a_flexible_task_credits_its_estimate(organisation, staff):
    task = TaskFactory(organisation=organisation, is_flexible=True, estimated_hours=Decimal("1.5"))
    shift = ShiftFactory(task=task, starts_in=1, ends_at=hours_from_now(240))
    record = sign_up(shift)
    move_shift(shift, starts_at=hours_from_now(-2), ends_at=hours_from_now(200))
    assert services.attendance_mark(sign_up=record, actor=staff, attended=True).hours == Decimal("1.50")


@pytest.mark.parametrize("attended, hours, message", [
    (True, "-1", "Hours cannot be negative."),
    (True, "lots", "Enter the hours as a number"),
    (True, "1000", "That is more hours than one sign-up can record."),
    (False, "2", "Someone who did not attend has no hours to record."),
])
def test_bad_hours_are_refused(organisation, staff, attended, hours, message):
    shift, record = done_shift(organisation, volunteer())
    refused(message, lambda: services.attendance_mark(sign_up=record, actor=staff, attended=attended, hours=hours))


def test_attendance_only_for_confirmed_people_once_the_shift_started(organisation, staff, other_staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=1)
    record, waiting = sign_up(shift), sign_up(shift)
    refused("Attendance can be marked once the shift has started.",
            lambda: services.attendance_mark(sign_up=record, actor=staff, attended=True))
    move_shift(shift, starts_at=hours_from_now(-1))
    refused("Only people with a confirmed place can be marked as attended.",
            lambda: services.attendance_mark(sign_up=waiting, actor=staff, attended=True))
    for actor in (other_staff, record.user):
        refused("Only staff of the organisation can do this.",
                lambda actor=actor: services.attendance_mark(sign_up=record, actor=actor, attended=True))
    assert services.attendance_mark(sign_up=record, actor=staff, attended=True).attended  # running: fine


# Certificates -----------------------------------------------------------------------------------

def test_a_certificate_lists_attended_hours_and_tasks_of_one_organisation(organisation, other_organisation, staff,
                                                                           other_staff):
    person = volunteer(organisation)
    person.first_name, person.last_name = "Hans", "Lehmann"
    person.save()
    workshop = TaskFactory(organisation=organisation, title="Fahrradwerkstatt")
    cafe = TaskFactory(organisation=organisation, title="Café", kind=Task.Kind.MEETING)
    for task, hours, days in [(workshop, 3, 10), (workshop, 2, 5), (cafe, 4, 3)]:
        shift, record = done_shift(organisation, person, task=task, hours=hours, days_ago=days)
        services.attendance_mark(sign_up=record, actor=staff, attended=True)
    _, absent = done_shift(organisation, person, days_ago=4)
    services.attendance_mark(sign_up=absent, actor=staff, attended=False)
    _, elsewhere = done_shift(other_organisation, person, days_ago=2)
    services.attendance_mark(sign_up=elsewhere, actor=other_staff, attended=True)
    _, too_early = done_shift(organisation, person, days_ago=40)
    services.attendance_mark(sign_up=too_early, actor=staff, attended=True)

    today = timezone.localdate()
    certificate = services.certificate_issue(user=person, organisation=organisation,
                                             period_start=today - timedelta(days=30), period_end=today)
    assert certificate.hours == Decimal("9.00") and certificate.holder_name == "Hans Lehmann"
    assert certificate.organisation_name == organisation.name
    assert certificate.tasks == [
        {"title": "Café", "kind": "meeting", "shifts": 1, "hours": "4.00"},
        {"title": "Fahrradwerkstatt", "kind": "task", "shifts": 2, "hours": "5.00"},
    ]
    assert normalise_verification_code(certificate.verification_code) == certificate.verification_code
    again = services.certificate_issue(user=person, organisation=organisation,
                                       period_start=today - timedelta(days=30), period_end=today)
    assert again.pk == certificate.pk  # downloading twice keeps one code
    assert Certificate.objects.by_code(certificate.verification_code.lower().replace("-", " ")) == certificate
    assert Certificate.objects.by_code("nonsense") is None


@pytest.mark.parametrize("start, end, message", [
    (0, -1, "The period must not end before it starts."),
    (2, 5, "The period cannot start in the future."),
    (-5, 0, "There are no confirmed hours with"),
])
def test_certificates_need_a_sensible_period_with_hours(organisation, start, end, message):
    today = timezone.localdate()
    person = volunteer(organisation)
    with pytest.raises(services.VolunteeringError, match=message):
        services.certificate_issue(user=person, organisation=organisation,
                                   period_start=today + timedelta(days=start), period_end=today + timedelta(days=end))
    assert not Certificate.objects.exists()


def test_verification_codes_are_forgiving_to_type():
    assert normalise_verification_code("abcd efgh jkmn") == "ABCD-EFGH-JKMN"
    assert normalise_verification_code("O1IL-0000-0000") == "0111-0000-0000"
    assert normalise_verification_code("ABCD-EFGH-JKM") is None
    assert normalise_verification_code("ABCD-EFGH-JKMU") is None  # U is not in the alphabet


# Profile and calendar ----------------------------------------------------------------------------

def test_the_calendar_token_rotates_and_revokes(person):
    first = services.calendar_token_rotate(user=person)
    assert VolunteerProfile.objects.by_calendar_token(first).user == person
    second = services.calendar_token_rotate(user=person)
    assert second != first and VolunteerProfile.objects.by_calendar_token(first) is None
    services.calendar_token_revoke(user=person)
    assert VolunteerProfile.objects.by_calendar_token(second) is None
    assert VolunteerProfile.objects.by_calendar_token("") is None


def test_the_profile_keeps_skills_and_weekly_availability(person):
    skill = SkillFactory()
    profile = services.volunteer_profile_update(user=person, skills=[skill],
                                                availability=[(1, time(9), time(13)), (6, time(10), time(18))])
    assert list(profile.skills.all()) == [skill]
    assert [str(slot) for slot in profile.availability.all()] == ["Monday 09:00–13:00", "Saturday 10:00–18:00"]
    with pytest.raises(services.VolunteeringError, match="On Tuesday, the time you are free must end after"):
        services.volunteer_profile_update(user=person, availability=[(2, time(12), time(9))])
    with pytest.raises(services.VolunteeringError, match="Choose a weekday"):
        services.volunteer_profile_update(user=person, availability=[(8, time(9), time(10))])
    assert profile.availability.count() == 2  # refused changes leave the old availability


def next_local(weekday, hour):
    """The next local datetime on ISO ``weekday`` at ``hour`` o'clock, at least a day ahead."""
    day = timezone.localdate() + timedelta(days=2)
    while day.isoweekday() != weekday:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_tasks_fitting_the_availability(person):
    services.volunteer_profile_update(user=person, availability=[(1, time(9), time(13))])
    monday = ShiftFactory(starts_at=next_local(1, 10), ends_at=next_local(1, 12))
    monday_late = ShiftFactory(starts_at=next_local(1, 12), ends_at=next_local(1, 14))
    tuesday = ShiftFactory(starts_at=next_local(2, 10), ends_at=next_local(2, 12))
    flexible = TaskFactory(is_flexible=True, estimated_hours=2)
    assert set(Shift.objects.fitting_availability(person)) == {monday}
    fitting = set(Task.objects.fitting_availability(person))
    assert fitting == {monday.task, flexible}
    assert monday_late.task not in fitting and tuesday.task not in fitting
    assert not Shift.objects.fitting_availability(volunteer()).exists()


# Named reads for the pages ----------------------------------------------------------------------

def test_task_list_reads(organisation):
    skill = SkillFactory()
    open_task = TaskFactory(organisation=organisation, skills=[skill])
    open_shift = ShiftFactory(task=open_task, capacity=1, starts_in=30)
    ShiftFactory(task=open_task, starts_in=80)
    full_task = TaskFactory(organisation=organisation)
    sign_up(ShiftFactory(task=full_task, capacity=1))
    closed_task = TaskFactory()
    move_shift(ShiftFactory(task=closed_task), starts_at=hours_from_now(1))
    draft = TaskFactory(draft=True)
    ShiftFactory(task=draft)

    assert set(Task.objects.open_for_sign_up()) == {open_task, full_task}
    assert set(Task.objects.with_free_places()) == {open_task}
    assert list(Task.objects.needing_skill(skill)) == [open_task]
    annotated = Task.objects.with_next_shift().get(pk=open_task.pk)
    assert annotated.next_starts_at == open_shift.starts_at
    soon = timezone.localdate() + timedelta(days=1)
    assert set(Task.objects.in_period(None, soon + timedelta(days=1))) >= {open_task, closed_task}
    assert open_task not in set(Task.objects.in_period(soon + timedelta(days=10), None))


def test_my_commitments_reads(organisation, staff):
    person = volunteer()
    coming = ShiftFactory(capacity=1)
    sign_up(coming)
    waiting = sign_up(coming, person)
    _, past = done_shift(organisation, person)
    services.attendance_mark(sign_up=past, actor=staff, attended=True, hours=2)
    mine = SignUp.objects.of_user(person).commitments().with_waitlist_position()
    assert [(s.pk, s.waitlist_position) for s in mine.upcoming()] == [(waiting.pk, 1)]
    assert [s.pk for s in mine.past()] == [past.pk]
    assert SignUp.objects.of_user(person).hours_total() == Decimal("2.00")
    assert SignUp.objects.of_user(volunteer()).hours_total() == 0
    roster = list(SignUp.objects.filter(shift=coming).roster())
    assert [s.status for s in roster] == [S.CONFIRMED, S.WAITLISTED]


def test_the_ical_uid_is_stable(settings):
    settings.SITE_URL = "https://koproduktion.example"
    shift = ShiftFactory()
    assert shift.ical_uid == f"shift-{shift.pk}@koproduktion.example"
