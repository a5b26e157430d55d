from stakeholders.models import Membership

from ..models import Process


def staff_of_process(user, process):
    """Staff of the organisation running the process, or of one running it together with it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.approved().filter(
        user=user, role=Membership.Role.STAFF, organisation_id__in=process.organisation_ids()
    ).exists()


def lock_process(process):
    return Process.objects.select_for_update().get(pk=process.pk)
