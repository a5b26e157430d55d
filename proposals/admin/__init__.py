"""The proposals back office: staff answer, moderate, enter offline participation and report
what became of accepted proposals here.

Every change goes through proposals.services; the admin only collects input and reports the
services' refusals. Lists and objects are scoped to the organisations where the user is staff
(OrganisationScopedAdmin), so forged URLs and action POSTs find nothing outside that scope.
"""
from . import proposals  # noqa: F401 - registers its admins
from . import participation  # noqa: F401 - registers its admins
from . import accountability  # noqa: F401 - registers its admins
