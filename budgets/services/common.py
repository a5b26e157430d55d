"""What the budget services share: locking a process."""
from ..models import Process


def lock_process(process):
    return Process.objects.select_for_update().get(pk=process.pk)
