"""Everything the platform holds about one person, as plain data for the download of Art. 15 DSGVO.

The download is put together from the apps: this module writes the person's own record (profile,
email addresses, memberships, invitations), and every app adds its part through its contract
module ``<app>/privacy.py`` (see coproduction.contracts), which offers:

- ``export(user)``: the app's sections of the download, a dict in the order they appear;
- ``EXPORTED``: "app_label.Model.field" of every user reference its sections cover → the section;
- ``LEFT_OUT``: the user references deliberately not in the download → why;
- and, for erasure, ``ERASURE`` and optionally ``erase`` (see stakeholders.erasure);
- optionally ``public_contributions(user)``: querysets of what shows the person's name to everyone,
  which makes their public profile page findable (``has_public_contribution``).

``personal_data(user)`` runs a fixed number of queries (one or two per model, never one per row),
so the download costs the same for a newcomer and for someone with years of activity. Every model
with a reference to the user model is either exported or left out with a reason — the collected
``EXPORTED`` and ``LEFT_OUT`` of this module; tests/stakeholders/test_privacy.py keeps them complete.
"""
from __future__ import annotations

import datetime
import decimal

from allauth.account.models import EmailAddress
from django.db.models import Q

from coproduction.contracts import contract_modules

from .models import Invitation, Membership

# The activity log and what the platform told the person close the download, after the sections
# of every app whose happenings they record; the other apps' sections follow INSTALLED_APPS.
RECORDS_LAST = "notifications"

# The person's own record, which this module writes.
OWN_EXPORTED = {
    "stakeholders.Membership.user": "memberships",
    "stakeholders.Invitation.invited_by": "invitations_sent",
    "stakeholders.Invitation.accepted_by": "invitations_accepted",
    "account.EmailAddress.user": "email_addresses",
}

OWN_LEFT_OUT = {
    "stakeholders.Membership.decided_by": "staff work on someone else's membership request; the decision "
                                          "is about the other person",
    "admin.LogEntry.user": "the back office's technical change log of staff; the activity log is exported",
}


def plain(value):
    """One stored value as JSON-ready data: dates and times in ISO 8601, amounts as exact strings."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def plain_row(obj, fields):
    """The named fields of ``obj`` as a JSON-ready dict, in the order given."""
    return {name: plain(getattr(obj, name)) for name in fields}


def organisation_name(obj):
    """The name of the organisation ``obj`` belongs to, or None."""
    return obj.organisation.name if getattr(obj, "organisation_id", None) else None


def privacy_contracts():
    """[(app_config, contract)] of the apps' ``privacy.py`` in INSTALLED_APPS order; this module is not one."""
    return [(config, contract) for config, contract in contract_modules("privacy") if contract.__name__ != __name__]


def exporting_apps():
    """[(app_config, contract)] of the apps that add to the download, in the order of their sections."""
    found = [(config, contract) for config, contract in privacy_contracts() if hasattr(contract, "export")]
    return sorted(found, key=lambda pair: pair[0].label == RECORDS_LAST)


def has_public_contribution(user) -> bool:
    """Whether anything anyone may read carries ``user``'s name: one EXISTS query per app that says."""
    return any(queryset.exists() for _config, contract in privacy_contracts()
               for queryset in getattr(contract, "public_contributions", lambda user: [])(user))


def __getattr__(name):
    # The collected maps are gathered on use, once every app is loaded, not when this module is imported.
    if name == "EXPORTED":
        return _collected("EXPORTED", OWN_EXPORTED)
    if name == "LEFT_OUT":
        return _collected("LEFT_OUT", OWN_LEFT_OUT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _collected(name, own):
    collected = dict(own)
    for _config, contract in privacy_contracts():
        collected.update(getattr(contract, name, {}))
    return collected


def personal_data(user) -> dict:
    """All data the platform holds about ``user`` (nothing about anyone else), JSON-ready."""
    data = {
        "generated_at": plain(datetime.datetime.now(datetime.timezone.utc)),
        "profile": {
            **plain_row(user, ["email", "display_name", "phone", "bio", "language", "district", "date_joined",
                               "last_login"]),
        },
    }
    data["email_addresses"] = [
        plain_row(address, ["email", "verified", "primary"]) for address in EmailAddress.objects.filter(user=user)
    ]
    data["memberships"] = [
        {"organisation": m.organisation.name, "role": m.role, "status": m.status, "is_multiplier": m.is_multiplier,
         "is_listed": m.is_listed, "message": m.message,
         **plain_row(m, ["requested_at", "decided_at"])}
        for m in Membership.objects.filter(user=user).select_related("organisation").order_by("requested_at")
    ]
    invitations = Invitation.objects.filter(Q(invited_by=user) | Q(accepted_by=user)).select_related("organisation")
    data["invitations_sent"] = []
    data["invitations_accepted"] = []
    for invitation in invitations:
        fields = {"organisation": invitation.organisation.name, "role": invitation.role,
                  **plain_row(invitation, ["created_at", "expires_at", "accepted_at"])}
        if invitation.invited_by_id == user.pk:
            # The invited person's email address is theirs, not part of this person's data.
            data["invitations_sent"].append({"accepted": invitation.accepted_at is not None, **fields})
        if invitation.accepted_by_id == user.pk:
            data["invitations_accepted"].append(fields)
    for _config, contract in exporting_apps():
        data.update(contract.export(user))
    return data
