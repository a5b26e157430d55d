"""What staff do: create, change, publish and cancel tasks; add, move, resize and cancel shifts.

Every change that affects people who signed up is recorded in the activity log, from which the
notifications app tells them.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import activity_record
from stakeholders.staff import require_staff

from ..models import Shift, SignUp, Task
from ..notify import Verb
from .errors import VolunteeringError, validate
from .places import end_sign_ups, lock_shift, offer_free_places, withdraw_offers

T = Task.Status
# Who may move a task between statuses: staff of its organisation, always.
TRANSITIONS = {
    T.DRAFT: {T.PUBLISHED, T.CANCELLED},
    T.PUBLISHED: {T.CANCELLED},
    T.CANCELLED: set(),
}
TASK_FIELDS = {
    "kind", "title", "purpose", "location", "district", "is_remote", "effort_note", "childcare_offered",
    "expenses_reimbursed", "accessible_venue", "languages", "first_timer_friendly", "is_flexible",
    "estimated_hours", "signup_closes_hours_before", "proposal",
}


def _lock_task(task):
    return Task.objects.select_for_update(of=("self",), no_key=True).select_related("organisation").get(pk=task.pk)


def _check_fields(fields):
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"Unknown task fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def task_create(*, organisation, actor, title, purpose, skills=(), publish=False, **fields):
    """Staff describe a task (or meeting) of their organisation; it stays a draft unless published."""
    require_staff(actor, organisation)
    _check_fields(fields)
    task = Task(organisation=organisation, title=title.strip(), purpose=purpose.strip(), created_by=actor, **fields)
    if not task.district:
        task.district = organisation.district
    validate(task)
    task.save()
    task.skills.set(skills)
    if publish:
        task = task_set_status(task=task, actor=actor, to_status=T.PUBLISHED)
    return task


def _differs(task, name, value):
    if name == "proposal":
        return task.proposal_id != (value.pk if value is not None else None)
    return getattr(task, name) != value


@transaction.atomic
def task_update(*, task, actor, skills=None, **fields):
    """Staff change a task; people signed up learn what changed (``task.changed``)."""
    _check_fields(fields)
    task = _lock_task(task)
    require_staff(actor, task.organisation)
    if task.is_cancelled:
        raise VolunteeringError(_("A cancelled task can no longer be changed."))
    changed = [name for name, value in fields.items() if _differs(task, name, value)]
    for name in changed:
        setattr(task, name, fields[name])
    validate(task)
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
    if skills is not None and {s.pk for s in skills} != set(task.skills.values_list("pk", flat=True)):
        task.skills.set(skills)
        changed.append("skills")
    if {"signup_closes_hours_before", "is_flexible"} & set(changed):
        for shift in Shift.objects.upcoming().filter(task=task).select_for_update().order_by("pk"):
            shift.task = task
            shift.save(update_fields=[])  # save() recomputes signup_closes_at
    if changed and task.status == T.PUBLISHED:
        activity_record(actor=actor, verb=Verb.TASK_CHANGED, target=task, organisation=task.organisation,
                        fields=sorted(changed))
    return task


@transaction.atomic
def task_set_status(*, task, actor, to_status, reason=""):
    """Moves a task along TRANSITIONS; cancelling also cancels its shifts that have not ended."""
    task = _lock_task(task)
    require_staff(actor, task.organisation)
    if to_status not in TRANSITIONS[task.status]:
        raise VolunteeringError(
            _("A task cannot move from “%(from)s” to “%(to)s”.")
            % {"from": T(task.status).label, "to": T(to_status).label}
        )
    now = timezone.now()
    task.status = to_status
    update_fields = ["status", "updated_at"]
    if to_status == T.PUBLISHED:
        task.published_at = now
        update_fields.append("published_at")
    if to_status == T.CANCELLED:
        task.cancelled_at, task.cancel_reason = now, reason.strip()
        update_fields += ["cancelled_at", "cancel_reason"]
    task.save(update_fields=update_fields)
    if to_status == T.CANCELLED:
        for shift in Shift.objects.upcoming(now).filter(task=task).order_by("pk"):
            _cancel_locked_shift(lock_shift(shift), actor=actor, reason=task.cancel_reason, now=now)
    verb = Verb.TASK_PUBLISHED if to_status == T.PUBLISHED else Verb.TASK_CANCELLED
    activity_record(actor=actor, verb=verb, target=task, organisation=task.organisation, reason=task.cancel_reason)
    return task


def task_publish(*, task, actor):
    return task_set_status(task=task, actor=actor, to_status=T.PUBLISHED)


def task_cancel(*, task, actor, reason=""):
    return task_set_status(task=task, actor=actor, to_status=T.CANCELLED, reason=reason)


def _check_times(starts_at, ends_at, now):
    if starts_at is None or ends_at is None:
        raise VolunteeringError(_("Give the start and the end of the shift."))
    if ends_at <= starts_at:
        raise VolunteeringError(_("The shift must end after it starts."), field_errors={
            "ends_at": [_("The shift must end after it starts.")]})
    if starts_at <= now:
        raise VolunteeringError(_("A shift cannot start in the past."), field_errors={
            "starts_at": [_("A shift cannot start in the past.")]})


def _check_capacity(capacity):
    if capacity is None or capacity < 0:
        raise VolunteeringError(_("The number of places cannot be negative."), field_errors={
            "capacity": [_("The number of places cannot be negative.")]})


@transaction.atomic
def shift_create(*, task, actor, starts_at, ends_at, capacity):
    """Staff add a date to a task; it takes sign-ups once the task is published."""
    task = _lock_task(task)
    require_staff(actor, task.organisation)
    if task.is_cancelled:
        raise VolunteeringError(_("This task has been cancelled; it takes no new shifts."))
    _check_times(starts_at, ends_at, timezone.now())
    _check_capacity(capacity)
    shift = Shift(task=task, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    shift.signup_closes_at = shift.compute_signup_closes_at()
    validate(shift)
    shift.save()
    if task.status == T.PUBLISHED:
        activity_record(actor=actor, verb=Verb.SHIFT_CREATED, target=shift, organisation=task.organisation)
    return shift


@transaction.atomic
def shift_update(*, shift, actor, starts_at=None, ends_at=None, capacity=None):
    """Staff move a shift that has not started (``shift.changed``) and/or change its places."""
    shift = lock_shift(shift)
    require_staff(actor, shift.task.organisation)
    if shift.is_cancelled:
        raise VolunteeringError(_("This shift has been cancelled; it can no longer be changed."))
    now = timezone.now()
    starts_at = starts_at or shift.starts_at
    ends_at = ends_at or shift.ends_at
    if (starts_at, ends_at) != (shift.starts_at, shift.ends_at):
        if shift.has_started(now):
            raise VolunteeringError(_("This shift has already started; its times can no longer be changed."))
        _check_times(starts_at, ends_at, now)
        before = (shift.starts_at.isoformat(), shift.ends_at.isoformat())
        shift.starts_at, shift.ends_at = starts_at, ends_at
        shift.save(update_fields=["starts_at", "ends_at"])
        activity_record(actor=actor, verb=Verb.SHIFT_CHANGED, target=shift, organisation=shift.task.organisation,
                        starts_at_before=before[0], ends_at_before=before[1])
    if capacity is not None and capacity != shift.capacity:
        _set_capacity(shift, capacity=capacity, actor=actor, now=now)
    return shift


@transaction.atomic
def shift_set_capacity(*, shift, capacity, actor):
    """Staff change the number of places: never below the confirmed people; new places go to the waitlist."""
    _check_capacity(capacity)
    shift = lock_shift(shift)
    require_staff(actor, shift.task.organisation)
    return _set_capacity(shift, capacity=capacity, actor=actor, now=timezone.now())


def _set_capacity(shift, *, capacity, actor, now):
    _check_capacity(capacity)
    if shift.is_cancelled:
        raise VolunteeringError(_("This shift has been cancelled; it can no longer be changed."))
    if capacity < shift.confirmed_count:
        message = ngettext(
            "%(count)d person has a confirmed place on this shift; it cannot have fewer places than that.",
            "%(count)d people have a confirmed place on this shift; it cannot have fewer places than that.",
            shift.confirmed_count,
        ) % {"count": shift.confirmed_count}
        raise VolunteeringError(message, field_errors={"capacity": [message]})
    before = shift.capacity
    if before == capacity:
        return shift
    excess = shift.confirmed_count + shift.offered_count - capacity
    if excess > 0:  # open offers that no longer fit go back to the queue, newest first
        withdraw_offers(shift, count=excess, now=now)
    Shift.objects.filter(pk=shift.pk).update(capacity=capacity)
    shift.capacity = capacity
    offer_free_places(shift, now=now)
    activity_record(actor=actor, verb=Verb.SHIFT_CAPACITY_CHANGED, target=shift, organisation=shift.task.organisation,
                    before=before, after=capacity)
    return shift


@transaction.atomic
def shift_cancel(*, shift, actor, reason=""):
    """Staff cancel a shift that has not ended; everyone signed up or waiting is told."""
    shift = lock_shift(shift)
    require_staff(actor, shift.task.organisation)
    now = timezone.now()
    if shift.is_cancelled:
        raise VolunteeringError(_("This shift has already been cancelled."))
    if shift.is_over(now):
        raise VolunteeringError(_("This shift is over; it can no longer be cancelled."))
    return _cancel_locked_shift(shift, actor=actor, reason=reason.strip(), now=now)


def _cancel_locked_shift(shift, *, actor, reason, now):
    ended = end_sign_ups(shift, statuses=SignUp.ACTIVE_STATUSES, new_status=SignUp.Status.CANCELLED, now=now,
                         verb=Verb.CANCELLED_BY_ORGANISATION, actor=actor, reason=reason)
    Shift.objects.filter(pk=shift.pk).update(cancelled_at=now, cancelled_by=actor, cancel_reason=reason)
    shift.cancelled_at, shift.cancelled_by, shift.cancel_reason = now, actor, reason
    activity_record(actor=actor, verb=Verb.SHIFT_CANCELLED, target=shift, organisation=shift.task.organisation,
                    reason=reason, people=len(ended))
    return shift
