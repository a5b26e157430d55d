"""The participatory-budget back office: staff run their organisations' budgets here.

Every change of state goes through budgets.services (phases, reviews); the admin only collects
input and shows the services' refusals, as form errors or admin messages. Lists and objects are
scoped to the organisations where the user is staff: a budget to those running it (the lead
organisation and its partners), its proposals through their budget. Objects outside that scope
are missing from the querysets, so an edited URL ends on the admin's "does not exist" redirect.
Implementations and their updates are the proposals' (proposals.admin); here they gain the budget.

Ballots and picks are deliberately NOT registered: votes are secret. Nobody, staff and platform
operators included, sees in the back office who voted for what; only the counts kept on the
proposals and budgets (and the published results) are shown.
"""
from . import processes  # noqa: F401 - registers its admins
from . import entries  # noqa: F401 - registers its admins
from . import accountability  # noqa: F401 - adds the budget to the implementations' list
