"""Every change to participatory budgets goes through these; views, admin and tasks call them."""
from .ballots import ballot_confirm, ballot_of, ballot_set_picks, eligibility_refusal
from .errors import BudgetError
from .processes import entry_review, entry_submit, phase_move, phases_advance, process_follow, process_unfollow
from .results import results_compute, results_publish

__all__ = [
    "BudgetError", "ballot_confirm", "ballot_of", "ballot_set_picks", "eligibility_refusal", "entry_review",
    "entry_submit", "phase_move", "phases_advance", "process_follow", "process_unfollow", "results_compute",
    "results_publish",
]

# What erasing an account does in budgets (stakeholders.erasure calls these through budgets/privacy.py).
from .erasure import person_ballots_discard, person_budget_proposals_release  # noqa: E402

__all__ += ["person_ballots_discard", "person_budget_proposals_release"]
