"""Who may do what with participatory budgets; the services check the same and say why not."""
import rules

from proposals.services import took_part_through
from stakeholders.rules import is_staff_of_organisation

from .models import Ballot


@took_part_through
def voted_in_its_budget(user, proposal):
    """Whoever confirmed a ballot in the budget a proposal took part in may evaluate it once completed."""
    return Ballot.objects.filter(user=user, status=Ballot.Status.CONFIRMED, process__entries__proposal=proposal)


# A process names the organisations running it (organisation_ids()).
rules.add_perm("budgets.manage_process", rules.is_superuser | is_staff_of_organisation)
