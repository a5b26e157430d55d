"""Messages from an organisation's staff to a group: the volunteers of a shift or a task, the members of a
role, the followers of a proposal, the participants of a budget.

Each app offers its groups in ``audiences.py`` as ``AUDIENCES``, a list of ``Audience``; the core names
no app. An audience says which of its objects a person may address (only those of organisations where
they are staff; operators all), which organisation an object belongs to, and who its members are (a
values_list of user ids). Messages go out as a broadcast through the notifications, so each person's
channel and unsubscribe hold, and the audience is never shown, only counted.
"""
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.contracts import contract_modules
from coproduction.errors import DomainError
from stakeholders.models import Organisation
from stakeholders.staff import is_staff_of

from .models import Message
from .services import activity_record


class MessageError(DomainError):
    """A message that cannot be sent: its words say why."""


@dataclass(frozen=True)
class Audience:
    code: str
    label: str
    objects: Callable  # (organisation ids, or None for all) → queryset of what may be addressed
    organisation_of: Callable  # object → organisation id
    members: Callable  # object → values_list queryset of user ids
    describe: Callable = str  # object → how the group is named in the list and the log
    order: int = 50


def audiences():
    found = [audience for _config, module in contract_modules("audiences", provides="AUDIENCES")
             for audience in module.AUDIENCES]
    return {audience.code: audience for audience in sorted(found, key=lambda a: (a.order, a.code))}


def addressable_organisations(user):
    """None for an operator (every organisation), else the ids of the organisations where ``user`` is staff."""
    if user.is_superuser:
        return None
    return list(Organisation.objects.where_staff(user).values_list("pk", flat=True))


def choices(user):
    """[(audience label, [(value "code:id", object name)])] of every group ``user`` may write to."""
    organisations = addressable_organisations(user)
    grouped = []
    for audience in audiences().values():
        options = [(f"{audience.code}:{obj.pk}", audience.describe(obj)) for obj in audience.objects(organisations)]
        if options:
            grouped.append((audience.label, options))
    return grouped


def resolve(*, user, value):
    """(audience, object) for a value "code:id" that ``user`` may address; refuses anything else."""
    code, _sep, pk = (value or "").partition(":")
    audience = audiences().get(code)
    if audience is None or not pk.isdigit():
        raise MessageError(_("Choose whom to write to from the list."), field_errors={
            "audience": [_("Choose whom to write to from the list.")]})
    obj = audience.objects(addressable_organisations(user)).filter(pk=int(pk)).first()
    if obj is None or not is_staff_of(user, audience.organisation_of(obj)):
        raise MessageError(_("You can only write to groups of your own organisations."), field_errors={
            "audience": [_("You can only write to groups of your own organisations.")]})
    return audience, obj


def reach(audience, obj):
    """How many active people a message to the group would reach (never who they are)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=audience.members(obj), is_active=True).count()


def check_rate(organisation_id, now=None):
    limit = settings.NOTIFICATIONS_MESSAGES_PER_DAY
    since = (now or timezone.now()) - timedelta(days=1)
    if Message.objects.filter(organisation_id=organisation_id, created_at__gte=since).count() >= limit:
        raise MessageError(_("Your organisation has sent %(limit)d messages in the last 24 hours, as many as "
                             "allowed. Please wait before sending the next one.") % {"limit": limit})


def message_send(*, author, value, subject, body, key):
    """Sends a message to the group ``value`` names, once per ``key`` (the compose form's).

    Returns (message, sent now). A second call with the same key sends nothing and returns the first.
    """
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise MessageError(_("Write a subject and a text."))
    already = Message.objects.filter(key=key).first()
    if already is not None:
        return already, False
    audience, obj = resolve(user=author, value=value)
    organisation_id = audience.organisation_of(obj)
    try:
        with transaction.atomic():
            # One organisation's messages are counted one after another, so the limit holds under load.
            Organisation.objects.select_for_update().filter(pk=organisation_id).first()
            if Message.objects.filter(key=key).exists():
                return Message.objects.get(key=key), False
            check_rate(organisation_id)
            message = Message.objects.create(
                organisation_id=organisation_id, author=author, audience=audience.code, object_id=obj.pk,
                audience_label=f"{audience.label}: {audience.describe(obj)}"[:300], subject=subject[:150],
                body=body[:5000], reach=reach(audience, obj), key=key,
            )
            activity_record(actor=author, verb=MESSAGE_SENT, target=message, organisation=message.organisation)
    except IntegrityError:  # the same form sent twice at once: the other request sent it
        return Message.objects.get(key=key), False
    return message, True


def recipients(message):
    """The members of the message's group (for the broadcast: a values_list of user ids)."""
    from django.contrib.auth import get_user_model

    audience = audiences()[message.audience]
    obj = audience.objects(None).model._default_manager.filter(pk=message.object_id).first()
    if obj is None:  # gone since it was written: nobody (a query that compiles, for the set-based fan-out)
        return get_user_model().objects.filter(pk__lt=0).values_list("pk", flat=True)
    return audience.members(obj)


def recipients_of_activity(activity):
    return recipients(activity.target)


MESSAGE_SENT = "message.sent"
