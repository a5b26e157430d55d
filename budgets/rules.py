"""Who may do what with participatory budgets; the services check the same and say why not."""
import rules

from stakeholders.rules import is_staff_of_organisation

# A process names the organisations running it (organisation_ids()), a proposal its own.
rules.add_perm("budgets.manage_process", rules.is_superuser | is_staff_of_organisation)
rules.add_perm("budgets.post_update", rules.is_superuser | is_staff_of_organisation)
