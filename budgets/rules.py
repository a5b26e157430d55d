"""Who may do what with participatory budgets; the services check the same and say why not."""
import rules

from proposals.services import took_part_through

from .models import Ballot
from .services.common import staff_of_process


@rules.predicate
def is_process_staff(user, process):
    return process is not None and staff_of_process(user, process)


@took_part_through
def voted_in_its_budget(user, proposal):
    """Whoever confirmed a ballot in the budget a proposal took part in may evaluate it once completed."""
    return Ballot.objects.filter(user=user, status=Ballot.Status.CONFIRMED, process__entries__proposal=proposal)


rules.add_perm("budgets.manage_process", is_process_staff)
