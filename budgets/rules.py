"""Who may do what with participatory budgets; the services check the same and say why not."""
import rules

from proposals.services import is_staff_of

from .services.common import staff_of_process


@rules.predicate
def is_process_staff(user, process):
    return process is not None and staff_of_process(user, process)


@rules.predicate
def is_proposal_staff(user, proposal):
    return proposal is not None and user.is_authenticated and (user.is_superuser or is_staff_of(user, proposal.organisation))


rules.add_perm("budgets.manage_process", is_process_staff)
rules.add_perm("budgets.post_update", is_proposal_staff)
