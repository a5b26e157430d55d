class BudgetError(Exception):
    """A change the rules refuse; the message is shown to the person."""
