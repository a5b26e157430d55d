"""What people do with shifts: sign up, wait, get and confirm offers, cancel; and the sweeps.

Capacity is guarded three times over: every service locks rows in one order (person → shift →
sign-ups), the kept counters change under that lock, and the database refuses any row where
confirmed plus offered places exceed the capacity.
"""
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduction.formatting import short_datetime
from notifications.services import activity_record
from stakeholders.staff import require_staff

from ..models import Shift, SignUp, Task
from ..notify import Verb
from .errors import VolunteeringError, lock_person, require_signed_in
from .places import change_counts, end_sign_ups, lock_shift, offer_free_places

S = SignUp.Status


def check_sign_up_open(shift, now):
    """Refuses unless the shift takes sign-ups at ``now``: published, not cancelled, not started, not closed."""
    if shift.is_cancelled or shift.task.status == Task.Status.CANCELLED:
        raise VolunteeringError(_("This shift has been cancelled."))
    if shift.task.status != Task.Status.PUBLISHED:
        raise VolunteeringError(_("This task is not open for sign-up."))
    if shift.is_over(now) or (not shift.task.is_flexible and shift.has_started(now)):
        raise VolunteeringError(_("This shift has already started or is over."))
    if shift.signup_closes_at <= now:
        hours = shift.task.signup_closes_hours_before
        if shift.task.is_flexible:
            message = ngettext("Sign-up closed %(hours)d hour before the end of this window.",
                               "Sign-up closed %(hours)d hours before the end of this window.", hours)
        else:
            message = ngettext("Sign-up closed %(hours)d hour before this shift starts.",
                               "Sign-up closed %(hours)d hours before this shift starts.", hours)
        raise VolunteeringError(message % {"hours": hours})


def check_cancel(sign_up, now):
    """Refuses unless the sign-up is still active and its shift's cancellation deadline has not passed."""
    if sign_up.status == S.CANCELLED:
        raise VolunteeringError(_("This sign-up has already been cancelled."))
    if sign_up.status == S.EXPIRED:
        raise VolunteeringError(_("This sign-up has already ended: the offer or the waitlist expired."))
    if sign_up.shift.cancel_deadline <= now:
        raise VolunteeringError(_("This shift has already started; it can no longer be cancelled."))


def check_offer_confirm(sign_up, user, now):
    """Refuses unless ``user`` holds an offer for this place that has not expired."""
    if sign_up.user_id != user.pk:
        raise VolunteeringError(_("This offer is meant for someone else."))
    if sign_up.status == S.CONFIRMED:
        raise VolunteeringError(_("You have already confirmed this place."))
    if sign_up.status == S.EXPIRED or (sign_up.status == S.OFFERED and sign_up.offer_expires_at <= now):
        raise VolunteeringError(
            _("This offer has expired; the place has gone to the next person on the waitlist. "
              "You can sign up again to rejoin the waitlist.")
        )
    if sign_up.status != S.OFFERED:
        raise VolunteeringError(_("There is no open offer for you on this shift."))


def _check_no_overlap(user, shift, exclude=None):
    """A person holds at most one place at a time; flexible windows never count as overlapping."""
    if shift.task.is_flexible:
        return
    clash = (
        SignUp.objects.clashing_with(shift).filter(user=user).exclude(pk=exclude).select_related("shift__task").first()
    )
    if clash is not None:
        raise VolunteeringError(
            _("You already have a place at the same time (“%(task)s”, %(when)s). "
              "Cancel that one first if you would rather take this shift.")
            % {"task": clash.shift.task.title, "when": short_datetime(clash.shift.starts_at)}
        )


@transaction.atomic
def shift_sign_up(*, shift, user):
    """Gives the person a free place, or else the next waitlist ticket; capacity is never exceeded."""
    require_signed_in(user)
    lock_person(user.pk)
    shift = lock_shift(shift)
    now = timezone.now()  # taken under the locks: created_at is the order in which people got in
    check_sign_up_open(shift, now)
    existing = SignUp.objects.active().filter(shift=shift, user=user).first()
    if existing is not None:
        if existing.status == S.WAITLISTED:
            raise VolunteeringError(_("You are already on the waitlist for this shift."))
        if existing.status == S.OFFERED:
            raise VolunteeringError(_("A place on this shift is already offered to you: confirm it."))
        raise VolunteeringError(_("You are already signed up for this shift."))
    _check_no_overlap(user, shift)
    offer_free_places(shift, now=now)  # a free place goes to those already waiting, never around them
    try:
        with transaction.atomic():
            if shift.free_places > 0:
                sign_up = SignUp.objects.create(shift=shift, user=user, status=S.CONFIRMED, confirmed_at=now,
                                                created_at=now)
            else:
                sign_up = SignUp.objects.create(shift=shift, user=user, status=S.WAITLISTED, created_at=now,
                                                waitlist_number=shift.next_waitlist_number)
    except IntegrityError:  # unreachable while the person's row is locked; kept as the last guard
        raise VolunteeringError(_("You are already signed up for this shift.")) from None
    if sign_up.status == S.CONFIRMED:
        change_counts(shift, confirmed=1)
        activity_record(actor=user, verb=Verb.CONFIRMED, target=sign_up, organisation=shift.task.organisation,
                        shift=shift.pk)
    else:
        change_counts(shift, waitlisted=1)
        Shift.objects.filter(pk=shift.pk).update(next_waitlist_number=sign_up.waitlist_number + 1)
        shift.next_waitlist_number = sign_up.waitlist_number + 1
        activity_record(actor=user, verb=Verb.WAITLISTED, target=sign_up, organisation=shift.task.organisation,
                        shift=shift.pk, position=shift.waitlist_count)
    sign_up.shift = shift
    return sign_up


@transaction.atomic
def shift_cancel_sign_up(*, sign_up, actor):
    """The person (or staff) ends a sign-up before the shift; a freed place is offered to the next in line.

    Cancelling an offered sign-up declines the offer; cancelling a waitlisted one leaves the queue.
    """
    require_signed_in(actor)
    lock_person(sign_up.user_id)
    shift = lock_shift(Shift(pk=sign_up.shift_id))
    sign_up = SignUp.objects.select_for_update().get(pk=sign_up.pk)
    now = timezone.now()
    if actor.pk != sign_up.user_id:
        require_staff(actor, shift.task.organisation)
    sign_up.shift = shift
    check_cancel(sign_up, now)
    was = sign_up.status
    sign_up.status, sign_up.cancelled_at, sign_up.cancelled_by = S.CANCELLED, now, actor
    sign_up.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
    change_counts(shift, confirmed=-(was == S.CONFIRMED), offered=-(was == S.OFFERED),
                  waitlisted=-(was == S.WAITLISTED))
    activity_record(actor=actor, verb=Verb.CANCELLED, target=sign_up, organisation=shift.task.organisation,
                    shift=shift.pk, was=was, by_staff=actor.pk != sign_up.user_id)
    offer_free_places(shift, now=now)
    return sign_up


@transaction.atomic
def offer_confirm(*, sign_up, user):
    """The person takes the place offered to them, while the offer runs."""
    require_signed_in(user)
    lock_person(user.pk)
    shift = lock_shift(Shift(pk=sign_up.shift_id))
    sign_up = SignUp.objects.select_for_update().get(pk=sign_up.pk)
    now = timezone.now()
    check_offer_confirm(sign_up, user, now)
    if shift.is_cancelled:
        raise VolunteeringError(_("This shift has been cancelled."))
    _check_no_overlap(user, shift, exclude=sign_up.pk)
    sign_up.status, sign_up.confirmed_at = S.CONFIRMED, now
    sign_up.save(update_fields=["status", "confirmed_at", "updated_at"])
    change_counts(shift, confirmed=1, offered=-1)
    activity_record(actor=user, verb=Verb.OFFER_CONFIRMED, target=sign_up, organisation=shift.task.organisation,
                    shift=shift.pk)
    sign_up.shift = shift
    return sign_up


def offers_expire(*, now=None, chunk_size=50):
    """Moves expired offers on to the next in line and closes waitlists once sign-up has closed.

    Idempotent and safe to run in parallel: each shift is swept in its own short transaction
    under its row lock and re-read there. After a long pause of the workers the next person
    still gets a full offer period, counted from the sweep, not from the missed expiry.
    Returns how many sign-ups it ended.
    """
    now = now or timezone.now()
    done, swept = 0, set()
    while True:
        pks = list(
            Shift.objects.needing_waitlist_sweep(now).exclude(pk__in=swept).order_by("pk")
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not pks:
            return done
        for pk in pks:
            done += _sweep_shift(pk, now)
            swept.add(pk)


@transaction.atomic
def _sweep_shift(pk, now):
    shift = lock_shift(Shift(pk=pk))
    expired = end_sign_ups(shift, statuses=[S.OFFERED], new_status=S.EXPIRED, now=now, verb=Verb.OFFER_EXPIRED,
                           only=Q(offer_expires_at__lte=now))
    if shift.is_cancelled or shift.signup_closes_at <= now:
        closed = end_sign_ups(shift, statuses=[S.WAITLISTED], new_status=S.EXPIRED, now=now,
                              verb=Verb.WAITLIST_CLOSED)
    else:
        closed = []
        offer_free_places(shift, now=now)
    return len(expired) + len(closed)


def reminders_due(*, now=None, chunk_size=200):
    """Records one reminder per confirmed sign-up whose shift starts within 24 hours, never twice.

    Rows are claimed with SKIP LOCKED, so parallel runs share the work instead of repeating it;
    a run after a pause still reminds everyone whose shift has not started yet.
    """
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                SignUp.objects.reminder_due(now).select_for_update(skip_locked=True, of=("self",))
                .select_related("shift__task__organisation").order_by("pk")[:chunk_size]
            )
            if not batch:
                return done
            SignUp.objects.filter(pk__in=[s.pk for s in batch]).update(reminded_at=now)
            for sign_up in batch:
                activity_record(actor=None, verb=Verb.REMINDER_DUE, target=sign_up,
                                organisation=sign_up.shift.task.organisation, shift=sign_up.shift_id,
                                starts_at=sign_up.shift.starts_at.isoformat())
            done += len(batch)
