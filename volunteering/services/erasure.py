"""What becomes of a person's sign-ups when their account is erased (stakeholders.erasure)."""
from django.db import transaction
from django.db.models import Q

from ..models import SignUp
from ..notify import Verb
from .errors import lock_person
from .places import end_sign_ups, lock_shift
from .signups import shift_cancel_sign_up


@transaction.atomic
def person_sign_ups_end(*, user, now):
    """Frees the person's places and waitlist tickets while they can still go to someone else.

    What can still be cancelled is cancelled as the person would, so the waitlist moves on; a waitlist
    place or an offer for a shift already under way ends at once; a confirmed place in such a shift
    stays, so staff can still record the hours. Raises VolunteeringError when a cancellation is refused.
    """
    lock_person(user.pk)  # first, as every sign-up service does: no sign-up of theirs slips in meanwhile
    active = SignUp.objects.active().filter(user=user).select_related("shift__task").order_by("pk")
    for sign_up in active:
        if sign_up.shift.cancel_deadline > now:
            shift_cancel_sign_up(sign_up=sign_up, actor=user)
        elif sign_up.status != SignUp.Status.CONFIRMED:
            shift = lock_shift(sign_up.shift)
            end_sign_ups(shift, statuses=[sign_up.status], new_status=SignUp.Status.CANCELLED, now=now,
                         verb=Verb.CANCELLED, actor=user, only=Q(pk=sign_up.pk))
