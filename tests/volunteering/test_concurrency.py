"""Places under simultaneous sign-ups, cancellations, offers and capacity changes on real PostgreSQL.

Every thread has its own database connection, released together by a barrier. Whatever the
interleaving, capacity is never exceeded, no place is given twice, counters equal the rows,
and the waitlist keeps the order in which people got in.
"""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously
from volunteering import services
from volunteering.models import Shift, SignUp

from .factories import ShiftFactory, TaskFactory, counts, sign_up

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL"),
]
S = SignUp.Status


def handing_out(items):
    """A thread-safe ``next()`` over ``items``: each thread takes its own."""
    iterator, lock = iter(items), threading.Lock()

    def take():
        with lock:
            return next(iterator)

    return take


def only_refusals(errors):
    """Refusals are fine; anything else (a deadlock, a violated constraint) is a bug."""
    unexpected = [e for e in errors if not isinstance(e, services.VolunteeringError)]
    assert unexpected == [], unexpected


def assert_consistent(shift):
    kept = counts(shift)  # counters equal the rows, confirmed + offered <= capacity
    active = SignUp.objects.active().filter(shift=shift)
    assert active.values("user").distinct().count() == active.count(), "someone holds two active sign-ups"
    tickets = [n for n in SignUp.objects.filter(shift=shift).values_list("waitlist_number", flat=True) if n]
    assert len(tickets) == len(set(tickets)), "a waitlist ticket was handed out twice"
    return kept


def test_fifty_people_race_for_ten_places():
    shift = ShiftFactory(capacity=10)
    person = handing_out(UserFactory.create_batch(50))
    results, errors = run_simultaneously(50, lambda: services.shift_sign_up(shift=shift, user=person()))
    assert errors == [] and len(results) == 50
    assert assert_consistent(shift) == (10, 0, 40)
    confirmed = list(SignUp.objects.confirmed().filter(shift=shift).order_by("pk"))
    waiting = list(SignUp.objects.waitlisted().filter(shift=shift).order_by("waitlist_number"))
    assert len(confirmed) == 10 and len(waiting) == 40
    # Fair: tickets 1..40 in the order people got in. Row ids and times are drawn under the
    # shift's lock, so they record that order; every confirmed person got in before the first waiting.
    assert [s.waitlist_number for s in waiting] == list(range(1, 41))
    assert [s.pk for s in waiting] == sorted(s.pk for s in waiting)
    assert [s.created_at for s in waiting] == sorted(s.created_at for s in waiting)
    assert max(s.pk for s in confirmed) < min(s.pk for s in waiting)
    positions = dict(SignUp.objects.filter(shift=shift).with_waitlist_position().values_list("pk", "waitlist_position"))
    assert [positions[s.pk] for s in waiting] == list(range(1, 41))
    shift.refresh_from_db()
    assert shift.next_waitlist_number == 41


def test_simultaneous_cancellations_confirmations_and_sign_ups_never_give_a_place_twice():
    organisation = TaskFactory().organisation
    staff = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=5)
    holders = [sign_up(shift) for _ in range(5)]
    waiting = [sign_up(shift) for _ in range(10)]
    for holder in holders[:2]:
        services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    assert counts(shift) == (3, 2, 8)  # waiting[0] and waiting[1] hold offers

    def confirm(index):
        return lambda: services.offer_confirm(sign_up=waiting[index], user=waiting[index].user)

    def cancel(record):
        return lambda: services.shift_cancel_sign_up(sign_up=record, actor=record.user)

    newcomers = handing_out(UserFactory.create_batch(6))
    actions = handing_out(
        [confirm(0), confirm(0), confirm(1), cancel(holders[2]), cancel(holders[3]), cancel(holders[4]),
         cancel(holders[4]), cancel(waiting[9]), lambda: services.offers_expire(),
         lambda: services.shift_set_capacity(shift=shift, capacity=6, actor=staff)]
        + [lambda: services.shift_sign_up(shift=shift, user=newcomers()) for _ in range(6)]
    )
    results, errors = run_simultaneously(16, lambda: actions()())
    only_refusals(errors)
    messages = sorted(str(e) for e in errors)
    assert messages == ["This sign-up has already been cancelled.", "You have already confirmed this place."]
    confirmed, offered, waiting_count = assert_consistent(shift)
    assert {SignUp.objects.get(pk=waiting[i].pk).status for i in (0, 1)} == {S.CONFIRMED}
    # 2 of the 5 first holders remain gone; 3 more cancelled; 6 places: W1, W2 confirmed + 4 offered
    assert (confirmed, offered) == (2, 4)
    assert waiting_count == 10 - 2 - 1 - 4 + 6

    # Second round: everyone with an offer confirms while others cancel and join.
    offered_rows = list(SignUp.objects.offered().filter(shift=shift))
    more = handing_out(UserFactory.create_batch(4))
    confirmations = [(lambda r=r: services.offer_confirm(sign_up=r, user=r.user)) for r in offered_rows]
    second = handing_out(confirmations + [lambda: services.shift_sign_up(shift=shift, user=more()) for _ in range(4)]
                         + [lambda: services.shift_set_capacity(shift=shift, capacity=4, actor=staff)])
    results, errors = run_simultaneously(len(offered_rows) + 5, lambda: second()())
    only_refusals(errors)
    confirmed, offered, _ = assert_consistent(shift)
    assert confirmed + offered <= Shift.objects.get(pk=shift.pk).capacity


def test_capacity_changes_racing_sign_ups_never_overfill():
    organisation = TaskFactory().organisation
    staff = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=4)
    people = handing_out(UserFactory.create_batch(24))
    sizes = handing_out([2, 9, 3, 12, 0, 6])
    actions = handing_out(
        [lambda: services.shift_sign_up(shift=shift, user=people()) for _ in range(24)]
        + [lambda: services.shift_set_capacity(shift=shift, capacity=sizes(), actor=staff) for _ in range(6)]
    )
    results, errors = run_simultaneously(30, lambda: actions()())
    only_refusals(errors)
    assert all("cannot have fewer places" in str(e) for e in errors)
    confirmed, offered, waiting = assert_consistent(shift)
    assert confirmed + offered + waiting == 24


@pytest.mark.parametrize("round_", range(4))
def test_an_offer_confirmed_while_the_sweep_expires_it_is_used_once(round_):
    shift = ShiftFactory(capacity=1)
    holder, first, second = sign_up(shift), sign_up(shift), sign_up(shift)
    services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    later = timezone.now() + timedelta(days=2)  # the sweep believes the offer has run out
    actions = handing_out([lambda: services.offer_confirm(sign_up=first, user=first.user),
                           lambda: services.offers_expire(now=later)])
    results, errors = run_simultaneously(2, lambda: actions()())
    only_refusals(errors)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) in [(S.CONFIRMED, S.WAITLISTED), (S.EXPIRED, S.OFFERED)]
    assert_consistent(shift)


def test_one_person_racing_for_overlapping_shifts_gets_one():
    person = UserFactory()
    first = ShiftFactory()
    later = [ShiftFactory(starts_at=first.starts_at + timedelta(minutes=10 * i),
                          ends_at=first.ends_at + timedelta(minutes=10 * i)) for i in range(1, 8)]
    shifts = handing_out([first, *later])
    results, errors = run_simultaneously(8, lambda: services.shift_sign_up(shift=shifts(), user=person))
    assert len(results) == 1 and len(errors) == 7
    assert all("You already have a place at the same time" in str(e) for e in errors)
    assert SignUp.objects.holding().filter(user=person).count() == 1


def test_a_double_click_signs_up_once():
    shift, person = ShiftFactory(capacity=1), UserFactory()
    results, errors = run_simultaneously(6, lambda: services.shift_sign_up(shift=shift, user=person))
    assert len(results) == 1 and len(errors) == 5
    assert all(str(e) == "You are already signed up for this shift." for e in errors)
    assert assert_consistent(shift) == (1, 0, 0)
