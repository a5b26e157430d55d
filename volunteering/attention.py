"""What waits in the back office about tasks and shifts (stakeholders.start_page)."""
from datetime import timedelta

from django.utils.translation import ngettext

from stakeholders.start_page import Need

from .models import Shift, SignUp, Task

OFFERS_EXPIRING = timedelta(hours=48)

ATTENTION = [
    Need(
        code="draft-tasks",
        label=lambda n: ngettext("task still a draft, not public", "tasks still drafts, not public", n),
        rows=lambda: Task.objects.filter(status=Task.Status.DRAFT),
        organisation="organisation",
        changelist="admin:volunteering_task_changelist",
        filters={"status__exact": Task.Status.DRAFT},
        since="created_at",
        order=50,
    ),
    Need(
        code="short-shifts",
        label=lambda n: ngettext("shift in the next 7 days with free places",
                                 "shifts in the next 7 days with free places", n),
        rows=lambda now: Shift.objects.short_of_people(now),
        organisation="task__organisation",
        changelist="admin:volunteering_shift_changelist",
        filters={"need": "short"},
        order=60,
    ),
    Need(
        code="expiring-offers",
        label=lambda n: ngettext("waitlist offer expiring within 48 hours",
                                 "waitlist offers expiring within 48 hours", n),
        rows=lambda now: SignUp.objects.filter(status=SignUp.Status.OFFERED,
                                               offer_expires_at__lt=now + OFFERS_EXPIRING),
        organisation="shift__task__organisation",
        changelist="admin:volunteering_signup_changelist",
        filters={"need": "expiring"},
        order=70,
    ),
]
