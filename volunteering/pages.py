"""What volunteering contributes to pages of others: the tasks that need people, on the page of
the organisation they are for."""
from coproduction.formatting import short_datetime
from coproduction.pages import panel

from .models import Task

HUB_TASKS = 4


def organisation_tasks(request, organisation, bound):
    """Published tasks with a free place in an upcoming shift, soonest first: one query, nothing
    shown when no task needs anybody."""
    tasks = list(Task.objects.with_free_places().in_organisation(organisation).by_next_shift()
                 .only("id", "title", "kind", "is_remote", "district", "first_timer_friendly")[:HUB_TASKS])
    if not tasks:
        return None
    for task in tasks:
        task.next_shift = short_datetime(task.next_starts_at)
    return {"organisation": organisation, "tasks": tasks}


panel("organisation", "tasks", template="volunteering/_organisation_tasks.html", context=organisation_tasks,
      order=300)
