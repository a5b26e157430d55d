"""The groups of volunteering that staff may write to: the people with a place in a shift, or in a task."""
from django.utils.translation import gettext_lazy as _

from notifications.messaging import Audience

from .models import Shift, SignUp, Task

HOLDING = [SignUp.Status.CONFIRMED]


def _shifts(ids):
    found = Shift.objects.upcoming().filter(task__status=Task.Status.PUBLISHED).select_related("task")
    found = found.order_by("starts_at", "pk")
    return found if ids is None else found.filter(task__organisation_id__in=ids)


def _tasks(ids):
    found = Task.objects.filter(status=Task.Status.PUBLISHED).order_by("title", "pk")
    return found if ids is None else found.filter(organisation_id__in=ids)


AUDIENCES = [
    Audience(
        code="shift",
        label=_("The volunteers of a shift"),
        objects=_shifts,
        organisation_of=lambda shift: shift.task.organisation_id,
        members=lambda shift: SignUp.objects.filter(shift=shift, status__in=HOLDING).values_list("user_id", flat=True),
        order=10,
    ),
    Audience(
        code="task",
        label=_("The volunteers of a task (all its coming shifts)"),
        objects=_tasks,
        organisation_of=lambda task: task.organisation_id,
        members=lambda task: SignUp.objects.filter(
            shift__task=task, status__in=HOLDING, shift__in=Shift.objects.upcoming()).values_list("user_id", flat=True),
        describe=lambda task: task.title,
        order=20,
    ),
]
