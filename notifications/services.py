"""Recording activity, deriving notifications from it, and the choices a person makes about them.

Views, admin, tasks and the other apps' services call these.
"""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from . import jobs
from .jobs import enqueue
from .models import Activity, Channel, Notification, Preference
from .registry import CATEGORIES, category_codes, default_channels, event_for, rule_for, rules_for
from .tokens import ALL_CATEGORIES


def activity_record(*, actor, verb, target, organisation=None, **data):
    """Writes one activity-log row and the notifications derived from it.

    Call it inside the transaction of the change it records: the change, the row and the
    notifications commit together or not at all. Emails that are due right away are enqueued
    after the commit; if that fails (no broker), the periodic sweep sends them later. A verb that
    no app declared (notifications.registry.event) is refused with UndeclaredVerb.
    """
    title, url, *more = event_for(verb).describe(target)
    extra = more[0] if more else {}
    rule = rule_for(verb)
    activity = Activity.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target=target,
        organisation=organisation,
        title=(title or "")[:200],
        url=(url or "")[:500],
        data={**extra, **data},
        fan_out_pending=rule is not None and rule.broadcast,
    )
    told = set()
    for each in rules_for(verb):
        if each.broadcast:
            transaction.on_commit(lambda: enqueue(jobs.FAN_OUT, activity.pk))
        else:
            told |= {row.recipient_id for row in _notify(activity, each, skip=told)}
    return activity


def fan_out(activity_id):
    """Derives the notifications of a broadcast activity, once, with one INSERT … SELECT.

    Runs after the change committed (a task; the sweep catches up if it never ran). Its row lock
    (SKIP LOCKED) keeps a second run away; the unique (recipient, activity) pair keeps any retry
    from adding a notification twice. Counters are then raised in chunks, like any others.
    """
    with transaction.atomic():
        activity = (Activity.objects.select_for_update(skip_locked=True)
                    .filter(pk=activity_id, fan_out_pending=True).first())
        if activity is None:
            return 0
        rule = rule_for(activity.verb)
        created = _insert_notifications(activity, rule) if rule is not None else 0
        Activity.objects.filter(pk=activity.pk).update(fan_out_pending=False)
    recipients = list(Notification.objects.filter(activity_id=activity_id).order_by("recipient_id")
                      .values_list("recipient_id", flat=True))
    for start in range(0, len(recipients), FAN_OUT_CHUNK):
        with transaction.atomic():
            _count_new(recipients[start:start + FAN_OUT_CHUNK])
    immediate = list(Notification.objects.pending_email().filter(activity_id=activity_id, channel=Channel.IMMEDIATE)
                     .values_list("pk", flat=True))
    _send_soon(immediate)
    return created


FAN_OUT_CHUNK = 2000


def _insert_notifications(activity, rule):
    """INSERT … SELECT of one notification per active recipient, with their chosen channel."""
    users, preferences = get_user_model()._meta.db_table, Preference._meta.db_table
    ids_sql, ids_params = rule.recipients(activity).query.sql_with_params()
    not_actor = "AND u.id <> %s" if activity.actor_id is not None and not rule.include_actor else ""
    sql = f"""
        INSERT INTO {Notification._meta.db_table}
            (recipient_id, activity_id, organisation_id, category, channel, is_urgent, created_at)
        SELECT u.id, %s, %s, %s, COALESCE(p.channel, %s), %s, %s
        FROM {users} u LEFT JOIN {preferences} p ON p.user_id = u.id AND p.category = %s
        WHERE u.is_active AND u.id IN ({ids_sql}) {not_actor}
        ON CONFLICT DO NOTHING
    """
    params = [activity.pk, activity.organisation_id, rule.category, CATEGORIES[rule.category].default_channel, False,
              connection.ops.adapt_datetimefield_value(timezone.now()), rule.category, *ids_params]
    if not_actor:
        params.append(activity.actor_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fan_out_overdue(now=None):
    """Broadcasts whose task never ran (no broker, a worker down): derived by the sweep."""
    since = (now or timezone.now()) - timedelta(minutes=1)
    return list(Activity.objects.filter(fan_out_pending=True, created_at__lt=since).order_by("pk")
                .values_list("pk", flat=True)[:100])


def _notify(activity, rule, skip=()):
    wanted = {pk for pk in rule.recipients(activity) if pk is not None} - set(skip)
    if not rule.include_actor:
        wanted.discard(activity.actor_id)
    if not wanted:
        return []
    chosen = (
        get_user_model().objects.filter(pk__in=wanted, is_active=True)
        .annotate(channel=Subquery(Preference.objects.filter(user=OuterRef("pk"), category=rule.category)
                                   .values("channel")[:1]))
        .values_list("pk", "channel")
    )
    default = CATEGORIES[rule.category].default_channel
    rows = [
        Notification(recipient_id=pk, activity=activity, organisation_id=activity.organisation_id,
                     category=rule.category, channel=_effective(channel or default, rule.urgent), is_urgent=rule.urgent)
        for pk, channel in sorted(chosen)
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    _count_new([n.recipient_id for n in rows])
    _send_soon([n.pk for n in rows if n.channel == Channel.IMMEDIATE])
    return rows


def _count_new(user_ids):
    """Adds one to each person's unread counter, never waiting for a person's row while holding other locks.

    The counter lives on the person's row, which every page reads anyway (the header shows it),
    so keeping it costs no query. The caller may hold locks of its own app that it took in its
    own order (a shift, a task) and that another transaction may want while it holds one of these
    rows; whatever that order is, skipping the rows held elsewhere (SKIP LOCKED) and recounting
    them right after the commit instead means this never waits, so it never closes a cycle.
    No app locks a person's row to serialise its own work (volunteering has its own person lock).
    """
    users = get_user_model().objects.filter(pk__in=user_ids)
    free = user_ids
    if connection.features.has_select_for_update_skip_locked and connection.in_atomic_block:
        free = list(users.select_for_update(skip_locked=True, no_key=True).order_by("pk").values_list("pk", flat=True))
    if free:
        get_user_model().objects.filter(pk__in=free).update(unread_notifications=F("unread_notifications") + 1)
    busy = set(user_ids) - set(free)
    if busy:
        transaction.on_commit(lambda: unread_recount(busy))


def unread_recount(user_ids):
    """Sets each person's unread counter to the number of their unread notifications."""
    users = get_user_model().objects.filter(pk__in=user_ids)
    with transaction.atomic():
        # Locked first, counted in the next statement: the count then sees every commit before the lock.
        locked = list(users.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
        unread = (Notification.objects.unread().filter(recipient=OuterRef("pk")).order_by()
                  .values("recipient").annotate(number=Count("pk")).values("number"))
        get_user_model().objects.filter(pk__in=locked).update(
            unread_notifications=Coalesce(Subquery(unread), Value(0))
        )


def _effective(channel, urgent):
    """Time-critical items skip the digest; only "only here on the platform" keeps them off email."""
    if urgent and channel in (Channel.DAILY, Channel.WEEKLY):
        return Channel.IMMEDIATE
    return channel


def _send_soon(notification_ids):
    if notification_ids:
        transaction.on_commit(lambda: enqueue(jobs.SEND_IMMEDIATE, notification_ids))


def channels_of(user):
    """{category: channel} for every category, defaults filled in, in the order of the preferences page."""
    chosen = dict(Preference.objects.filter(user=user).values_list("category", "channel"))
    return {category: chosen.get(category, default) for category, default in default_channels().items()}


@transaction.atomic
def preferences_set(*, user, channels):
    """Stores how the person hears about each category; waiting items follow the new choice."""
    unknown = set(channels) - set(CATEGORIES)
    if unknown or set(channels.values()) - set(Channel.values):
        raise ValueError("Unknown category or channel")
    for category, channel in channels.items():
        Preference.objects.update_or_create(user=user, category=category, defaults={"channel": channel})
        waiting = Notification.objects.pending_email().filter(recipient=user, category=category)
        waiting.filter(is_urgent=False).update(channel=channel)
        waiting.filter(is_urgent=True).update(channel=_effective(channel, True))
    _send_soon(list(Notification.objects.pending_email().filter(recipient=user, channel=Channel.IMMEDIATE)
                    .values_list("pk", flat=True)))


def unsubscribe(*, user, category=ALL_CATEGORIES):
    """Stops emails about one category (or all): they are still shown on the platform."""
    categories = category_codes() if category == ALL_CATEGORIES else [category]
    preferences_set(user=user, channels={c: Channel.APP for c in categories})


@transaction.atomic
def notification_mark_read(*, notification, user):
    if notification.recipient_id != user.pk:
        raise PermissionError("Not this person's notification")
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now()):
        _count_read(user, 1)
        return True
    return False


@transaction.atomic
def notifications_mark_all_read(*, user):
    done = Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    if done:
        _count_read(user, done)
    return done


def _count_read(user, number):
    get_user_model().objects.filter(pk=user.pk).update(
        unread_notifications=Greatest(Coalesce(F("unread_notifications"), Value(0)) - number, Value(0))
    )
