"""The refusal of participatory budgets."""
from coproduction.errors import DomainError


class BudgetError(DomainError):
    """A change the rules of participatory budgets refuse; the message is shown to the person."""
