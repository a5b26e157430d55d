"""Choices about notifications: preferences, unsubscribe tokens, marking read and the kept unread counter."""
import random
import threading

import pytest
from django.core import mail, signing
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications import tokens
from notifications.models import Channel, Delivery, Notification, Preference
from notifications.registry import default_channels
from proposals import services as proposals
from stakeholders.models import User
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously
from tests.volunteering.factories import ShiftFactory, sign_up
from volunteering import services as volunteering

pytestmark = pytest.mark.django_db
needs_postgres = pytest.mark.skipif(connection.vendor == "sqlite",
                                    reason="SQLite serialises writers; this proves PostgreSQL")


def comment(proposal, text="Gute Idee."):
    return proposals.comment_create(proposal=proposal, author=UserFactory(), text=text)


def unread(user):
    return User.objects.get(pk=user.pk).unread_notifications


def channels(user):
    return dict(Notification.objects.filter(recipient=user).values_list("pk", "channel"))


@pytest.fixture
def follower(db):
    return UserFactory()


@pytest.fixture
def proposal(follower):
    proposal = ProposalFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    return proposal


# --- preferences -----------------------------------------------------------------------------

def test_without_choices_the_defaults_apply(person):
    assert services.channels_of(person) == default_channels()


def test_preferences_are_stored_per_category(person):
    services.preferences_set(user=person, channels={"wiki": "weekly", "volunteering": "app"})
    services.preferences_set(user=person, channels={"wiki": "immediate"})
    assert services.channels_of(person) == {**default_channels(), "wiki": "immediate", "volunteering": "app"}
    assert Preference.objects.filter(user=person).count() == 2
    assert services.channels_of(UserFactory()) == default_channels()


def test_waiting_notifications_follow_the_new_choice(proposal, follower):
    comment(proposal)
    comment(proposal)
    emailed = Notification.objects.filter(recipient=follower).earliest("pk")
    delivery = Delivery.objects.create(recipient=follower, kind="daily", period="2030-01-01", status="sent")
    Notification.objects.filter(pk=emailed.pk).update(delivery=delivery)
    sign_up(ShiftFactory(), follower)
    other = UserFactory()
    proposals.proposal_follow(proposal=proposal, user=other)
    comment(proposal)

    services.preferences_set(user=follower, channels={"proposals": "weekly"})
    mine = channels(follower)
    assert mine.pop(emailed.pk) == Channel.DAILY  # already emailed: it stays as it was
    assert mine.pop(Notification.objects.get(activity__verb="signup.confirmed").pk) == Channel.IMMEDIATE
    assert list(mine.values()) == [Channel.WEEKLY, Channel.WEEKLY]
    assert set(channels(other).values()) == {Channel.DAILY}


def test_choosing_only_the_app_takes_waiting_items_off_email(proposal, follower):
    comment(proposal)
    services.preferences_set(user=follower, channels={"proposals": "app"})
    assert set(channels(follower).values()) == {Channel.APP}
    assert not Notification.objects.pending_email().filter(recipient=follower).exists()
    # What was meant for the platform only is not emailed after the fact.
    services.preferences_set(user=follower, channels={"proposals": "immediate"})
    assert set(channels(follower).values()) == {Channel.APP}
    comment(proposal)
    assert sorted(channels(follower).values()) == [Channel.APP, Channel.IMMEDIATE]


@pytest.mark.parametrize("chosen, expected", [
    ("daily", "immediate"), ("weekly", "immediate"), ("immediate", "immediate"), ("app", "app"),
])
def test_waiting_urgent_items_stay_immediate_unless_only_the_app_is_chosen(chosen, expected):
    shift = ShiftFactory(capacity=1)
    holder, waiting = sign_up(shift), sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    offer = Notification.objects.get(activity__verb="signup.offered")
    assert offer.recipient_id == waiting.user_id and offer.is_urgent
    services.preferences_set(user=waiting.user, channels={"volunteering": chosen})
    offer.refresh_from_db()
    assert offer.channel == expected
    confirmation = Notification.objects.get(activity__verb="signup.waitlisted")
    assert confirmation.channel == chosen


def test_choosing_email_right_away_sends_what_waits(proposal, follower, django_capture_on_commit_callbacks):
    comment(proposal, "Ich bringe Kaffee mit.")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.preferences_set(user=follower, channels={"proposals": "immediate"})
    assert [message.to for message in mail.outbox] == [[follower.email]]
    assert Notification.objects.get(recipient=follower).delivery.status == Delivery.Status.SENT


@pytest.mark.parametrize("bad", [{"gardening": "daily"}, {"proposals": "sms"}, {"proposals": "weekly", "x": "app"},
                                 {"wiki": "daily", "proposals": None}])
def test_unknown_categories_or_channels_are_refused_and_nothing_is_saved(person, bad):
    with pytest.raises(ValueError):
        services.preferences_set(user=person, channels=bad)
    assert not Preference.objects.filter(user=person).exists()


# --- unsubscribe tokens ----------------------------------------------------------------------

def test_a_token_names_its_person_and_all_categories(person):
    assert tokens.read_unsubscribe_token(tokens.unsubscribe_token(person)) == (person, "*")


def test_a_token_can_name_one_category(person):
    token = tokens.unsubscribe_token(person, "wiki")
    assert tokens.read_unsubscribe_token(token) == (person, "wiki")
    assert token != tokens.unsubscribe_token(person) != tokens.unsubscribe_token(UserFactory())


@pytest.mark.parametrize("change", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: "A" + token[1:] if token[0] != "A" else "B" + token[1:],
    lambda token: token.replace(":", "", 1),
    lambda token: "",
    lambda token: "nonsense",
])
def test_a_changed_token_reads_as_nothing(person, change):
    assert tokens.read_unsubscribe_token(change(tokens.unsubscribe_token(person))) is None


def test_tokens_signed_for_something_else_or_with_other_content_read_as_nothing(person):
    assert tokens.read_unsubscribe_token(signing.dumps([person.pk, "*"], salt="other.purpose")) is None
    assert tokens.read_unsubscribe_token(signing.dumps([person.pk, "*"])) is None
    for payload in ([person.pk, "gardening"], [person.pk], person.pk, {"user": person.pk}, [person.pk, "*", 1]):
        token = signing.dumps(payload, salt=tokens.UNSUBSCRIBE_SALT, compress=True)
        assert tokens.read_unsubscribe_token(token) is None, payload


def test_tokens_of_inactive_or_deleted_people_read_as_nothing(person):
    token = tokens.unsubscribe_token(person)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert tokens.read_unsubscribe_token(token) is None
    other = UserFactory()
    token = tokens.unsubscribe_token(other, "proposals")
    other.delete()
    assert tokens.read_unsubscribe_token(token) is None


def test_unsubscribing_from_one_category_keeps_the_others(proposal, follower):
    services.preferences_set(user=follower, channels={"wiki": "weekly"})
    comment(proposal)
    services.unsubscribe(user=follower, category="proposals")
    assert services.channels_of(follower) == {**default_channels(), "proposals": "app", "wiki": "weekly"}
    assert set(channels(follower).values()) == {Channel.APP}
    assert unread(follower) == 1  # still shown on the platform


def test_unsubscribing_from_all_stops_every_email(proposal, follower):
    comment(proposal)
    sign_up(ShiftFactory(), follower)
    services.unsubscribe(user=follower)
    assert set(services.channels_of(follower).values()) == {Channel.APP}
    assert not Notification.objects.pending_email().filter(recipient=follower).exists()
    assert Notification.objects.filter(recipient=follower).count() == 2


# --- reading ---------------------------------------------------------------------------------

def test_marking_read_counts_down_once(proposal, follower):
    comment(proposal)
    comment(proposal)
    first = Notification.objects.filter(recipient=follower).earliest("pk")
    assert unread(follower) == 2
    assert services.notification_mark_read(notification=first, user=follower) is True
    assert unread(follower) == 1
    assert services.notification_mark_read(notification=first, user=follower) is False
    assert unread(follower) == 1
    first.refresh_from_db()
    assert first.read_at is not None and first.read_at <= timezone.now()


def test_nobody_marks_another_persons_notification(proposal, follower, person):
    comment(proposal)
    item = Notification.objects.get(recipient=follower)
    with pytest.raises(PermissionError):
        services.notification_mark_read(notification=item, user=person)
    item.refresh_from_db()
    assert item.read_at is None and unread(follower) == 1


def test_marking_all_read_touches_only_ones_own(proposal, follower):
    other = UserFactory()
    proposals.proposal_follow(proposal=proposal, user=other)
    for _ in range(3):
        comment(proposal)
    services.notification_mark_read(notification=Notification.objects.filter(recipient=follower).first(),
                                    user=follower)
    assert services.notifications_mark_all_read(user=follower) == 2
    assert unread(follower) == 0
    assert not Notification.objects.filter(recipient=follower).unread().exists()
    assert unread(other) == 3 and Notification.objects.filter(recipient=other).unread().count() == 3
    assert services.notifications_mark_all_read(user=follower) == 0
    assert unread(follower) == 0


def test_the_counter_never_goes_below_zero(proposal, follower):
    comment(proposal)
    comment(proposal)
    User.objects.filter(pk=follower.pk).update(unread_notifications=0)  # drifted, say by a manual fix
    services.notification_mark_read(notification=Notification.objects.filter(recipient=follower).first(),
                                    user=follower)
    assert unread(follower) == 0
    User.objects.filter(pk=follower.pk).update(unread_notifications=0)
    assert services.notifications_mark_all_read(user=follower) == 1
    assert unread(follower) == 0


# --- at the same time (PostgreSQL) -----------------------------------------------------------

def exact(user):
    return unread(user) == Notification.objects.filter(recipient=user).unread().count()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_marking_all_read_twice_at_once_counts_each_notification_once():
    proposal, follower = ProposalFactory(), UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    for _ in range(12):
        comment(proposal)
    assert unread(follower) == 12
    results, errors = run_simultaneously(4, lambda: services.notifications_mark_all_read(user=follower))
    assert errors == []
    assert sum(results) == 12  # each notification was marked by exactly one of them
    assert unread(follower) == 0 and exact(follower)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_activities_keep_every_counter_exact():
    """Comments on several proposals that share followers, each telling all of them at once."""
    chosen = [ProposalFactory() for _ in range(4)]
    followers = UserFactory.create_batch(60)
    for user in followers:
        for proposal in chosen:
            proposals.proposal_follow(proposal=proposal, user=user)
    commenters = iter(UserFactory.create_batch(12))
    lock = threading.Lock()

    def write():
        with lock:
            author = next(commenters)
            order = random.sample(chosen, len(chosen))
        for proposal in order:
            proposals.comment_create(proposal=proposal, author=author, text="Gleichzeitig.")
            User.objects.filter(pk=random.choice(followers).pk).update(display_name="Umbenannt")
        return author

    results, errors = run_simultaneously(12, write)
    assert errors == [] and len(results) == 12
    for user in followers:
        assert unread(user) == 48 and exact(user)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_freed_place_offered_while_its_taker_acts_on_the_same_shift_never_deadlocks():
    """The offer tells a person whose row that person's own cancellation has locked (person, then shift)."""
    for _round in range(4):
        shift = ShiftFactory(capacity=1)
        holder, waiting = sign_up(shift), sign_up(shift)
        turns = iter([holder, waiting])
        lock = threading.Lock()

        def cancel():
            with lock:
                mine = next(turns)
            return volunteering.shift_cancel_sign_up(sign_up=mine, actor=mine.user)

        results, errors = run_simultaneously(2, cancel)
        assert errors == [] and len(results) == 2
        for user in (holder.user, waiting.user):
            assert exact(user)
            assert unread(user) == Notification.objects.filter(recipient=user).count()


def test_recounting_sets_the_exact_number(proposal, follower):
    for _ in range(3):
        comment(proposal)
    services.notification_mark_read(notification=Notification.objects.filter(recipient=follower).first(),
                                    user=follower)
    nobody = UserFactory()
    User.objects.filter(pk__in=[follower.pk, nobody.pk]).update(unread_notifications=40)
    services.unread_recount([follower.pk, nobody.pk])
    assert unread(follower) == 2 and unread(nobody) == 0


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_reading_while_new_activities_arrive_keeps_the_counter_exact():
    proposal, follower = ProposalFactory(), UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    for _ in range(5):
        comment(proposal)
    first = Notification.objects.filter(recipient=follower).earliest("pk")
    turns = iter(["all", "all", "one", "comment", "comment", "comment", "comment", "comment"])
    commenters = iter(UserFactory.create_batch(5))
    lock = threading.Lock()

    def act():
        with lock:
            turn = next(turns)
            author = next(commenters) if turn == "comment" else None
        if turn == "all":
            return services.notifications_mark_all_read(user=follower)
        if turn == "one":
            return services.notification_mark_read(notification=first, user=follower)
        return proposals.comment_create(proposal=proposal, author=author, text="Noch einer.")

    _results, errors = run_simultaneously(8, act)
    assert errors == []
    assert Notification.objects.filter(recipient=follower).count() == 10
    assert exact(follower)
