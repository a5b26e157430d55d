"""Who hears about participatory budgets: people following a process (those who sent in proposals
follow it) and those who have a ballot in it."""
from django.utils.translation import gettext as _, gettext_lazy

from notifications.channels import Channel
from notifications.registry import category, event, rule, visibility

from .models import PHASE_HELP, Ballot, Phase, Process, ProcessFollow


def _process(process):
    return process.title, process.get_absolute_url()


class Category:
    BUDGETS = category("budgets", gettext_lazy("Participatory budgets"), default_channel=Channel.DAILY, order=20)


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


class Verb:
    """What the activity log records about participatory budgets."""

    PHASE_CHANGED = event("budget.phase_changed", describe=_process)
    RESULTS_PUBLISHED = event("budget.results_published", describe=_process)


rule(Verb.PHASE_CHANGED, Category.BUDGETS, recipients=_participants, message=_phase_message, broadcast=True)
rule(Verb.RESULTS_PUBLISHED, Category.BUDGETS, recipients=_participants, message=_results_message, broadcast=True)


visibility(Process, lambda ids: dict.fromkeys(Process.objects.filter(pk__in=ids).values_list("pk", flat=True)))
