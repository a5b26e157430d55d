"""What the budgets back office shares: the phases staff may move to, and the fields that stay editable."""
from ..models import PHASE_ORDER, PHASE_STARTS


# Editable until voting starts: ballots keep the budget they were opened with, so the money and
# who may vote stay as they were announced from then on.
RULES_FIELDS = ["total_amount", "eligibility", "districts"]
DATE_FIELDS = list(PHASE_STARTS.values())


def next_phase(phase):
    """The phase after ``phase``; the last one stays itself (the service then says why not)."""
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[min(index + 1, len(PHASE_ORDER) - 1)]


def _reached(process, phase):
    return PHASE_ORDER.index(process.phase) >= PHASE_ORDER.index(phase)
