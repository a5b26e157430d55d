"""What the apps declare about their activity: categories, verbs, rules and visibility.

Each app declares these in its own ``notify.py`` (imported when the app is ready), so adding an
app or a category changes nothing here and needs no migration:

- ``category(code, label, default_channel=..., order=...)``: a kind of notification people choose
  a channel for; the preferences page lists the categories by ``order``. Returns the code, which
  the app keeps as a constant for its rules.
- ``event(verb, describe=...)``: a verb the app's services record in the activity log, returned
  for the app's constants. ``describe(target)`` returns the (title, address) stored on the
  activity, optionally with a dict of more data to store; every verb has one, also when it
  notifies nobody, so the activity log reads completely. Recording a verb nobody declared is an
  error (``UndeclaredVerb``), so a misspelt verb fails instead of notifying nobody.
- ``rule(verb, category, recipients=..., message=..., urgent=False)``: for an activity with this
  (declared) verb, ``recipients(activity)`` returns the ids of the people to tell (an iterable or
  a values_list queryset); ``message(activity)`` returns the (sentence, detail) shown, in the
  active language.
  ``broadcast=True`` is for activities that may concern very many people (everyone taking part in
  a participatory budget): ``recipients`` must then return a values_list queryset of user ids, and
  the notifications are derived right after the commit, set-based, by a task (see
  ``notifications.services.fan_out``) instead of inside the change's transaction.
  A verb may have one more rule in each other category (a new proposal tells the followers of its
  call, and the organisation's staff in their own category): the first rule declared is the verb's
  own, the others follow it, and a person picked by an earlier rule is not told twice (one
  notification per person and activity). A broadcast is a verb's only rule.
- ``visibility(model, visible)``: ``visible(ids)`` returns {id: None or organisation id} for
  the targets that still exist and are not hidden; an organisation id means only people with an
  approved role there may see it (members-only wiki spaces). Targets it leaves out are gone.
"""
from dataclasses import dataclass
from typing import Callable

from .channels import Channel


@dataclass(frozen=True)
class NotificationCategory:
    code: str
    label: str
    default_channel: str
    order: int
    for_staff: bool = False  # offered on the preferences page only to people with a staff role


@dataclass(frozen=True)
class Event:
    verb: str
    describe: Callable


@dataclass(frozen=True)
class Rule:
    verb: str
    category: str
    recipients: Callable
    message: Callable
    urgent: bool = False
    include_actor: bool = False
    broadcast: bool = False

    @property
    def describe(self):
        return EVENTS[self.verb].describe


class UndeclaredVerb(LookupError):
    """An activity whose verb no app declared with ``event``."""


CATEGORIES: dict[str, NotificationCategory] = {}
EVENTS: dict[str, Event] = {}
RULES: dict[str, Rule] = {}
MORE_RULES: dict[str, list[Rule]] = {}  # a verb's further rules, each in a category of its own
VISIBILITY: dict[type, Callable] = {}


def category(code, label, *, default_channel, order, for_staff=False):
    if code in CATEGORIES:
        raise ValueError(f"Two notification categories {code!r}")
    if len(code) > 20:
        raise ValueError(f"The notification category {code!r} is longer than 20 characters")
    if default_channel not in Channel.values:
        raise ValueError(f"Unknown channel {default_channel!r}")
    CATEGORIES[code] = NotificationCategory(code, label, str(default_channel), order, for_staff)
    return code


def event(verb, *, describe):
    if verb in EVENTS:
        raise ValueError(f"Two declarations of the verb {verb!r}")
    EVENTS[verb] = Event(verb, describe)
    return verb


def rule(verb, category, *, recipients, message, urgent=False, include_actor=False, broadcast=False):
    if any(known.category == category for known in rules_for(verb)):
        raise ValueError(f"Two notification rules for {verb!r} in the category {category!r}")
    if verb not in EVENTS:
        raise UndeclaredVerb(f"A notification rule for the undeclared verb {verb!r}")
    if category not in CATEGORIES:
        raise ValueError(f"Unknown notification category {category!r}")
    if broadcast and urgent:
        raise ValueError("A broadcast reaches people after the change; it cannot be time-critical")
    if verb in RULES and (broadcast or RULES[verb].broadcast):
        raise ValueError(f"A broadcast is the only rule of {verb!r}")
    declared = Rule(verb, category, recipients, message, urgent, include_actor, broadcast)
    if verb in RULES:
        MORE_RULES.setdefault(verb, []).append(declared)
    else:
        RULES[verb] = declared


def visibility(model, visible):
    VISIBILITY[model] = visible


def event_for(verb):
    """The declaration of ``verb``; raises UndeclaredVerb for a verb no app declared."""
    try:
        return EVENTS[verb]
    except KeyError:
        raise UndeclaredVerb(f"No app declared the verb {verb!r}; declare it with event() in its notify.py") from None


def rule_for(verb, category=None):
    """The rule of ``verb`` (in ``category``, for a notification made by a further rule)."""
    if category is not None:
        for known in MORE_RULES.get(verb, ()):
            if known.category == category:
                return known
    return RULES.get(verb)


def rules_for(verb):
    """Every rule of ``verb``, its own first."""
    first = RULES.get(verb)
    return ([first] if first else []) + MORE_RULES.get(verb, [])


def categories():
    """The declared categories in the order of the preferences page."""
    return sorted(CATEGORIES.values(), key=lambda declared: (declared.order, declared.code))


def category_codes():
    return [declared.code for declared in categories()]


def category_choices():
    """(code, label) of every category: the choices of the notification and preference fields."""
    return [(declared.code, declared.label) for declared in categories()]


def category_label(code):
    return CATEGORIES[code].label


def default_channels():
    """{category: channel} for a person who chose nothing."""
    return {declared.code: declared.default_channel for declared in categories()}
