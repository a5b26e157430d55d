"""What volunteering holds about a person: its part of the data download, and what erasure does with it.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts).
"""
from django.db.models import Count, Q

from stakeholders.erasure import ErasureError
from stakeholders.privacy import plain, plain_row

from . import services
from .models import AvailabilitySlot, BriefingRead, Certificate, SignUp, VolunteerProfile

EXPORTED = {
    "volunteering.VolunteerProfile.user": "volunteering.profile",
    "volunteering.SignUp.user": "volunteering.signups",
    "volunteering.Certificate.user": "volunteering.certificates",
    "volunteering.BriefingRead.user": "volunteering.briefings_read",
}

LEFT_OUT = {
    "volunteering.Task.created_by": "staff work for an organisation; the task is public",
    "volunteering.Shift.cancelled_by": "staff work for an organisation",
    "volunteering.SignUp.cancelled_by": "who cancelled a sign-up; the person's own sign-ups are exported "
                                        "with their status",
    "volunteering.SignUp.attendance_marked_by": "staff work on someone else's attendance",
}

ERASURE = {
    "volunteering.VolunteerProfile.user": "delete: skills, weekly availability and the private calendar feed",
    "volunteering.SignUp.user": "unlink: sign-ups that can still be cancelled are cancelled first (places "
                                "are freed, the waitlist moves on); the rows stay without a person so "
                                "attendance and hours count in the organisation's statistics",
    "volunteering.SignUp.cancelled_by": "unlink: who cancelled someone else's sign-up is no longer known",
    "volunteering.SignUp.attendance_marked_by": "unlink: staff work on someone else's attendance",
    "volunteering.Certificate.user": "delete: a certificate carries the person's name; a printed one can no "
                                     "longer be verified online",
    "volunteering.BriefingRead.user": "delete: only that the person read a task's briefing",
    "volunteering.Task.created_by": "unlink: staff work for an organisation; the task is public and stays",
    "volunteering.Shift.cancelled_by": "unlink: staff work for an organisation",
}


def export(user):
    """The person's volunteer profile, sign-ups, certificates and the briefings they read."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    section = {"profile": None}
    if profile is not None:
        section["profile"] = {
            "skills": [skill.name for skill in profile.skills.order_by("name")],
            "availability": [
                {"weekday": slot.weekday, **plain_row(slot, ["start_time", "end_time"])}
                for slot in AvailabilitySlot.objects.filter(profile=profile)
            ],
            # The token itself is a secret of the calendar address; only whether a feed exists.
            "calendar_feed": bool(profile.calendar_token),
            "calendar_feed_created_at": plain(profile.calendar_token_created_at),
            "updated_at": plain(profile.updated_at),
        }
    section["signups"] = [
        {"task": s.shift.task.title, "organisation": s.shift.task.organisation.name,
         "shift_starts_at": plain(s.shift.starts_at), "shift_ends_at": plain(s.shift.ends_at),
         **plain_row(s, ["status", "waitlist_number", "offered_at", "confirmed_at", "cancelled_at", "attended",
                         "hours", "created_at"])}
        for s in SignUp.objects.filter(user=user).select_related("shift__task__organisation").order_by("created_at")
    ]
    section["certificates"] = [
        plain_row(c, ["organisation_name", "holder_name", "period_start", "period_end", "hours", "tasks",
                      "verification_code", "issued_at"])
        for c in Certificate.objects.filter(user=user).order_by("issued_at")
    ]
    section["briefings_read"] = [
        {"task": r.task.title, "read_at": plain(r.read_at)}
        for r in BriefingRead.objects.filter(user=user).select_related("task").order_by("read_at")
    ]
    return {"volunteering": section}


def erase(*, user, now):
    """The person's places and waitlist tickets are freed through the volunteering services."""
    try:
        services.person_sign_ups_end(user=user, now=now)
    except services.VolunteeringError as error:
        raise ErasureError(str(error)) from error


def erasure_summary(*, user, now, summary):
    """The upcoming sign-ups that are cancelled, and the offers of a free place that go to the next person."""
    volunteering = SignUp.objects.filter(user=user).aggregate(
        upcoming=Count("pk", filter=Q(status__in=SignUp.ACTIVE_STATUSES) & (
            Q(shift__starts_at__gt=now) | Q(shift__task__is_flexible=True, shift__ends_at__gt=now))),
        offers=Count("pk", filter=Q(status=SignUp.Status.OFFERED, shift__ends_at__gt=now)),
    )
    summary["upcoming_sign_ups"] = volunteering["upcoming"]
    summary["open_offers"] = volunteering["offers"]


def admin_log_rows(user):
    """The person's rows whose entries in the back office's change log carry their name."""
    return [
        (SignUp, SignUp.objects.filter(user=user).values_list("pk", flat=True)),
        (Certificate, Certificate.objects.filter(user=user).values_list("pk", flat=True)),
    ]
