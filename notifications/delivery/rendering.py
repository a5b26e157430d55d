"""How a notification and an email read, in the recipient's language and the site's time zone."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..registry import category_label, rule_for
from ..tokens import unsubscribe_token
from .periods import K


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def describe(item, available=True):
    """What a notification says, in the active language: {text, detail, url, when}."""
    activity = item.activity
    rule = rule_for(activity.verb, item.category)
    if not available or rule is None:
        return {"text": _("This content is no longer available."), "detail": "", "url": "", "when": item.created_at}
    text, detail = rule.message(activity)
    return {"text": text, "detail": detail, "url": activity.url, "when": item.created_at}


def grouped(items):
    """[(organisation name, [(category label, [described items])])], in the order first seen."""
    groups, names = {}, {}
    for item in items:
        names.setdefault(item.organisation_id,
                         item.organisation.name if item.organisation_id else _("Across the platform"))
        categories = groups.setdefault(item.organisation_id, {})
        categories.setdefault(category_label(item.category), []).append(describe(item))
    return [(names[key], list(categories.items())) for key, categories in groups.items()]


def subject_for(delivery, items, more=0):
    if delivery.kind == K.DAILY:
        return _("Your daily summary: %(count)s new") % {"count": len(items) + more}
    if delivery.kind == K.WEEKLY:
        return _("Your weekly summary: %(count)s new") % {"count": len(items) + more}
    return describe(items[0])["text"]


def build_email(delivery, items, *, more=0, connection=None):
    recipient = delivery.recipient
    category = items[0].category if delivery.kind == K.IMMEDIATE else None
    token = unsubscribe_token(recipient, category) if category else unsubscribe_token(recipient)
    unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
    with translation.override(recipient.language), timezone.override(settings.TIME_ZONE):
        context = {
            "recipient": recipient,
            "delivery": delivery,
            "groups": grouped(items),
            "more": more,
            "site_url": settings.SITE_URL.rstrip("/"),
            "inbox_url": absolute(reverse("notifications:list")),
            "preferences_url": absolute(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe_url,
            "category_label": category_label(category) if category else "",
        }
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject_for(delivery, items, more)
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "koproduktion.example"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[recipient.email], connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Message-ID": f"<{delivery.kind}.{delivery.period}.{recipient.pk}.{delivery.pk}@{domain}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
