"""Which activity concerns whom, how it reads, and who may still see its target.

Each app declares its rules in its own ``notify.py`` (imported when the app is ready):

- ``rule(verb, category, recipients=..., message=..., describe=..., urgent=False)``: for an
  activity with this verb, ``recipients(activity)`` returns the ids of the people to tell (an
  iterable or a values_list queryset); ``describe(target)`` returns the (title, address) stored
  on the activity, optionally with a dict of more data to store; ``message(activity)`` returns the
  (sentence, detail) shown, in the active language.
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


RULES: dict[str, Rule] = {}
VISIBILITY: dict[type, Callable] = {}


def rule(verb, category, *, recipients, message, describe, urgent=False, include_actor=False):
    if verb in RULES:
        raise ValueError(f"Two notification rules for {verb!r}")
    if category not in Category.values:
        raise ValueError(f"Unknown notification category {category!r}")
    RULES[verb] = Rule(verb, category, recipients, message, describe, urgent, include_actor)


def visibility(model, visible):
    VISIBILITY[model] = visible


def rule_for(verb):
    return RULES.get(verb)
