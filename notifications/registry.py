"""Which activity concerns whom, how it reads, and who may still see its target.

Each app declares its rules in its own ``notify.py`` (imported when the app is ready):

- ``rule(verb, category, recipients=..., message=..., describe=..., urgent=False)``: for an
  activity with this verb, ``recipients(activity)`` returns the ids of the people to tell (an
  iterable or a values_list queryset); ``describe(target)`` returns the (title, address) stored
  on the activity, optionally with a dict of more data to store; ``message(activity)`` returns the
  (sentence, detail) shown, in the active language.
  ``broadcast=True`` is for activities that may concern very many people (everyone taking part in
  a participatory budget): ``recipients`` must then return a values_list queryset of user ids, and
  the notifications are derived right after the commit, set-based, by a task (see
  ``notifications.services.fan_out``) instead of inside the change's transaction.
- ``visibility(model, visible)``: ``visible(ids)`` returns {id: None or organisation id} for
  the targets that still exist and are not hidden; an organisation id means only people with an
  approved role there may see it (members-only wiki spaces). Targets it leaves out are gone.
"""
from dataclasses import dataclass
from typing import Callable

from .models import Category


@dataclass(frozen=True)
class Rule:
    verb: str
    category: str
    recipients: Callable
    message: Callable
    describe: Callable
    urgent: bool = False
    include_actor: bool = False
    broadcast: bool = False


RULES: dict[str, Rule] = {}
VISIBILITY: dict[type, Callable] = {}


def rule(verb, category, *, recipients, message, describe, urgent=False, include_actor=False, broadcast=False):
    if verb in RULES:
        raise ValueError(f"Two notification rules for {verb!r}")
    if category not in Category.values:
        raise ValueError(f"Unknown notification category {category!r}")
    if broadcast and urgent:
        raise ValueError("A broadcast reaches people after the change; it cannot be time-critical")
    RULES[verb] = Rule(verb, category, recipients, message, describe, urgent, include_actor, broadcast)


def visibility(model, visible):
    VISIBILITY[model] = visible


def rule_for(verb):
    return RULES.get(verb)
