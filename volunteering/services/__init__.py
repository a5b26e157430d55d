"""Every change in volunteering. Views, admin, API and Celery tasks call these; none re-implements them.

Split by topic: ``signups`` (what volunteers do, and the sweeps over offers and reminders),
``organising`` (what staff do with tasks and shifts), ``recognition`` (attendance, hours,
certificates), ``profiles`` (skills, availability, calendar feed). All raise VolunteeringError (a
DomainError); the ``check_…`` functions are the refusals views and rules ask before offering an action.
"""
from .briefings import briefing_confirm_read
from .errors import VolunteeringError, refusal
from .organising import (
    TRANSITIONS,
    shift_cancel,
    shift_create,
    shift_set_capacity,
    shift_update,
    task_cancel,
    task_create,
    task_publish,
    task_set_status,
    task_update,
)
from .profiles import calendar_token_revoke, calendar_token_rotate, volunteer_profile_get, volunteer_profile_update
from .recognition import attendance_mark, certificate_issue
from .signups import (
    check_cancel, check_offer_confirm, check_sign_up_open, offer_confirm, offers_expire, reminders_due,
    shift_cancel_sign_up, shift_sign_up,
)

__all__ = [
    "TRANSITIONS", "VolunteeringError", "attendance_mark", "briefing_confirm_read", "calendar_token_revoke",
    "calendar_token_rotate", "check_cancel", "check_offer_confirm", "check_sign_up_open",
    "certificate_issue", "offer_confirm", "refusal", "offers_expire", "reminders_due", "shift_cancel", "shift_cancel_sign_up",
    "shift_create", "shift_set_capacity", "shift_sign_up", "shift_update", "task_cancel", "task_create",
    "task_publish", "task_set_status", "task_update", "volunteer_profile_get", "volunteer_profile_update",
]

# What erasing an account does in volunteering (stakeholders.erasure calls it through volunteering/privacy.py).
from .erasure import person_sign_ups_end  # noqa: E402

__all__ += ["person_sign_ups_end"]
