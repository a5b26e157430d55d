"""Sending emails exactly once: single emails now, daily and weekly digests at the local hour.

Each email is a Delivery row, unique per (person, kind, period). A batch of them is *claimed*
in one short transaction (rows locked with SKIP LOCKED, so two workers never take the same
person; the notifications it carries are attached in the same transaction), then sent. Each
email is marked sent by an UPDATE in a transaction that commits only once the email has left:
the row stays locked while it is sent, so a second run of the same task waits and then finds it
sent, and a crash rolls the mark back. A retried task reclaims what it had claimed; anything a
dead worker left half-done is reclaimed by the sweep after CLAIM_TIMEOUT. The Message-ID is
derived from the row, so even the one email that may have left just before a crash carries the
same id when sent again.

Reading is constant per batch: the claim, the recipients, their items (at most MAX_ITEMS each,
numbered by the database), one query per kind of target to see what still exists and is not
hidden, and one for memberships. Each sent email is then marked with one UPDATE by key.
"""
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders.models import Membership

from .models import Category, Channel, Delivery, Notification
from .registry import VISIBILITY, rule_for
from .services import unsubscribe_token

K = Delivery.Kind
St = Delivery.Status
CLAIM_TIMEOUT = timedelta(minutes=15)
RETRY_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def max_items():
    return settings.NOTIFICATIONS_DIGEST_MAX_ITEMS


def batch_size():
    return settings.NOTIFICATIONS_BATCH_SIZE


# --- periods -----------------------------------------------------------------------------------

def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def period_for(kind, now=None):
    """(period, cutoff) of the most recent digest time at or before ``now``, in local time (TIME_ZONE).

    Daily: the local date of the digest hour. Weekly: the ISO week of the digest weekday.
    A digest carries what was notified before its cutoff; later items wait for the next one.
    """
    local = timezone.localtime(now or timezone.now(), local_zone())
    scheduled = local.replace(hour=settings.NOTIFICATIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if kind == K.DAILY:
        if scheduled > local:
            scheduled -= timedelta(days=1)
        return scheduled.date().isoformat(), _aware(scheduled)
    weekday = WEEKDAYS.index(settings.NOTIFICATIONS_WEEKLY_DAY)
    scheduled -= timedelta(days=(local.weekday() - weekday) % 7)
    if scheduled > local:
        scheduled -= timedelta(days=7)
    year, week, _day = scheduled.isocalendar()
    return f"{year}-W{week:02d}", _aware(scheduled)


def _aware(local):
    """The same wall-clock time, with the offset that is valid on that day (summer or winter time)."""
    return timezone.make_aware(datetime(local.year, local.month, local.day, local.hour), local.tzinfo)


def cutoff_of(kind, period):
    """The cutoff of a digest period written by period_for."""
    if kind == K.DAILY:
        day = date.fromisoformat(period)
    else:
        year, week = period.split("-W")
        day = date.fromisocalendar(int(year), int(week), WEEKDAYS.index(settings.NOTIFICATIONS_WEEKLY_DAY) + 1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, settings.NOTIFICATIONS_DIGEST_HOUR),
                               local_zone())


# --- planning ----------------------------------------------------------------------------------

def digest_recipients(kind, now=None):
    """(period, cutoff, ids of people with items waiting for this digest and no email for it yet)."""
    period, cutoff = period_for(kind, now)
    done = Delivery.objects.filter(kind=kind, period=period).values("recipient_id")
    ids = (
        Notification.objects.pending_email().filter(channel=kind, created_at__lt=cutoff)
        .exclude(recipient_id__in=done).order_by("recipient_id").values_list("recipient_id", flat=True).distinct()
    )
    return period, cutoff, list(ids)


def batches(ids, size=None):
    size = size or batch_size()
    return [ids[start:start + size] for start in range(0, len(ids), size)]


# --- claiming ----------------------------------------------------------------------------------

def claim_digests(kind, period, cutoff, recipient_ids, claimer, now=None):
    """Creates and claims the digest rows of these people; attaches their waiting items."""
    now = now or timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(recipient_id=pk, kind=kind, period=period) for pk in recipient_ids], ignore_conflicts=True
    )
    with transaction.atomic():
        claimed = _claim(Delivery.objects.filter(kind=kind, period=period, recipient_id__in=recipient_ids),
                         claimer, now, cutoff=cutoff)
    return [d[0] for d in claimed]


def claim_immediate(notification_ids, claimer, now=None):
    """Creates and claims the single emails of these notifications (those still waiting for one)."""
    now = now or timezone.now()
    waiting = list(
        Notification.objects.pending_email().filter(pk__in=notification_ids, channel=Channel.IMMEDIATE)
        .values_list("pk", "recipient_id")
    )
    Delivery.objects.bulk_create(
        [Delivery(recipient_id=recipient, kind=K.IMMEDIATE, period=str(pk)) for pk, recipient in waiting],
        ignore_conflicts=True,
    )
    periods = {str(pk) for pk in notification_ids}
    with transaction.atomic():
        claimed = _claim(Delivery.objects.filter(kind=K.IMMEDIATE, period__in=periods), claimer, now)
    return [d[0] for d in claimed]


def _claim(deliveries, claimer, now, limit=None, cutoff=None):
    """Locks the rows nobody else is sending (or that a dead worker left), marks them as ours and
    attaches what they carry. Call it inside a transaction."""
    open_ = Q(status=St.PENDING) | Q(status=St.SENDING, claimed_by=claimer) | Q(
        status=St.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    rows = (deliveries.filter(open_).select_for_update(skip_locked=True).order_by("pk")
            .values_list("pk", "recipient_id", "kind", "period"))
    claimed = list(rows[:limit] if limit else rows)
    if claimed:
        Delivery.objects.filter(pk__in=[d[0] for d in claimed]).update(
            status=St.SENDING, claimed_by=claimer, claimed_at=now, attempts=F("attempts") + 1
        )
        _attach(claimed, cutoff)
    return claimed


def _attach(claimed, cutoff=None):
    """Attaches to each claimed email what it carries: its one notification, or the person's waiting items.

    Also on a reclaim, so an email whose row was created but never claimed (a crash in between)
    still carries its items.
    """
    links = {int(period): pk for pk, _recipient, kind, period in claimed if kind == K.IMMEDIATE}
    if links:
        Notification.objects.pending_email().filter(pk__in=links, channel=Channel.IMMEDIATE).update(
            delivery_id=Case(*[When(pk=n, then=Value(d)) for n, d in links.items()], output_field=IntegerField())
        )
    digests = defaultdict(list)
    for _pk, recipient, kind, period in claimed:
        if kind != K.IMMEDIATE:
            digests[kind, period].append(recipient)
    for (kind, period), recipients in digests.items():
        mine = Delivery.objects.filter(kind=kind, period=period, recipient_id=OuterRef("recipient_id"))
        Notification.objects.pending_email().filter(
            channel=kind, created_at__lt=cutoff or cutoff_of(kind, period), recipient_id__in=recipients
        ).update(delivery_id=Subquery(mine.values("pk")[:1]))


# --- sending -----------------------------------------------------------------------------------

def send_claimed(delivery_ids, claimer, connection=None):
    """Builds and sends the claimed emails; returns how many left. Items gone or hidden are left out."""
    if not delivery_ids:
        return 0
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, claimed_by=claimer, status=St.SENDING)
        .select_related("recipient").order_by("pk")
    )
    if not deliveries:
        return 0
    items = list(
        Notification.objects.filter(delivery_id__in=[d.pk for d in deliveries])
        .select_related("activity__actor", "activity__target_type", "organisation")
        .annotate(
            position=Window(RowNumber(), partition_by=[F("delivery_id")],
                            order_by=[F("created_at").desc(), F("pk").desc()]),
            total=Window(Count("pk"), partition_by=[F("delivery_id")]),
        )
        .filter(position__lte=max_items())
        .order_by("delivery_id", "-created_at", "-pk")
    )
    visible = visible_items(items)
    by_delivery = defaultdict(list)
    more = defaultdict(int)
    for item in items:
        more[item.delivery_id] = item.total - item.position  # the last one read is the highest position
        if item in visible:
            by_delivery[item.delivery_id].append(item)
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: every email of the batch waits
        for delivery in deliveries:
            _failed(delivery, claimer, error)
        return 0
    sent = 0
    try:
        for delivery in deliveries:
            shown = by_delivery.get(delivery.pk, [])
            if not shown or not delivery.recipient.is_active or not delivery.recipient.email:
                _finish(delivery, claimer, status=St.SKIPPED)
                continue
            message = build_email(delivery, shown, more=more[delivery.pk], connection=connection)
            try:
                with transaction.atomic():
                    if not _finish(delivery, claimer, status=St.SENT, subject=message.subject[:200],
                                   item_count=len(shown), sent_at=timezone.now()):
                        continue  # another run of this claim sent it while we waited for the row
                    message.send()
            except Exception as error:  # noqa: BLE001 - the mail server refused or is down: try again later
                _failed(delivery, claimer, error)
                continue
            sent += 1
    finally:
        connection.close()
    return sent


def _finish(delivery, claimer, **fields):
    """One UPDATE by key of an email still being sent under this claim; False if it no longer is."""
    return bool(Delivery.objects.filter(pk=delivery.pk, claimed_by=claimer, status=St.SENDING).update(**fields))


def _failed(delivery, claimer, error):
    status = St.FAILED if delivery.attempts >= MAX_ATTEMPTS else St.PENDING
    _finish(delivery, claimer, status=status, error=str(error)[:300])


def visible_items(notifications):
    """The notifications whose target still exists, is not hidden, and their recipient may see."""
    targets = defaultdict(set)
    for item in notifications:
        targets[item.activity.target_type_id].add(item.activity.target_id)
    allowed = {}
    for type_id, ids in targets.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        check = VISIBILITY.get(model)
        if check is None:
            found = dict.fromkeys(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        else:
            found = check(ids)
        allowed.update({(type_id, pk): organisation for pk, organisation in found.items()})
    needed = {(item.recipient_id, allowed[key]) for item in notifications
              if allowed.get(key := (item.activity.target_type_id, item.activity.target_id))}
    members = set()
    if needed:
        members = set(
            Membership.objects.approved()
            .filter(user_id__in={u for u, _o in needed}, organisation_id__in={o for _u, o in needed})
            .values_list("user_id", "organisation_id")
        )
    result = set()
    for item in notifications:
        key = (item.activity.target_type_id, item.activity.target_id)
        if key not in allowed:
            continue
        organisation = allowed[key]
        if organisation is None or (item.recipient_id, organisation) in members:
            result.add(item)
    return result


# --- rendering ---------------------------------------------------------------------------------

def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def describe(item, available=True):
    """What a notification says, in the active language: {text, detail, url, when}."""
    activity = item.activity
    rule = rule_for(activity.verb)
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
        categories.setdefault(Category(item.category).label, []).append(describe(item))
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
            "category_label": Category(category).label if category else "",
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


# --- the jobs the tasks run ------------------------------------------------------------------

def new_claimer():
    return f"run-{uuid.uuid4().hex}"


def send_digest_batch(kind, period, cutoff, recipient_ids, claimer=None):
    claimer = claimer or new_claimer()
    return send_claimed(claim_digests(kind, period, cutoff, recipient_ids, claimer), claimer)


def send_immediate(notification_ids, claimer=None):
    claimer = claimer or new_claimer()
    sent = 0
    for chunk in batches(list(notification_ids)):
        sent += send_claimed(claim_immediate(chunk, claimer), claimer)
    return sent


def unfinished(now=None):
    """Emails that were claimed but never finished (a dead worker) or that failed and wait for a retry."""
    now = now or timezone.now()
    waited = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_AFTER)
    return Delivery.objects.filter(
        (Q(status=St.PENDING) & waited) | Q(status=St.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).filter(created_at__lt=now - timedelta(minutes=1))


def retry_unfinished(now=None, claimer=None):
    """Sends again what is unfinished; gives up on emails a worker died on MAX_ATTEMPTS times."""
    claimer = claimer or new_claimer()
    now = now or timezone.now()
    unfinished(now).filter(attempts__gte=MAX_ATTEMPTS).update(
        status=St.FAILED, error=f"Not sent after {MAX_ATTEMPTS} attempts."
    )
    sent = 0
    while True:
        with transaction.atomic():
            claimed = _claim(unfinished(now).filter(attempts__lt=MAX_ATTEMPTS), claimer, timezone.now(),
                             limit=batch_size())
        if not claimed:
            return sent
        sent += send_claimed([d[0] for d in claimed], claimer)


def immediate_overdue(now=None):
    """Notifications due right away that never got their email (no broker, or a worker was down)."""
    now = now or timezone.now()
    return list(
        Notification.objects.pending_email()
        .filter(channel=Channel.IMMEDIATE, created_at__lt=now - timedelta(minutes=1))
        .order_by("pk").values_list("pk", flat=True)[:10 * batch_size()]
    )
