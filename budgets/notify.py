"""Who hears about participatory budgets: people following a process (those who sent in proposals
follow it) and those who have a ballot in it."""
from django.utils.translation import gettext as _

from notifications.models import Category
from notifications.registry import rule, visibility

from .models import PHASE_HELP, Ballot, Phase, Process, ProcessFollow


def _process(process):
    return process.title, process.get_absolute_url()


def _participants(activity):
    """Everyone following the process or holding a ballot in it: possibly very many (a broadcast)."""
    followers = ProcessFollow.objects.filter(process_id=activity.target_id).values_list("user_id", flat=True)
    return followers.union(Ballot.objects.filter(process_id=activity.target_id).values_list("user_id", flat=True))


def _phase_message(activity):
    phase = activity.data["to_phase"]
    return (_("“%(title)s” is now in the phase “%(phase)s”.") % {"title": activity.title, "phase": Phase(phase).label},
            str(PHASE_HELP[phase]))


def _results_message(activity):
    return (_("The results of “%(title)s” are out: %(funded)s proposals are funded.")
            % {"title": activity.title, "funded": activity.data.get("funded", 0)}, "")


rule("budget.phase_changed", Category.BUDGETS, recipients=_participants, describe=_process, message=_phase_message,
     broadcast=True)
rule("budget.results_published", Category.BUDGETS, recipients=_participants, describe=_process,
     message=_results_message, broadcast=True)


visibility(Process, lambda ids: dict.fromkeys(Process.objects.filter(pk__in=ids).values_list("pk", flat=True)))
