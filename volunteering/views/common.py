"""What every volunteering view shares: the address of a task page (at one of its shifts)."""
from django.urls import reverse


def task_url(task_id, shift_id=None):
    url = reverse("volunteering:detail", args=[task_id])
    return f"{url}#shift-{shift_id}" if shift_id else url
