"""What staff do with tasks and shifts: rules, messages, activity records, nothing half-saved."""
from datetime import timedelta

import pytest
from django.utils import timezone

from coproduction.errors import NotPermitted
from notifications.models import Activity
from proposals.models import Proposal
from tests.proposals.factories import ProposalFactory
from volunteering import services
from volunteering.models import Shift, SignUp, Task

from .factories import SkillFactory, ShiftFactory, TaskFactory, counts, hours_from_now, move_shift, sign_up
from .test_services import refused, verbs

pytestmark = pytest.mark.django_db
S = SignUp.Status
T = Task.Status


def create_task(organisation, actor, **fields):
    data = {"title": "Vorlesen im Pflegeheim", "purpose": "Bewohnerinnen freuen sich über Besuch.",
            "location": "Uferweg 8", **fields}
    return services.task_create(organisation=organisation, actor=actor, **data)


# Tasks ------------------------------------------------------------------------------------------

def test_staff_create_a_draft_task_with_the_facts_that_make_taking_part_easy(organisation, staff):
    skill = SkillFactory(name="Vorlesen")
    task = create_task(organisation, staff, skills=[skill], childcare_offered=True, expenses_reimbursed=True,
                       accessible_venue=True, languages="Deutsch, Türkisch", first_timer_friendly=True,
                       effort_note="Zwei Stunden, im Sitzen", kind=Task.Kind.MEETING)
    assert task.status == T.DRAFT and task.created_by == staff and task.district == organisation.district
    assert list(task.skills.all()) == [skill]
    assert verbs(task) == []  # drafts are not announced
    published = services.task_publish(task=task, actor=staff)
    assert published.status == T.PUBLISHED and published.published_at is not None
    assert verbs(task) == ["task.published"]


@pytest.mark.parametrize("fields, message", [
    ({"location": ""}, "Say where it takes place, or mark it as remote."),
    ({"is_flexible": True}, "A flexible task needs an estimate of the hours it takes."),
    ({"title": ""}, "This field cannot be blank."),
])
def test_bad_task_input_is_refused_with_the_field_named(organisation, staff, fields, message):
    with pytest.raises(services.VolunteeringError) as error:
        create_task(organisation, staff, **fields)
    assert message in str(error.value)
    assert any(message in text for texts in error.value.field_errors.values() for text in texts)
    assert not Task.objects.exists()


def test_a_remote_flexible_task_needs_no_place(organisation, staff):
    task = create_task(organisation, staff, location="", is_remote=True, is_flexible=True, estimated_hours=3)
    assert task.is_remote and task.estimated_hours == 3


@pytest.mark.parametrize("status", [Proposal.Status.ACCEPTED, Proposal.Status.IN_DELIVERY])
def test_an_accepted_or_delivered_proposal_of_the_organisation_can_be_linked(organisation, staff, status):
    proposal = ProposalFactory(organisation=organisation, status=status)
    assert create_task(organisation, staff, proposal=proposal).proposal == proposal


@pytest.mark.parametrize("status", [Proposal.Status.PUBLISHED, Proposal.Status.UNDER_REVIEW,
                                    Proposal.Status.REJECTED, Proposal.Status.DRAFT])
def test_proposals_not_yet_accepted_cannot_be_linked(organisation, staff, status):
    proposal = ProposalFactory(organisation=organisation, status=status)
    with pytest.raises(services.VolunteeringError, match="Only an accepted proposal or one in delivery"):
        create_task(organisation, staff, proposal=proposal)


def test_another_organisations_proposal_cannot_be_linked(organisation, other_organisation, staff):
    proposal = ProposalFactory(organisation=other_organisation, status=Proposal.Status.ACCEPTED)
    with pytest.raises(services.VolunteeringError, match="Only a proposal of the same organisation"):
        create_task(organisation, staff, proposal=proposal)


def test_a_link_stays_valid_when_the_proposal_completes(organisation, staff):
    proposal = ProposalFactory(organisation=organisation, status=Proposal.Status.IN_DELIVERY)
    task = create_task(organisation, staff, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.COMPLETED)
    assert services.task_update(task=task, actor=staff, title="Vorlesen am Nachmittag").title.endswith("Nachmittag")


def test_only_staff_of_the_organisation_create_and_change_tasks(organisation, other_staff, person, staff):
    for actor in (other_staff, person):
        with pytest.raises(NotPermitted, match="Only staff of the organisation"):
            create_task(organisation, actor)
    task = create_task(organisation, staff)
    refused("Only staff of the organisation", lambda: services.task_update(task=task, actor=other_staff, title="X"))
    refused("Only staff of the organisation", lambda: services.task_publish(task=task, actor=other_staff))


def test_changing_a_published_task_records_what_changed(organisation, staff):
    task = TaskFactory(organisation=organisation)
    services.task_update(task=task, actor=staff, title=task.title)  # no change, no record
    assert verbs(task) == []
    services.task_update(task=task, actor=staff, location="Saal im Erdgeschoss", childcare_offered=True,
                         skills=[SkillFactory()])
    activity = Activity.objects.for_target(task).get()
    assert activity.verb == "task.changed"
    assert activity.data["fields"] == ["childcare_offered", "location", "skills"]


def test_a_new_closing_time_moves_the_shifts_deadlines(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=50)
    services.task_update(task=shift.task, actor=staff, signup_closes_hours_before=24)
    shift.refresh_from_db()
    assert shift.signup_closes_at == shift.starts_at - timedelta(hours=24)


def test_task_status_moves_follow_the_transitions(organisation, staff):
    task = TaskFactory(organisation=organisation)
    refused("A task cannot move from “Published” to “Published”.",
            lambda: services.task_publish(task=task, actor=staff))
    services.task_cancel(task=task, actor=staff, reason="Die Räume sind gesperrt.")
    refused("A task cannot move from “Cancelled” to “Published”.",
            lambda: services.task_publish(task=task, actor=staff))
    refused("A cancelled task can no longer be changed.",
            lambda: services.task_update(task=task, actor=staff, title="Neu"))


def test_cancelling_a_task_cancels_its_coming_shifts_and_tells_everyone(organisation, staff):
    task = TaskFactory(organisation=organisation)
    coming = ShiftFactory(task=task, capacity=1)
    holder, waiting = sign_up(coming), sign_up(coming)
    past = ShiftFactory(task=task)
    earlier = sign_up(past)
    move_shift(past, starts_at=hours_from_now(-48))
    services.task_cancel(task=task, actor=staff, reason="Die Räume sind gesperrt.")
    assert counts(coming) == (0, 0, 0) and Shift.objects.get(pk=coming.pk).is_cancelled
    assert Shift.objects.get(pk=past.pk).cancelled_at is None  # history stays as it was
    assert SignUp.objects.get(pk=earlier.pk).status == S.CONFIRMED
    for person in (holder, waiting):
        record = Activity.objects.for_target(person).get(verb="signup.cancelled_by_organisation")
        assert record.data["reason"] == "Die Räume sind gesperrt." and record.actor == staff
    assert verbs(task) == ["task.cancelled"] and verbs(coming) == ["shift.cancelled"]


# Shifts ------------------------------------------------------------------------------------------

def test_staff_add_shifts(organisation, staff):
    task = TaskFactory(organisation=organisation)
    starts_at = hours_from_now(48)
    shift = services.shift_create(task=task, actor=staff, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                                  capacity=4)
    assert shift.signup_closes_at == starts_at - timedelta(hours=2)
    assert verbs(shift) == ["shift.created"]


@pytest.mark.parametrize("starts_in, length, capacity, message", [
    (48, -1, 3, "The shift must end after it starts."),
    (48, 0, 3, "The shift must end after it starts."),
    (-2, 1, 3, "A shift cannot start in the past."),
    (48, 2, -1, "The number of places cannot be negative."),
])
def test_bad_shift_input_is_refused(organisation, staff, starts_in, length, capacity, message):
    task = TaskFactory(organisation=organisation)
    starts_at = hours_from_now(starts_in)
    refused(message, lambda: services.shift_create(
        task=task, actor=staff, starts_at=starts_at, ends_at=starts_at + timedelta(hours=length), capacity=capacity))


def test_a_cancelled_task_takes_no_new_shifts(organisation, staff):
    task = TaskFactory(organisation=organisation, cancelled=True)
    refused("This task has been cancelled", lambda: services.shift_create(
        task=task, actor=staff, starts_at=hours_from_now(5), ends_at=hours_from_now(6), capacity=1))


def test_moving_a_shift_is_recorded_and_refused_once_started(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation))
    new_start = shift.starts_at + timedelta(days=1)
    services.shift_update(shift=shift, actor=staff, starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    shift.refresh_from_db()
    assert shift.starts_at == new_start and shift.signup_closes_at == new_start - timedelta(hours=2)
    assert verbs(shift) == ["shift.changed"]
    move_shift(shift, starts_at=hours_from_now(-1))
    refused("This shift has already started; its times can no longer be changed.", lambda: services.shift_update(
        shift=shift, actor=staff, starts_at=hours_from_now(5), ends_at=hours_from_now(6)))


def test_capacity_cannot_go_below_the_confirmed_people(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=4)
    for _ in range(3):
        sign_up(shift)
    refused("3 people have a confirmed place on this shift; it cannot have fewer places than that.",
            lambda: services.shift_set_capacity(shift=shift, capacity=2, actor=staff))
    refused("The number of places cannot be negative.",
            lambda: services.shift_set_capacity(shift=shift, capacity=-1, actor=staff))
    services.shift_set_capacity(shift=shift, capacity=3, actor=staff)
    assert counts(shift) == (3, 0, 0) and shift.capacity == 3
    assert Activity.objects.for_target(shift).get().data == {"before": 4, "after": 3}


def test_raising_capacity_offers_the_new_places_to_the_waitlist(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=1)
    sign_up(shift)
    waiting = [sign_up(shift) for _ in range(3)]
    services.shift_set_capacity(shift=shift, capacity=3, actor=staff)
    statuses = [SignUp.objects.get(pk=w.pk).status for w in waiting]
    assert statuses == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert counts(shift) == (1, 2, 1)


def test_lowering_capacity_takes_back_the_newest_open_offers(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=1)
    sign_up(shift)
    waiting = [sign_up(shift) for _ in range(3)]
    services.shift_set_capacity(shift=shift, capacity=3, actor=staff)
    services.shift_set_capacity(shift=shift, capacity=2, actor=staff)
    first, second = (SignUp.objects.get(pk=w.pk) for w in waiting[:2])
    assert (first.status, second.status) == (S.OFFERED, S.WAITLISTED)
    assert second.waitlist_number == 2 and second.offer_expires_at is None
    assert counts(shift) == (1, 1, 2)
    assert "signup.offer_withdrawn" in verbs(second)


def test_other_staff_cannot_change_places_or_cancel(organisation, other_staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation))
    refused("Only staff of the organisation", lambda: services.shift_set_capacity(
        shift=shift, capacity=9, actor=other_staff))
    refused("Only staff of the organisation", lambda: services.shift_cancel(shift=shift, actor=other_staff))


def test_cancelling_a_shift_twice_or_after_it_ended_is_refused(organisation, staff):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation))
    services.shift_cancel(shift=shift, actor=staff, reason="Krank.")
    refused("This shift has already been cancelled.", lambda: services.shift_cancel(shift=shift, actor=staff))
    refused("This shift has been cancelled.", lambda: sign_up(shift))
    refused("This shift has been cancelled; it can no longer be changed.",
            lambda: services.shift_set_capacity(shift=shift, capacity=5, actor=staff))
    over = ShiftFactory(task=shift.task)
    move_shift(over, starts_at=timezone.now() - timedelta(days=2))
    refused("This shift is over; it can no longer be cancelled.", lambda: services.shift_cancel(shift=over,
                                                                                                actor=staff))
