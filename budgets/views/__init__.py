"""Public pages of participatory budgets; the back office is in budgets.admin."""
from .processes import (
    follow, process_detail, process_list, propose, results, results_csv, results_json, unfollow,
)
from .progress import organisation_progress, process_progress
from .voting import ballot, ballot_confirm

__all__ = [
    "ballot", "ballot_confirm", "follow", "organisation_progress", "process_detail", "process_list",
    "process_progress", "propose", "results", "results_csv", "results_json", "unfollow",
]
