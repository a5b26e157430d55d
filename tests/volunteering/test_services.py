"""Signing up, waiting, offers and the sweeps: the rules, the messages, and nothing half-saved."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from coproduction.errors import DomainError
from notifications.models import Activity
from tests.stakeholders.factories import MembershipFactory
from volunteering import services
from volunteering.models import Shift, SignUp, Task

from .factories import (
    ShiftFactory,
    TaskFactory,
    counts,
    expire_offer,
    hours_from_now,
    move_shift,
    sign_up,
    volunteer,
)

pytestmark = pytest.mark.django_db
S = SignUp.Status


def verbs(obj=None):
    activities = Activity.objects.for_target(obj) if obj is not None else Activity.objects.all()
    return sorted(activities.values_list("verb", flat=True))


def refused(message, action):
    """Asserts the action is refused with ``message`` and changes nothing at all."""
    before = (SignUp.objects.count(), Activity.objects.count(),
              list(Shift.objects.order_by("pk").values_list("capacity", "confirmed_count", "offered_count",
                                                            "waitlist_count", "next_waitlist_number")),
              list(SignUp.objects.order_by("pk").values_list("status", "offer_expires_at")))
    with pytest.raises(DomainError) as error:  # VolunteeringError, or NotPermitted for a missing right
        action()
    assert message in str(error.value)
    after = (SignUp.objects.count(), Activity.objects.count(),
             list(Shift.objects.order_by("pk").values_list("capacity", "confirmed_count", "offered_count",
                                                           "waitlist_count", "next_waitlist_number")),
             list(SignUp.objects.order_by("pk").values_list("status", "offer_expires_at")))
    assert after == before
    return error.value


# Signing up ---------------------------------------------------------------------------------

def test_a_free_place_is_confirmed_and_recorded():
    shift = ShiftFactory(capacity=2)
    person = volunteer(shift.task.organisation)
    result = services.shift_sign_up(shift=shift, user=person)
    assert result.status == S.CONFIRMED and result.confirmed_at is not None and result.waitlist_number is None
    assert counts(shift) == (1, 0, 0)
    activity = Activity.objects.for_target(result).get()
    assert (activity.verb, activity.actor, activity.organisation) == ("signup.confirmed", person,
                                                                      shift.task.organisation)


def test_a_full_shift_puts_people_on_the_waitlist_in_order():
    shift = ShiftFactory(capacity=1)
    sign_up(shift)
    first, second = sign_up(shift), sign_up(shift)
    assert (first.status, first.waitlist_number, second.waitlist_number) == (S.WAITLISTED, 1, 2)
    assert counts(shift) == (1, 0, 2)
    assert verbs(second) == ["signup.waitlisted"]
    positions = dict(SignUp.objects.with_waitlist_position().values_list("pk", "waitlist_position"))
    assert (positions[first.pk], positions[second.pk]) == (1, 2)


def test_a_shift_with_no_places_is_waitlist_only():
    shift = ShiftFactory(capacity=0)
    assert sign_up(shift).status == S.WAITLISTED


@pytest.mark.parametrize("starts_in, message", [
    (-3, "This shift has already started or is over."),
    (-1, "This shift has already started or is over."),  # running: started 1 h ago, ends in 1 h
    (1, "Sign-up closed 2 hours before this shift starts."),
])
def test_past_started_and_closing_shifts_are_refused(starts_in, message):
    shift = ShiftFactory()
    move_shift(shift, starts_at=hours_from_now(starts_in))
    refused(message, lambda: sign_up(shift))


def test_the_closing_time_is_the_tasks_own():
    shift = ShiftFactory(task=TaskFactory(signup_closes_hours_before=0), starts_in=1)
    assert sign_up(shift).status == S.CONFIRMED
    late = ShiftFactory(task=TaskFactory(signup_closes_hours_before=24), starts_in=20)
    refused("Sign-up closed 24 hours before this shift starts.", lambda: sign_up(late))


def test_a_flexible_window_takes_sign_ups_until_shortly_before_it_ends():
    task = TaskFactory(is_flexible=True, estimated_hours=3, is_remote=True, location="")
    window = ShiftFactory(task=task, starts_at=hours_from_now(-48), ends_at=hours_from_now(72))
    assert sign_up(window).status == S.CONFIRMED
    move_shift(window, starts_at=hours_from_now(-48), ends_at=hours_from_now(1))
    refused("Sign-up closed 2 hours before the end of this window.", lambda: sign_up(window))


@pytest.mark.parametrize("task_state, message", [
    ({"draft": True}, "This task is not open for sign-up."),
    ({"cancelled": True}, "This shift has been cancelled."),
])
def test_draft_and_cancelled_tasks_take_no_sign_ups(task_state, message):
    shift = ShiftFactory(task=TaskFactory(**task_state))
    refused(message, lambda: sign_up(shift))


def test_the_same_person_cannot_sign_up_twice():
    shift = ShiftFactory(capacity=1)
    person, waiting = volunteer(), volunteer()
    sign_up(shift, person)
    sign_up(shift, waiting)
    refused("You are already signed up for this shift.", lambda: sign_up(shift, person))
    refused("You are already on the waitlist for this shift.", lambda: sign_up(shift, waiting))


def test_anonymous_people_must_sign_in():
    shift = ShiftFactory()
    refused("Sign in first.", lambda: services.shift_sign_up(shift=shift, user=AnonymousUser()))


def test_overlapping_shifts_are_refused_and_adjacent_ones_allowed():
    person = volunteer()
    morning = ShiftFactory(starts_in=72)
    sign_up(morning, person)
    overlapping = ShiftFactory(starts_at=morning.starts_at + timedelta(hours=1),
                               ends_at=morning.ends_at + timedelta(hours=1))
    error = refused("You already have a place at the same time", lambda: sign_up(overlapping, person))
    assert morning.task.title in str(error)
    adjacent = ShiftFactory(starts_at=morning.ends_at, ends_at=morning.ends_at + timedelta(hours=2))
    assert sign_up(adjacent, person).status == S.CONFIRMED


def test_an_open_offer_also_blocks_overlapping_shifts_but_a_waitlist_place_does_not():
    person = volunteer()
    full = ShiftFactory(capacity=1)
    holder = sign_up(full)
    waiting = sign_up(full, person)
    overlapping = ShiftFactory(starts_at=full.starts_at, ends_at=full.ends_at)
    assert sign_up(overlapping, person).status == S.CONFIRMED  # waiting is no place yet
    other = ShiftFactory(starts_at=full.starts_at, ends_at=full.ends_at, capacity=2)
    services.shift_cancel_sign_up(sign_up=SignUp.objects.get(shift=overlapping, user=person), actor=person)
    services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    refused("You already have a place at the same time", lambda: sign_up(other, person))


def test_flexible_windows_never_overlap():
    person = volunteer()
    fixed = ShiftFactory()
    sign_up(fixed, person)
    task = TaskFactory(is_flexible=True, estimated_hours=2)
    window = ShiftFactory(task=task, starts_at=fixed.starts_at - timedelta(days=1),
                          ends_at=fixed.ends_at + timedelta(days=1))
    assert sign_up(window, person).status == S.CONFIRMED


# Cancelling and offers ---------------------------------------------------------------------------

@pytest.fixture
def queue(settings):
    """A full shift of two with three people waiting; offers run 6 hours here."""
    settings.VOLUNTEERING_OFFER_HOURS = 6
    shift = ShiftFactory(capacity=2, starts_in=96)
    confirmed = [sign_up(shift) for _ in range(2)]
    waiting = [sign_up(shift) for _ in range(3)]
    return shift, confirmed, waiting


def test_a_freed_place_is_offered_to_the_first_in_line_for_a_limited_time(queue):
    shift, confirmed, waiting = queue
    cancelled = services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    assert cancelled.status == S.CANCELLED and cancelled.cancelled_by == confirmed[0].user
    first = SignUp.objects.get(pk=waiting[0].pk)
    assert first.status == S.OFFERED
    assert abs(first.offer_expires_at - (first.offered_at + timedelta(hours=6))) < timedelta(seconds=1)
    assert counts(shift) == (1, 1, 2)
    assert verbs(cancelled) == ["signup.cancelled", "signup.confirmed"]
    assert verbs(first) == ["signup.offered", "signup.waitlisted"]
    # Nobody can jump the queue while the offer runs: a newcomer waits behind.
    assert sign_up(shift).waitlist_number == 4


def test_confirming_an_offer_takes_the_place(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    result = services.offer_confirm(sign_up=waiting[0], user=waiting[0].user)
    assert result.status == S.CONFIRMED and result.waitlist_number == 1
    assert counts(shift) == (2, 0, 2)
    assert "signup.offer_confirmed" in verbs(result)
    refused("You have already confirmed this place.",
            lambda: services.offer_confirm(sign_up=waiting[0], user=waiting[0].user))


def test_an_expired_offer_cannot_be_confirmed(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    expire_offer(waiting[0])
    refused("This offer has expired", lambda: services.offer_confirm(sign_up=waiting[0], user=waiting[0].user))


def test_offers_are_personal_and_need_an_offer(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    refused("This offer is meant for someone else.",
            lambda: services.offer_confirm(sign_up=waiting[0], user=waiting[1].user))
    refused("There is no open offer for you on this shift.",
            lambda: services.offer_confirm(sign_up=waiting[1], user=waiting[1].user))


def test_confirming_an_offer_checks_overlaps(queue):
    shift, confirmed, waiting = queue
    person = waiting[0].user
    sign_up(ShiftFactory(starts_at=shift.starts_at, ends_at=shift.ends_at), person)
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    refused("You already have a place at the same time",
            lambda: services.offer_confirm(sign_up=waiting[0], user=person))


def test_declining_an_offer_passes_it_on(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    services.shift_cancel_sign_up(sign_up=waiting[0], actor=waiting[0].user)
    assert SignUp.objects.get(pk=waiting[1].pk).status == S.OFFERED
    assert counts(shift) == (1, 1, 1)


def test_leaving_the_waitlist_moves_the_others_up(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=waiting[0], actor=waiting[0].user)
    assert counts(shift) == (2, 0, 2)
    positions = dict(SignUp.objects.waitlisted().with_waitlist_position().values_list("pk", "waitlist_position"))
    assert positions == {waiting[1].pk: 1, waiting[2].pk: 2}


def test_double_cancel_is_refused(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    refused("This sign-up has already been cancelled.",
            lambda: services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user))


def test_cancelling_after_the_start_is_refused(queue):
    shift, confirmed, waiting = queue
    move_shift(shift, starts_at=hours_from_now(-1))
    refused("This shift has already started; it can no longer be cancelled.",
            lambda: services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user))


def test_staff_may_cancel_someone_but_others_may_not(queue, other_staff):
    shift, confirmed, waiting = queue
    task_staff = MembershipFactory(organisation=shift.task.organisation, role="staff").user
    refused("Only staff of the organisation can do this.",
            lambda: services.shift_cancel_sign_up(sign_up=confirmed[0], actor=other_staff))
    refused("Only staff of the organisation can do this.",
            lambda: services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[1].user))
    result = services.shift_cancel_sign_up(sign_up=confirmed[0], actor=task_staff)
    assert result.cancelled_by == task_staff
    assert Activity.objects.for_target(result).get(verb="signup.cancelled").data["by_staff"] is True


def test_cancelling_an_expired_sign_up_is_refused(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    expire_offer(waiting[0])
    services.offers_expire()
    refused("This sign-up has already ended",
            lambda: services.shift_cancel_sign_up(sign_up=waiting[0], actor=waiting[0].user))


def test_after_an_expired_offer_the_person_may_sign_up_again_at_the_end(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    expire_offer(waiting[0])
    services.offers_expire()
    again = sign_up(shift, waiting[0].user)
    assert again.status == S.WAITLISTED and again.waitlist_number == 4


# The sweep over offers ----------------------------------------------------------------------------

def test_expired_offers_move_on_once(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    expire_offer(waiting[0])
    assert services.offers_expire() == 1
    statuses = dict(SignUp.objects.filter(pk__in=[w.pk for w in waiting]).values_list("pk", "status"))
    assert statuses == {waiting[0].pk: S.EXPIRED, waiting[1].pk: S.OFFERED, waiting[2].pk: S.WAITLISTED}
    assert counts(shift) == (1, 1, 1)
    assert "signup.offer_expired" in verbs(waiting[0]) and "signup.offered" in verbs(waiting[1])
    activities = Activity.objects.count()
    assert services.offers_expire() == 0  # idempotent
    assert Activity.objects.count() == activities


def test_after_a_long_pause_the_next_person_gets_a_full_offer_period(queue):
    shift, confirmed, waiting = queue
    for holder in confirmed:
        services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    expire_offer(waiting[0], hours_ago=50)
    expire_offer(waiting[1], hours_ago=50)
    services.offers_expire()
    third = SignUp.objects.get(pk=waiting[2].pk)
    assert third.status == S.OFFERED
    assert third.offer_expires_at > timezone.now() + timedelta(hours=5)
    assert counts(shift) == (0, 1, 0)


def test_an_offer_never_outlasts_the_sign_up_deadline(queue):
    shift, confirmed, waiting = queue
    move_shift(shift, starts_at=hours_from_now(5))  # sign-up closes in 3 hours, offers run 6
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    offer = SignUp.objects.get(pk=waiting[0].pk)
    assert offer.offer_expires_at == Shift.objects.get(pk=shift.pk).signup_closes_at


def test_once_sign_up_closes_the_waitlist_expires_and_freed_places_stay_free(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    move_shift(shift, starts_at=hours_from_now(1))  # sign-up closed an hour ago
    expire_offer(waiting[0])
    assert services.offers_expire() == 3
    assert set(SignUp.objects.filter(pk__in=[w.pk for w in waiting]).values_list("status", flat=True)) == {S.EXPIRED}
    assert counts(shift) == (1, 0, 0)
    assert "signup.waitlist_closed" in verbs(waiting[2])
    services.shift_cancel_sign_up(sign_up=confirmed[1], actor=confirmed[1].user)  # no offer after closing
    assert counts(shift) == (0, 0, 0)


def test_the_sweep_works_in_chunks_over_many_shifts():
    expired = []
    for _ in range(5):
        shift = ShiftFactory(capacity=1)
        holder, waiting = sign_up(shift), sign_up(shift)
        services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
        expired.append(expire_offer(waiting))
    assert services.offers_expire(chunk_size=2) == 5
    assert set(SignUp.objects.filter(pk__in=[e.pk for e in expired]).values_list("status", flat=True)) == {S.EXPIRED}


def test_a_future_sweep_time_is_respected(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    assert services.offers_expire(now=timezone.now()) == 0
    assert services.offers_expire(now=timezone.now() + timedelta(hours=7)) == 1


# Reminders ------------------------------------------------------------------------------------------

def test_reminders_are_recorded_once_per_confirmed_sign_up_within_24_hours():
    soon = ShiftFactory(capacity=1, starts_in=20)
    holder, waiting = sign_up(soon), sign_up(soon)
    later = ShiftFactory(starts_in=30)
    sign_up(later)
    cancelled = sign_up(ShiftFactory(starts_in=10))
    services.shift_cancel_sign_up(sign_up=cancelled, actor=cancelled.user)
    assert services.reminders_due() == 1
    assert verbs(holder).count("signup.reminder_due") == 1
    assert "signup.reminder_due" not in verbs(waiting)
    assert services.reminders_due() == 0
    assert services.reminders_due(now=timezone.now() + timedelta(hours=8)) == 1  # now "later" is due
    assert services.reminders_due(now=timezone.now() + timedelta(hours=9)) == 0
    assert Activity.objects.filter(verb="signup.reminder_due").count() == 2


def test_no_reminders_for_cancelled_or_started_shifts(staff, organisation):
    cancelled_shift = ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=5)
    sign_up(cancelled_shift)
    services.shift_cancel(shift=cancelled_shift, actor=staff)
    started = ShiftFactory(starts_in=5)
    sign_up(started)
    move_shift(started, starts_at=hours_from_now(-1))
    assert services.reminders_due() == 0


def test_kept_counters_survive_a_mixed_day(queue):
    shift, confirmed, waiting = queue
    services.shift_cancel_sign_up(sign_up=confirmed[0], actor=confirmed[0].user)
    services.offer_confirm(sign_up=waiting[0], user=waiting[0].user)
    services.shift_cancel_sign_up(sign_up=waiting[2], actor=waiting[2].user)
    services.shift_cancel_sign_up(sign_up=confirmed[1], actor=confirmed[1].user)
    sign_up(shift)
    expire_offer(waiting[1])
    services.offers_expire()
    assert counts(shift) == (1, 1, 0)
    assert Task.objects.get(pk=shift.task_id).status == Task.Status.PUBLISHED
