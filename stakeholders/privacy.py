"""Everything the platform holds about one person, as plain data for the download of Art. 15 DSGVO.

``personal_data(user)`` runs a fixed number of queries (one or two per model, never one per row),
so the download costs the same for a newcomer and for someone with years of activity.
Every model with a reference to the user model is either exported here or named, with a reason,
in ``LEFT_OUT`` — tests/stakeholders/test_privacy.py keeps the two lists complete.
"""
from __future__ import annotations

import datetime
import decimal

from allauth.account.models import EmailAddress
from django.db.models import Q

from budgets.models import Ballot, Pick, ProcessFollow
from notifications.models import Activity, Delivery, Notification, Preference
from proposals.models import Comment, Evaluation, Follow, ImplementationUpdate, Pledge, Proposal, Report, Support
from volunteering.models import AvailabilitySlot, BriefingRead, Certificate, SignUp, VolunteerProfile
from wiki.models import Page, Revision, Watch

from .models import Invitation, Membership

# "app_label.Model.field" of every user reference that is covered by the export.
EXPORTED = {
    "stakeholders.Membership.user": "memberships",
    "stakeholders.Invitation.invited_by": "invitations_sent",
    "stakeholders.Invitation.accepted_by": "invitations_accepted",
    "proposals.Proposal.author": "proposals",
    "proposals.Proposal.entered_by": "entered_on_behalf_of_others",
    "proposals.Comment.author": "comments",
    "proposals.Comment.entered_by": "entered_on_behalf_of_others",
    "proposals.Support.user": "supports",
    "proposals.Support.entered_by": "entered_on_behalf_of_others",
    "proposals.Follow.user": "follows",
    "proposals.Pledge.user": "pledges",
    "proposals.Pledge.entered_by": "entered_on_behalf_of_others",
    "proposals.Report.reporter": "reports",
    "budgets.Ballot.user": "budget_ballots",
    "budgets.ProcessFollow.user": "budget_follows",
    "proposals.Evaluation.user": "budget_evaluations",
    "proposals.ImplementationUpdate.author": "budget_implementation_updates",
    "volunteering.VolunteerProfile.user": "volunteering.profile",
    "volunteering.SignUp.user": "volunteering.signups",
    "volunteering.Certificate.user": "volunteering.certificates",
    "volunteering.BriefingRead.user": "volunteering.briefings_read",
    "wiki.Page.created_by": "wiki.pages_created",
    "wiki.Page.owner": "wiki.pages_owned",
    "wiki.Revision.author": "wiki.revisions",
    "wiki.Watch.user": "wiki.watches",
    "notifications.Notification.recipient": "notifications",
    "notifications.Preference.user": "notification_preferences",
    "notifications.Delivery.recipient": "emails_sent",
    "notifications.Activity.actor": "activities",
    "account.EmailAddress.user": "email_addresses",
}

# User references that are deliberately not part of the download, and why.
LEFT_OUT = {
    "stakeholders.Membership.decided_by": "staff work on someone else's membership request; the decision "
                                          "is about the other person",
    "proposals.Call.created_by": "staff work for an organisation; the call itself is public",
    "proposals.StatusChange.actor": "staff work; status changes are public in the proposal's history "
                                    "and logged in the activities",
    "proposals.Report.decided_by": "staff moderation of someone else's report",
    "volunteering.Task.created_by": "staff work for an organisation; the task is public",
    "volunteering.Shift.cancelled_by": "staff work for an organisation",
    "volunteering.SignUp.cancelled_by": "who cancelled a sign-up; the person's own sign-ups are exported "
                                        "with their status",
    "volunteering.SignUp.attendance_marked_by": "staff work on someone else's attendance",
    "wiki.Page.last_edited_by": "the same edits are exported as revisions authored",
    "wiki.EditSession.user": "a technical marker of an open editor, kept only for hours to merge edits",
    "budgets.Process.created_by": "staff work for an organisation; the budget is public",
    "budgets.Entry.reviewed_by": "staff review of someone else's budget proposal",
    "admin.LogEntry.user": "the back office's technical change log of staff; the activity log is exported",
}


def _value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _row(obj, fields):
    return {name: _value(getattr(obj, name)) for name in fields}


def _organisation(obj):
    return obj.organisation.name if getattr(obj, "organisation_id", None) else None


def personal_data(user) -> dict:
    """All data the platform holds about ``user`` (nothing about anyone else), JSON-ready."""
    data = {
        "generated_at": _value(datetime.datetime.now(datetime.timezone.utc)),
        "profile": {
            **_row(user, ["email", "display_name", "phone", "bio", "language", "date_joined", "last_login"]),
        },
    }
    data["email_addresses"] = [
        _row(address, ["email", "verified", "primary"]) for address in EmailAddress.objects.filter(user=user)
    ]
    data["memberships"] = [
        {"organisation": m.organisation.name, "role": m.role, "status": m.status, "is_multiplier": m.is_multiplier,
         "is_listed": m.is_listed, "message": m.message,
         **_row(m, ["requested_at", "decided_at"])}
        for m in Membership.objects.filter(user=user).select_related("organisation").order_by("requested_at")
    ]
    invitations = Invitation.objects.filter(Q(invited_by=user) | Q(accepted_by=user)).select_related("organisation")
    data["invitations_sent"] = []
    data["invitations_accepted"] = []
    for invitation in invitations:
        row = {"organisation": invitation.organisation.name, "role": invitation.role,
               **_row(invitation, ["created_at", "expires_at", "accepted_at"])}
        if invitation.invited_by_id == user.pk:
            # The invited person's email address is theirs, not part of this person's data.
            data["invitations_sent"].append({"accepted": invitation.accepted_at is not None, **row})
        if invitation.accepted_by_id == user.pk:
            data["invitations_accepted"].append(row)

    data["proposals"] = [
        {"organisation": _organisation(p), "channel": p.channel,
         **_row(p, ["id", "title", "summary", "text", "district", "estimated_cost", "planning", "delivery", "status",
                    "is_hidden", "hidden_reason", "created_at", "published_at"])}
        for p in Proposal.objects.filter(author=user).select_related("organisation").order_by("created_at")
    ]
    data["comments"] = [
        {"proposal": c.proposal.title, "channel": c.channel,
         **_row(c, ["text", "created_at", "edited_at", "is_hidden", "hidden_reason"])}
        for c in Comment.objects.filter(author=user).select_related("proposal").order_by("created_at")
    ]
    data["supports"] = [
        {"proposal": s.proposal.title, "channel": s.channel, "created_at": _value(s.created_at)}
        for s in Support.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    data["follows"] = [
        {"proposal": f.proposal.title, "created_at": _value(f.created_at)}
        for f in Follow.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    data["pledges"] = [
        {"proposal": p.proposal.title, "channel": p.channel, **_row(p, ["kind", "hours", "amount", "note", "created_at"])}
        for p in Pledge.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    # What staff entered for others by phone, on paper or at a drop-in: only that it happened, not whose it is.
    entered = []
    for model, kind in ((Proposal, "proposal"), (Comment, "comment"), (Support, "support"), (Pledge, "pledge")):
        entered += [{"kind": kind, "channel": row.channel, "created_at": _value(row.created_at)}
                    for row in model.objects.filter(entered_by=user).exclude(**_own(model, user)).order_by("created_at")]
    data["entered_on_behalf_of_others"] = entered
    data["reports"] = [
        # What was reported, by its public proposal; never the text of someone else's comment.
        {"about": "comment" if r.comment_id else "proposal",
         "proposal": r.proposal.title, **_row(r, ["reason", "status", "created_at", "decided_at"])}
        for r in Report.objects.filter(reporter=user).select_related("proposal").order_by("created_at")
    ]

    data["budget_entries"] = [
        {"process": p.budget_entry.process.title,
         "proposal": p.title,
         **_row(p.budget_entry, ["feasibility", "feasibility_reason", "final_cost", "vote_count", "is_funded",
                                 "created_at"])}
        for p in Proposal.objects.filter(author=user, budget_entry__isnull=False)
        .select_related("budget_entry__process").order_by("created_at")
    ]
    ballots = list(Ballot.objects.filter(user=user).select_related("process").order_by("created_at"))
    picks = {}
    for pick in Pick.objects.filter(ballot__in=ballots).select_related("entry__proposal").order_by("pk"):
        picks.setdefault(pick.ballot_id, []).append({"proposal": pick.entry.proposal.title, "cost": _value(pick.cost)})
    data["budget_ballots"] = [
        {"process": b.process.title, **_row(b, ["status", "budget", "total", "district", "created_at", "updated_at",
                                                 "confirmed_at"]),
         "picks": picks.get(b.pk, [])}
        for b in ballots
    ]
    data["budget_follows"] = [
        {"process": f.process.title, "created_at": _value(f.created_at)}
        for f in ProcessFollow.objects.filter(user=user).select_related("process").order_by("created_at")
    ]
    data["budget_evaluations"] = [
        {"proposal": e.implementation.proposal.title, **_row(e, ["rating", "comment", "created_at"])}
        for e in Evaluation.objects.filter(user=user).select_related("implementation__proposal").order_by("created_at")
    ]
    data["budget_implementation_updates"] = [
        {"proposal": u.implementation.proposal.title, **_row(u, ["text", "status", "progress", "created_at"])}
        for u in ImplementationUpdate.objects.filter(author=user).select_related("implementation__proposal").order_by("created_at")
    ]

    data["volunteering"] = _volunteering(user)
    data["wiki"] = _wiki(user)

    data["notifications"] = [
        {"verb": n.activity.verb, "title": n.activity.title, "category": n.category, "channel": n.channel,
         **_row(n, ["created_at", "read_at"])}
        for n in Notification.objects.filter(recipient=user).select_related("activity").order_by("created_at")
    ]
    data["notification_preferences"] = [
        _row(p, ["category", "channel", "updated_at"]) for p in Preference.objects.filter(user=user).order_by("category")
    ]
    data["emails_sent"] = [
        _row(d, ["kind", "period", "status", "sent_at", "subject", "created_at"])
        for d in Delivery.objects.filter(recipient=user).order_by("created_at")
    ]
    data["activities"] = [
        {"organisation": _organisation(a), **_row(a, ["verb", "title", "created_at"])}
        for a in Activity.objects.filter(actor=user).select_related("organisation").order_by("created_at")
    ]
    return data


def _own(model, user):
    return {"author": user} if model in (Proposal, Comment) else {"user": user}


def _volunteering(user):
    profile = VolunteerProfile.objects.filter(user=user).first()
    section = {"profile": None}
    if profile is not None:
        section["profile"] = {
            "skills": [skill.name for skill in profile.skills.order_by("name")],
            "availability": [
                {"weekday": slot.weekday, **_row(slot, ["start_time", "end_time"])}
                for slot in AvailabilitySlot.objects.filter(profile=profile)
            ],
            # The token itself is a secret of the calendar address; only whether a feed exists.
            "calendar_feed": bool(profile.calendar_token),
            "calendar_feed_created_at": _value(profile.calendar_token_created_at),
            "updated_at": _value(profile.updated_at),
        }
    section["signups"] = [
        {"task": s.shift.task.title, "organisation": s.shift.task.organisation.name,
         "shift_starts_at": _value(s.shift.starts_at), "shift_ends_at": _value(s.shift.ends_at),
         **_row(s, ["status", "waitlist_number", "offered_at", "confirmed_at", "cancelled_at", "attended", "hours",
                    "created_at"])}
        for s in SignUp.objects.filter(user=user).select_related("shift__task__organisation").order_by("created_at")
    ]
    section["certificates"] = [
        _row(c, ["organisation_name", "holder_name", "period_start", "period_end", "hours", "tasks",
                 "verification_code", "issued_at"])
        for c in Certificate.objects.filter(user=user).order_by("issued_at")
    ]
    section["briefings_read"] = [
        {"task": r.task.title, "read_at": _value(r.read_at)}
        for r in BriefingRead.objects.filter(user=user).select_related("task").order_by("read_at")
    ]
    return section


def _wiki(user):
    pages = list(Page.objects.filter(Q(created_by=user) | Q(owner=user)).select_related("space").order_by("created_at"))
    return {
        "pages_created": [{"title": p.title, "space": p.space.name, "created_at": _value(p.created_at)}
                          for p in pages if p.created_by_id == user.pk],
        "pages_owned": [{"title": p.title, "space": p.space.name} for p in pages if p.owner_id == user.pk],
        "revisions": [
            {"page": r.page.title, **_row(r, ["number", "summary", "created_at"])}
            for r in Revision.objects.filter(author=user).select_related("page").order_by("created_at")
        ],
        "watches": [
            {"page": w.page.title if w.page_id else None, "space": w.space.name if w.space_id else None,
             "created_at": _value(w.created_at)}
            for w in Watch.objects.filter(user=user).select_related("page", "space").order_by("created_at")
        ],
    }
