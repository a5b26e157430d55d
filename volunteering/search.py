"""What volunteering offers the site-wide search (coproduction.search): tasks and meetings.

Found as /tasks/ shows them (``Task.objects.visible_to``): published and cancelled ones for
everyone, drafts only for staff of their organisation.
"""
from django.utils.translation import gettext_lazy as _

from coproduction.search import Document, Kind

from .models import Task


def visible_tasks(user):
    return Task.objects.visible_to(user).select_related("organisation").only(
        "id", "title", "purpose", "status", "location", "district", "created_at", "organisation__name")


def _context(task):
    return f"{task.organisation.name} · {task.get_status_display()}"


SEARCH = [
    Document(Task, weights={"title": "A", "purpose": "B", "location": "C", "district": "C"}),
    Kind(
        name="tasks", label=_("Volunteering tasks"), document=Task, rows=visible_tasks, order=40,
        title=lambda task: task.title, url=lambda task: task.get_absolute_url(), text=lambda task: task.purpose,
        context=_context, newest="created_at", browse="volunteering:list",
    ),
]
