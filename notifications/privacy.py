"""What notifications hold about a person: their part of the data download, and what erasure does with it.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts). These
sections close the download: they record what happened in all the others.
"""
from django.utils import translation
from django.utils.text import capfirst

from stakeholders.erasure import DELETED_USER
from stakeholders.privacy import organisation_name, plain_row

from .models import Activity, Delivery, Message, Notification, Preference

EXPORTED = {
    "notifications.Notification.recipient": "notifications",
    "notifications.Preference.user": "notification_preferences",
    "notifications.Delivery.recipient": "emails_sent",
    "notifications.Activity.actor": "activities",
    "notifications.Message.author": "messages_written",
}

ERASURE = {
    "notifications.Notification.recipient": "delete: what the person was told",
    "notifications.Preference.user": "delete: how the person wanted to hear about things",
    "notifications.Delivery.recipient": "delete: the emails sent to the person",
    "notifications.Activity.actor": "keep as deleted user: the activity log stays to trace changes; it stores "
                                    "no name, and others' notifications read \"deleted user\"",
    "notifications.Message.author": "keep as deleted user: a message to a group stays in its organisation's "
                                    "record of who was told what, and its recipients keep it; it names no author then",
}


def export(user):
    """What the person was told, how they wanted to hear about things, the emails sent, and what they did."""
    return {
        "notifications": [
            {"verb": n.activity.verb, "title": n.activity.title, "category": n.category, "channel": n.channel,
             **plain_row(n, ["created_at", "read_at"])}
            for n in Notification.objects.filter(recipient=user).select_related("activity").order_by("created_at")
        ],
        "notification_preferences": [
            plain_row(p, ["category", "channel", "updated_at"])
            for p in Preference.objects.filter(user=user).order_by("category")
        ],
        "emails_sent": [
            plain_row(d, ["kind", "period", "status", "sent_at", "subject", "created_at"])
            for d in Delivery.objects.filter(recipient=user).order_by("created_at")
        ],
        "messages_written": [
            {"organisation": m.organisation.name, **plain_row(m, ["subject", "body", "audience_label", "reach",
                                                                  "created_at"])}
            for m in Message.objects.filter(author=user).select_related("organisation").order_by("created_at")
        ],
        "activities": [
            {"organisation": organisation_name(a), **plain_row(a, ["verb", "title", "created_at"])}
            for a in Activity.objects.filter(actor=user).select_related("organisation").order_by("created_at")
        ],
    }


def erase(*, user, now):
    """The log keeps what the person did without them; emails to others no longer carry their name.

    Runs after the feature apps' steps, so what those recorded on the way (cancelled sign-ups) is marked too.
    """
    _scrub_email_subjects(user)
    _mark_activities(user)


def _mark_activities(user, batch_size=500):
    """The log keeps what the person did; notifications then name a deleted user, not the platform."""
    activities = Activity.objects.filter(actor=user).only("pk", "data").order_by("pk")
    batch = []
    for activity in activities.iterator(chunk_size=batch_size):
        activity.data = {**(activity.data or {}), "actor_erased": True}
        activity.actor = None
        batch.append(activity)
        if len(batch) >= batch_size:
            Activity.objects.bulk_update(batch, ["data", "actor"])
            batch = []
    if batch:
        Activity.objects.bulk_update(batch, ["data", "actor"])


def _scrub_email_subjects(user):
    """Single emails to others about what the person did carry their name in the stored subject."""
    if not user.display_name:
        return
    deliveries = (Delivery.objects.filter(notifications__activity__actor=user, kind=Delivery.Kind.IMMEDIATE,
                                          subject__contains=user.display_name)
                  .exclude(recipient=user).select_related("recipient").distinct())
    changed = []
    for delivery in deliveries:
        with translation.override(delivery.recipient.language):
            delivery.subject = delivery.subject.replace(user.display_name, capfirst(str(DELETED_USER)))[:200]
        changed.append(delivery)
    Delivery.objects.bulk_update(changed, ["subject"])
