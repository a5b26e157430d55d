"""The places of a shift: locking, kept counters and handing freed places to the waitlist.

Helpers for the services in this package; each expects to run inside the caller's transaction
with the shift row locked by ``lock_shift``.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import F

from notifications.services import activity_record

from ..models import Shift, SignUp
from ..notify import Verb

W, O = SignUp.Status.WAITLISTED, SignUp.Status.OFFERED


def lock_shift(shift):
    """Locks one shift row (not its task) and returns it fresh, with its task."""
    return Shift.objects.select_for_update(of=("self",), no_key=True).select_related("task__organisation").get(
        pk=shift.pk
    )


def change_counts(shift, *, confirmed=0, offered=0, waitlisted=0):
    """Moves the kept counters by the given steps, in the database and on the locked instance."""
    changes = {}
    for field, step in (("confirmed_count", confirmed), ("offered_count", offered), ("waitlist_count", waitlisted)):
        if step:
            changes[field] = F(field) + step
            setattr(shift, field, getattr(shift, field) + step)
    if changes:
        Shift.objects.filter(pk=shift.pk).update(**changes)


def offer_free_places(shift, *, now):
    """Offers each free place to the next person on the waitlist, lowest ticket first.

    An offer runs for VOLUNTEERING_OFFER_HOURS, but never beyond the moment sign-up closes; after
    that, freed places stay free (staff fill them by hand) and the waitlist is closed by the sweep.
    """
    free = shift.capacity - shift.confirmed_count - shift.offered_count
    if free <= 0 or shift.waitlist_count == 0 or not shift.is_open_for_sign_up(now):
        return []
    offer_hours = getattr(settings, "VOLUNTEERING_OFFER_HOURS", 24)
    expires_at = min(now + timedelta(hours=offer_hours), shift.signup_closes_at)
    chosen = list(
        SignUp.objects.select_for_update().filter(shift=shift, status=W).order_by("waitlist_number")[:free]
    )
    if not chosen:
        return []
    SignUp.objects.filter(pk__in=[s.pk for s in chosen]).update(
        status=O, offered_at=now, offer_expires_at=expires_at, updated_at=now
    )
    change_counts(shift, offered=len(chosen), waitlisted=-len(chosen))
    for sign_up in chosen:
        sign_up.shift = shift
        sign_up.status, sign_up.offered_at, sign_up.offer_expires_at = O, now, expires_at
        activity_record(actor=None, verb=Verb.OFFERED, target=sign_up, organisation=shift.task.organisation,
                        shift=shift.pk, expires_at=expires_at.isoformat())
    return chosen


def withdraw_offers(shift, *, count, now):
    """Takes back the ``count`` most recent offers; those people keep their place in the queue."""
    withdrawn = list(
        SignUp.objects.select_for_update().filter(shift=shift, status=O).order_by("-waitlist_number")[:count]
    )
    SignUp.objects.filter(pk__in=[s.pk for s in withdrawn]).update(
        status=W, offered_at=None, offer_expires_at=None, updated_at=now
    )
    change_counts(shift, offered=-len(withdrawn), waitlisted=len(withdrawn))
    for sign_up in withdrawn:
        sign_up.shift = shift
        activity_record(actor=None, verb=Verb.OFFER_WITHDRAWN, target=sign_up,
                        organisation=shift.task.organisation, shift=shift.pk)
    return withdrawn


def end_sign_ups(shift, *, statuses, new_status, now, verb, actor=None, only=None, **data):
    """Ends the shift's sign-ups in ``statuses`` (and matching ``only``), locked first; one activity each."""
    ended = SignUp.objects.select_for_update().filter(shift=shift, status__in=statuses)
    ended = list((ended.filter(only) if only is not None else ended).order_by("pk"))
    if not ended:
        return []
    fields = {"status": new_status, "updated_at": now}
    if new_status == SignUp.Status.CANCELLED:
        fields.update(cancelled_at=now, cancelled_by=actor)
    SignUp.objects.filter(pk__in=[s.pk for s in ended]).update(**fields)
    steps = {"confirmed": 0, "offered": 0, "waitlisted": 0}
    key = {SignUp.Status.CONFIRMED: "confirmed", O: "offered", W: "waitlisted"}
    for sign_up in ended:
        steps[key[sign_up.status]] -= 1
    change_counts(shift, **steps)
    for sign_up in ended:
        sign_up.shift = shift
        activity_record(actor=actor, verb=verb, target=sign_up, organisation=shift.task.organisation,
                        shift=shift.pk, was=sign_up.status, **data)
        sign_up.status = new_status
    return ended
