"""Which activity notifies whom, in which category and by which channel, and how it reads.

Activities are recorded by the apps' own services, as on the site; each test names who is told
and who is not (the actor, strangers, inactive people).
"""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from notifications import registry
from notifications.delivery import describe
from notifications.models import Activity, Channel, Notification, Preference
from proposals import services as proposals
from proposals.models import Proposal
from stakeholders import services as stakeholders
from stakeholders.models import Membership, User
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, expire_offer, hours_from_now, move_shift, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit, member_of
from volunteering import services as volunteering
from volunteering.models import SignUp
from wiki import services as wiki
from wiki.models import Space

pytestmark = pytest.mark.django_db
S = Proposal.Status

# verb: (category, urgent, include_actor) — every verb that notifies anyone.
EXPECTED_RULES = {
    "proposal.status_changed": ("proposals", False, False),
    "comment.created": ("proposals", False, False),
    "proposal.pledged": ("proposals", False, False),
    "implementation.updated": ("proposals", False, False),
    "signup.confirmed": ("volunteering", False, True),
    "signup.waitlisted": ("volunteering", False, True),
    "signup.offered": ("volunteering", True, True),
    "signup.offer_confirmed": ("volunteering", False, True),
    "signup.offer_expired": ("volunteering", False, True),
    "signup.offer_withdrawn": ("volunteering", False, True),
    "signup.waitlist_closed": ("volunteering", False, True),
    "signup.cancelled": ("volunteering", False, True),
    "signup.cancelled_by_organisation": ("volunteering", True, True),
    "signup.reminder_due": ("volunteering", True, True),
    "shift.changed": ("volunteering", True, False),
    "task.changed": ("volunteering", False, False),
    "page.created": ("wiki", False, False),
    "page.edited": ("wiki", False, False),
    "page.reverted": ("wiki", False, False),
    "page.handed_over": ("wiki", False, False),
    "membership.requested": ("staff", False, False),
    "membership.left": ("staff", False, False),
    "proposal.published": ("staff", False, False),
    "report.created": ("staff", False, False),
    "message.sent": ("messages", False, False),
    "membership.approved": ("memberships", False, False),
    "membership.declined": ("memberships", False, False),
}
APPS = {"proposals", "volunteering", "wiki", "notifications"}  # memberships are told by notifications itself
URGENT = sorted(verb for verb, (_category, urgent, _actor) in EXPECTED_RULES.items() if urgent)


# --- helpers ---------------------------------------------------------------------------------

def latest(verb):
    return Activity.objects.filter(verb=verb).latest("pk")


def told(verb=None, activity=None):
    """{recipient id: notification} of the latest activity with ``verb`` (or of ``activity``)."""
    activity = activity or latest(verb)
    return {n.recipient_id: n for n in Notification.objects.filter(activity=activity)}


def ids(*people):
    return {person.pk for person in people}


def prefer(user, category, channel):
    Preference.objects.update_or_create(user=user, category=category, defaults={"channel": channel})


def unread(user):
    return User.objects.get(pk=user.pk).unread_notifications


def said(notification):
    found = describe(notification)
    return found["text"], found["detail"]


def local(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- the registry ----------------------------------------------------------------------------

def test_exactly_the_expected_verbs_notify_with_their_category_urgency_and_actor_rule():
    """Every rule of the apps tested here is listed above; other apps test their own rules."""
    found = {verb: (r.category, r.urgent, r.include_actor) for verb, r in registry.RULES.items()
             if r.recipients.__module__.split(".")[0] in APPS}
    assert found == EXPECTED_RULES
    further = {(verb, r.category) for verb, more in registry.MORE_RULES.items() for r in more}
    assert further == {("signup.cancelled", "staff")}


def test_default_channels_in_the_order_of_the_preferences_page():
    assert list(registry.default_channels()) == ["proposals", "budgets", "volunteering", "wiki", "staff",
                                                 "messages", "memberships"]
    assert registry.default_channels() == {
        "proposals": Channel.DAILY, "budgets": Channel.DAILY, "wiki": Channel.DAILY,
        "volunteering": Channel.IMMEDIATE, "staff": Channel.DAILY, "messages": Channel.IMMEDIATE,
        "memberships": Channel.IMMEDIATE,
    }


def test_a_second_rule_for_a_verb_or_an_unknown_category_is_refused():
    before = dict(registry.RULES)
    with pytest.raises(ValueError, match="Two notification rules"):
        registry.rule("comment.created", "proposals", recipients=list, message=str)
    with pytest.raises(ValueError, match="Unknown notification category"):
        registry.rule("proposal.supported", "gardening", recipients=list, message=str)
    assert registry.RULES == before
    assert registry.rule_for("something.new") is None


# --- proposals -------------------------------------------------------------------------------

@pytest.fixture
def author(db):
    return UserFactory(display_name="Alma Autorin")


@pytest.fixture
def proposal(organisation, author):
    return proposals.proposal_create(
        author=author, organisation=organisation, title="Reparaturcafé im Hof", summary="Gemeinsam reparieren.",
        text="Einmal im Monat.", planning="together", delivery="community", publish=True,
    )


def test_status_change_tells_followers_but_not_the_deciding_staff_member(proposal, author, staff, person):
    supporter, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    proposals.proposal_support(proposal=proposal, user=supporter)
    for user in (follower, staff, gone):
        proposals.proposal_follow(proposal=proposal, user=user)
    proposals.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW,
                                  response="Wir prüfen das bis Ende Mai.")
    notifications = told("proposal.status_changed")
    assert set(notifications) == ids(author, supporter, follower)
    assert not ids(staff, stranger, gone, person) & set(notifications)
    item = notifications[author.pk]
    assert (item.category, item.channel, item.is_urgent) == ("proposals", Channel.DAILY, False)
    assert item.organisation == proposal.organisation
    assert said(item) == ("“Reparaturcafé im Hof” is now: Under review.", "Wir prüfen das bis Ende Mai.")
    assert item.activity.url == proposal.get_absolute_url()


def test_withdrawing_tells_the_followers_but_not_the_author_who_did_it(proposal, author):
    follower = UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    proposals.proposal_set_status(proposal=proposal, actor=author, to_status=S.WITHDRAWN)
    notifications = told("proposal.status_changed")
    assert set(notifications) == ids(follower)
    assert said(notifications[follower.pk])[0] == "“Reparaturcafé im Hof” is now: Withdrawn."


def test_a_comment_tells_followers_but_not_its_author(proposal, author):
    follower, commenter, stranger = UserFactory(), UserFactory(display_name="Kim Kommentar"), UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    proposals.proposal_follow(proposal=proposal, user=commenter)
    comment = proposals.comment_create(proposal=proposal, author=commenter, text="Ich  bringe\nWerkzeug mit.")
    notifications = told("comment.created")
    assert set(notifications) == ids(author, follower)
    assert stranger.pk not in notifications
    assert said(notifications[author.pk]) == ("Kim Kommentar commented on “Reparaturcafé im Hof”.",
                                              "Ich bringe Werkzeug mit.")
    assert notifications[author.pk].activity.url == f"{proposal.get_absolute_url()}comments/{comment.pk}/"


def test_a_reply_also_tells_the_author_of_the_comment_replied_to(proposal, author):
    asker, answerer, second = UserFactory(), UserFactory(), UserFactory()
    question = proposals.comment_create(proposal=proposal, author=asker, text="Wann genau?")
    proposals.comment_create(proposal=proposal, author=answerer, text="Samstags.", parent=question)
    assert set(told("comment.created")) == ids(author, asker)
    answer = latest("comment.created").target
    proposals.comment_create(proposal=proposal, author=second, text="Auch sonntags?", parent=answer)
    assert set(told("comment.created")) == ids(author, asker)  # replies go one level deep: the thread


def test_replying_to_ones_own_comment_does_not_tell_oneself(proposal, author):
    asker = UserFactory()
    question = proposals.comment_create(proposal=proposal, author=asker, text="Wann genau?")
    proposals.comment_create(proposal=proposal, author=asker, text="Ach, steht oben.", parent=question)
    assert set(told("comment.created")) == ids(author)


def test_an_inactive_parent_author_is_not_told(proposal, author):
    asker = UserFactory()
    question = proposals.comment_create(proposal=proposal, author=asker, text="Wann genau?")
    User.objects.filter(pk=asker.pk).update(is_active=False)
    proposals.comment_create(proposal=proposal, author=UserFactory(), text="Samstags.", parent=question)
    assert set(told("comment.created")) == ids(author)


def test_a_pledge_tells_only_the_author(proposal, author):
    follower, helper = UserFactory(), UserFactory(display_name="Hanna Hilft")
    proposals.proposal_follow(proposal=proposal, user=follower)
    proposals.pledge_create(proposal=proposal, user=helper, kind="time", hours=3)
    notifications = told("proposal.pledged")
    assert set(notifications) == ids(author)
    assert said(notifications[author.pk]) == ("Hanna Hilft offered to help with “Reparaturcafé im Hof”.", "")


def test_pledging_to_ones_own_proposal_tells_nobody(proposal, author):
    proposals.pledge_create(proposal=proposal, user=author, kind="skills")
    assert told("proposal.pledged") == {}


def test_entries_on_behalf_of_offline_participants_tell_others_but_not_the_staff_member(organisation, staff):
    proposal = proposals.proposal_create(
        author=None, organisation=organisation, title="Vom Stadtteilfest", summary="S", text="T",
        planning="together", delivery="community", publish=True, entered_by=staff, channel="paper",
        consent_recorded=True,
    )
    follower = UserFactory()
    for user in (follower, staff):
        proposals.proposal_follow(proposal=proposal, user=user)
    proposals.comment_create(proposal=proposal, author=None, text="Auf Papier abgegeben.", entered_by=staff,
                             channel="paper", consent_recorded=True)
    assert set(told("comment.created")) == ids(follower)
    proposals.pledge_create(proposal=proposal, user=UserFactory(), kind="skills")
    assert told("proposal.pledged") == {}  # nobody wrote it here to be told


def test_non_notifying_proposal_verbs_tell_nobody_but_staff(organisation, author, staff):
    follower = UserFactory()
    proposal = proposals.proposal_create(
        author=author, organisation=organisation, title="Entwurf", summary="S", text="T", planning="together",
        delivery="community",
    )
    proposals.proposal_set_status(proposal=proposal, actor=author, to_status=S.PUBLISHED)
    proposals.proposal_follow(proposal=proposal, user=follower)
    proposals.proposal_support(proposal=proposal, user=UserFactory())
    proposals.report_create(reporter=UserFactory(), reason="Spam", proposal=proposal)
    proposals.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Doppelt")
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert verbs == {"proposal.published", "proposal.supported", "report.created", "content.hidden"}
    # Only the staff alerts: the new proposal and the report, in the staff's own category.
    assert set(Notification.objects.values_list("recipient_id", "category", "activity__verb")) == {
        (staff.pk, "staff", "proposal.published"), (staff.pk, "staff", "report.created")}
    assert unread(author) == unread(follower) == 0


def test_the_unread_counter_counts_each_notification(proposal, author):
    follower = UserFactory()
    proposals.proposal_follow(proposal=proposal, user=follower)
    commenter = UserFactory()
    for text in ("Eins", "Zwei", "Drei"):
        proposals.comment_create(proposal=proposal, author=commenter, text=text)
    assert unread(author) == unread(follower) == 3
    assert unread(commenter) == 0
    assert Notification.objects.filter(recipient=follower).count() == 3


def test_a_proposals_preference_decides_the_channel(proposal, author):
    follower, quiet = UserFactory(), UserFactory()
    prefer(author, "proposals", Channel.WEEKLY)
    prefer(follower, "wiki", Channel.IMMEDIATE)  # another category changes nothing here
    prefer(quiet, "proposals", Channel.APP)
    for user in (follower, quiet):
        proposals.proposal_follow(proposal=proposal, user=user)
    proposals.comment_create(proposal=proposal, author=UserFactory(), text="Gut!")
    channels = {pk: n.channel for pk, n in told("comment.created").items()}
    assert channels == {author.pk: Channel.WEEKLY, follower.pk: Channel.DAILY, quiet.pk: Channel.APP}


# --- volunteering ----------------------------------------------------------------------------

@pytest.fixture
def shift(organisation):
    return ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel-Ausgabe"), capacity=1)


def test_signing_up_confirms_to_the_person_who_did_it(shift):
    holder = sign_up(shift)
    notifications = told("signup.confirmed")
    assert set(notifications) == ids(holder.user)
    item = notifications[holder.user.pk]
    assert (item.category, item.channel, item.is_urgent) == ("volunteering", Channel.IMMEDIATE, False)
    assert said(item) == (f"Your place for “Tafel-Ausgabe” on {local(shift.starts_at)} is confirmed.", "")
    assert item.activity.url == shift.task.get_absolute_url()
    assert unread(holder.user) == 1


def test_the_waitlist_is_confirmed_to_the_person_only(shift):
    holder = sign_up(shift)
    waiting = sign_up(shift)
    notifications = told("signup.waitlisted")
    assert set(notifications) == ids(waiting.user)
    assert said(notifications[waiting.user.pk])[0] == (
        f"You are on the waitlist for “Tafel-Ausgabe” on {local(shift.starts_at)}.")
    assert holder.user.pk not in notifications


def test_a_freed_place_is_offered_urgently_and_the_canceller_gets_a_confirmation(shift):
    holder, waiting = sign_up(shift), sign_up(shift)
    prefer(waiting.user, "volunteering", Channel.DAILY)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    cancelled = told("signup.cancelled")
    assert set(cancelled) == ids(holder.user)
    assert said(cancelled[holder.user.pk])[0] == (
        f"Your sign-up for “Tafel-Ausgabe” on {local(shift.starts_at)} is cancelled.")
    offered = told("signup.offered")
    assert set(offered) == ids(waiting.user)
    item = offered[waiting.user.pk]
    assert item.is_urgent and item.channel == Channel.IMMEDIATE  # urgent: not in the daily summary
    assert item.activity.actor is None
    waiting.refresh_from_db()
    assert said(item)[0] == (f"A place for “Tafel-Ausgabe” on {local(shift.starts_at)} is free for you. "
                             f"Confirm it by {local(waiting.offer_expires_at)}.")
    assert item.activity.url.startswith("/") and item.activity.url != shift.task.get_absolute_url()


def test_staff_cancelling_a_sign_up_tells_the_person_not_the_staff_member(shift, staff):
    staff.display_name = "Sina Staff"
    staff.save()
    holder = sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=staff)
    notifications = told("signup.cancelled")
    assert set(notifications) == ids(holder.user)
    assert said(notifications[holder.user.pk])[0] == (
        f"Sina Staff cancelled your sign-up for “Tafel-Ausgabe” on {local(shift.starts_at)}.")


def test_taking_an_offer_is_confirmed(shift):
    holder, waiting = sign_up(shift), sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    volunteering.offer_confirm(sign_up=waiting, user=waiting.user)
    notifications = told("signup.offer_confirmed")
    assert set(notifications) == ids(waiting.user)
    assert said(notifications[waiting.user.pk])[0] == (
        f"You took the place for “Tafel-Ausgabe” on {local(shift.starts_at)}.")


def test_an_expired_offer_is_told_and_the_place_goes_to_the_next(shift):
    holder, first, second = sign_up(shift), sign_up(shift), sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    expire_offer(first)
    volunteering.offers_expire()
    expired = told("signup.offer_expired")
    assert set(expired) == ids(first.user)
    assert said(expired[first.user.pk])[0] == (
        f"The place offered to you for “Tafel-Ausgabe” on {local(shift.starts_at)} has expired.")
    assert set(told("signup.offered")) == ids(second.user)


def test_a_withdrawn_offer_is_told(shift, staff):
    sign_up(shift)
    first, second = sign_up(shift), sign_up(shift)
    volunteering.shift_set_capacity(shift=shift, capacity=3, actor=staff)  # two more places: two offers
    offered = Notification.objects.filter(activity__verb="signup.offered").values_list("recipient_id", flat=True)
    assert sorted(offered) == sorted(ids(first.user, second.user))
    volunteering.shift_set_capacity(shift=shift, capacity=2, actor=staff)  # the newest offer goes back
    withdrawn = told("signup.offer_withdrawn")
    assert set(withdrawn) == ids(second.user)
    assert said(withdrawn[second.user.pk])[0].startswith("The place offered to you for “Tafel-Ausgabe” on ")
    assert not Notification.objects.filter(activity__verb="shift.capacity_changed").exists()


def test_a_closed_waitlist_is_told(shift):
    sign_up(shift)
    waiting = sign_up(shift)
    move_shift(shift, starts_at=hours_from_now(1))  # sign-up closed an hour ago
    volunteering.offers_expire()
    notifications = told("signup.waitlist_closed")
    assert set(notifications) == ids(waiting.user)
    assert "your place on the waitlist has ended" in said(notifications[waiting.user.pk])[0]


def test_a_cancelled_shift_tells_everyone_signed_up_urgently(shift, staff):
    holder, waiting = sign_up(shift), sign_up(shift)
    gone = sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=gone, actor=gone.user)
    for user in (holder.user, waiting.user):
        prefer(user, "volunteering", Channel.WEEKLY)
    other_shift_person = sign_up(ShiftFactory(task=shift.task)).user
    before = Notification.objects.count()
    volunteering.shift_cancel(shift=shift, actor=staff, reason="Die Halle ist gesperrt.")
    notifications = {n.recipient_id: n for n in Notification.objects.filter(
        activity__verb="signup.cancelled_by_organisation")}
    assert set(notifications) == ids(holder.user, waiting.user)
    assert not ids(staff, gone.user, other_shift_person) & set(notifications)
    assert Notification.objects.count() == before + 2  # shift.cancelled itself notifies nobody
    item = notifications[holder.user.pk]
    assert item.is_urgent and item.channel == Channel.IMMEDIATE
    assert said(item) == (f"“Tafel-Ausgabe” on {local(shift.starts_at)} is cancelled by the organisation.",
                          "Die Halle ist gesperrt.")


def test_reminders_are_urgent_and_come_from_the_platform(organisation):
    soon = ShiftFactory(task=TaskFactory(organisation=organisation, title="Lesung"), starts_in=20)
    holder = sign_up(soon)
    prefer(holder.user, "volunteering", Channel.DAILY)
    volunteering.reminders_due()
    notifications = told("signup.reminder_due")
    assert set(notifications) == ids(holder.user)
    item = notifications[holder.user.pk]
    assert item.is_urgent and item.channel == Channel.IMMEDIATE
    assert said(item)[0] == f"Reminder: “Lesung” starts on {local(soon.starts_at)}."


def test_a_moved_shift_tells_those_signed_up_for_it_only(shift, staff):
    holder, waiting = sign_up(shift), sign_up(shift)
    gone = sign_up(shift)
    volunteering.shift_cancel_sign_up(sign_up=gone, actor=gone.user)
    elsewhere = sign_up(ShiftFactory(task=shift.task)).user
    inactive = sign_up(shift)
    User.objects.filter(pk=inactive.user_id).update(is_active=False)
    prefer(holder.user, "volunteering", Channel.WEEKLY)
    prefer(waiting.user, "volunteering", Channel.APP)
    new_start = shift.starts_at + timedelta(days=1)
    volunteering.shift_update(shift=shift, actor=staff, starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    notifications = told("shift.changed")
    assert set(notifications) == ids(holder.user, waiting.user)
    assert not ids(staff, gone.user, elsewhere, inactive.user) & set(notifications)
    assert notifications[holder.user.pk].channel == Channel.IMMEDIATE  # urgent beats the weekly summary
    assert notifications[waiting.user.pk].channel == Channel.APP  # but "only here" stays only here
    assert said(notifications[holder.user.pk])[0] == (
        f"The shift of “Tafel-Ausgabe” you signed up for has changed: it now starts on {local(new_start)}.")


def test_a_changed_task_tells_each_person_signed_up_for_its_coming_shifts_once(organisation, staff):
    staff.display_name = "Sina Staff"
    staff.save()
    task = TaskFactory(organisation=organisation, title="Tafel-Ausgabe")
    first, second, past = ShiftFactory(task=task), ShiftFactory(task=task, starts_in=96), ShiftFactory(task=task)
    twice = UserFactory()
    sign_up(first, twice)
    sign_up(second, twice)
    daily = sign_up(second).user
    prefer(daily, "volunteering", Channel.DAILY)
    only_past = sign_up(past).user
    move_shift(past, starts_at=hours_from_now(-30))
    other_task_person = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation))).user
    volunteering.task_update(task=task, actor=staff, location="Neue Adresse 5")
    notifications = told("task.changed")
    assert set(notifications) == ids(twice, daily)
    assert not ids(staff, only_past, other_task_person) & set(notifications)
    assert notifications[twice.pk].channel == Channel.IMMEDIATE
    assert notifications[daily.pk].channel == Channel.DAILY  # not urgent: the summary it is
    assert said(notifications[twice.pk])[0] == "Sina Staff changed the task “Tafel-Ausgabe” you signed up for."
    assert unread(twice) == 3  # two confirmations and one change


def test_non_notifying_volunteering_verbs_create_no_notifications(organisation, staff):
    task = volunteering.task_create(organisation=organisation, actor=staff, title="Neu", purpose="Helfen",
                                     location="Hof")
    shift = volunteering.shift_create(task=task, actor=staff, starts_at=hours_from_now(50),
                                      ends_at=hours_from_now(52), capacity=2)
    volunteering.task_publish(task=task, actor=staff)
    volunteering.shift_create(task=task, actor=staff, starts_at=hours_from_now(60), ends_at=hours_from_now(62),
                              capacity=2)
    volunteering.shift_set_capacity(shift=shift, capacity=3, actor=staff)
    volunteering.task_cancel(task=task, actor=staff, reason="Zu wenig Interesse")
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert {"task.published", "shift.created", "shift.capacity_changed", "shift.cancelled", "task.cancelled"} <= verbs
    assert not Notification.objects.exists()


def test_cancelling_a_task_tells_those_signed_up_to_its_shifts(shift, staff):
    holder = sign_up(shift)
    volunteering.task_cancel(task=shift.task, actor=staff, reason="Zu wenig Interesse")
    assert set(told("signup.cancelled_by_organisation")) == ids(holder.user)
    assert SignUp.objects.get(pk=holder.pk).status == SignUp.Status.CANCELLED


# --- wiki ------------------------------------------------------------------------------------

@pytest.fixture
def space(organisation):
    return SpaceFactory(organisation=organisation, name="Handbuch")


def test_a_new_page_tells_the_watchers_of_its_space(space):
    writer = member_of(space, display_name="Wanda Wiki")
    space_watcher, stranger, gone = member_of(space), member_of(space), member_of(space)
    for user in (space_watcher, writer, gone):
        wiki.space_watch(space=space, user=user)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    PageFactory(space=space, title="Erste Hilfe", author=writer, summary="Neu angelegt")
    notifications = told("page.created")
    assert set(notifications) == ids(space_watcher)
    assert not ids(writer, stranger, gone) & set(notifications)
    item = notifications[space_watcher.pk]
    assert (item.category, item.channel, item.is_urgent) == ("wiki", Channel.DAILY, False)
    assert said(item) == ("Wanda Wiki wrote the new page “Erste Hilfe” in Handbuch.", "Neu angelegt")


def test_an_edit_tells_watchers_of_the_page_and_of_the_space_once_each(space):
    page = PageFactory(space=space, title="Erste Hilfe")
    page_watcher, space_watcher, both, editor = (member_of(space) for _ in range(4))
    editor.display_name = "Edda Edit"
    editor.save()
    other_page_watcher = member_of(space)
    wiki.page_watch(page=page, user=page_watcher)
    wiki.space_watch(space=space, user=space_watcher)
    wiki.page_watch(page=page, user=both)
    wiki.space_watch(space=space, user=both)
    wiki.page_watch(page=page, user=editor)
    wiki.page_watch(page=PageFactory(space=space, title="Andere Seite"), user=other_page_watcher)
    edit(page, editor, "Ein neuer Text.\n", summary="Telefonnummern ergänzt")
    notifications = told("page.edited")
    assert set(notifications) == ids(page_watcher, space_watcher, both)
    assert not ids(editor, other_page_watcher) & set(notifications)
    assert said(notifications[both.pk]) == ("Edda Edit edited “Erste Hilfe”.", "Telefonnummern ergänzt")
    assert notifications[both.pk].activity.url == page.get_absolute_url()


def test_a_revert_tells_the_watchers(space):
    page = PageFactory(space=space, title="Erste Hilfe")
    watcher, editor = member_of(space), member_of(space, display_name="Rita Revert")
    wiki.page_watch(page=page, user=watcher)
    edit(page, editor, "Falsch.\n")
    page.refresh_from_db()
    first = page.revisions.get(number=1)
    wiki.page_revert(page=page, revision=first, actor=editor, base_number=2, reason="Zurück")
    notifications = told("page.reverted")
    assert set(notifications) == ids(watcher)
    assert said(notifications[watcher.pk]) == ("Rita Revert restored an earlier version of “Erste Hilfe”.", "Zurück")


def test_a_handover_tells_the_new_owner_only(space, staff):
    staff.display_name = "Sina Staff"
    staff.save()
    old_owner, new_owner, watcher = member_of(space), member_of(space), member_of(space)
    page = PageFactory(space=space, title="Erste Hilfe", author=old_owner)
    wiki.page_watch(page=page, user=watcher)
    wiki.pages_hand_over(space=space, pages=[page], owner=new_owner, actor=staff)
    notifications = told("page.handed_over")
    assert set(notifications) == ids(new_owner)
    assert said(notifications[new_owner.pk])[0] == "Sina Staff handed the page “Erste Hilfe” over to you."


def test_handing_pages_to_oneself_or_to_nobody_tells_nobody(space, staff):
    page = PageFactory(space=space, title="Erste Hilfe")
    wiki.pages_hand_over(space=space, pages=[page], owner=staff, actor=staff)
    wiki.pages_hand_over(space=space, pages=[page], owner=None, actor=staff)
    assert Activity.objects.filter(verb="page.handed_over").count() == 2
    assert not Notification.objects.filter(activity__verb="page.handed_over").exists()


def test_watchers_who_may_no_longer_read_a_members_only_space_are_not_told(organisation):
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    page = PageFactory(space=space, title="Interne Dienstplanung")
    member = member_of(space)
    leaving = MembershipFactory(organisation=organisation, role="volunteer")
    for user in (member, leaving.user):
        wiki.page_watch(page=page, user=user)
        wiki.space_watch(space=space, user=user)
    stakeholders.membership_leave(membership=leaving, user=leaving.user)
    edit(page, member_of(space), "Neue Schichten.\n")
    assert set(told("page.edited")) == ids(member)
    PageFactory(space=space, title="Noch eine interne Seite")
    assert set(told("page.created")) == ids(member)


def test_in_a_public_space_watchers_need_no_role(organisation):
    space = SpaceFactory(organisation=organisation)
    page = PageFactory(space=space, title="Öffentlich")
    outsider = UserFactory()
    wiki.page_watch(page=page, user=outsider)
    edit(page, member_of(space), "Neu.\n")
    assert set(told("page.edited")) == ids(outsider)


def test_shared_space_activity_belongs_to_no_organisation():
    shared = SpaceFactory(organisation=None, visibility=Space.Visibility.MEMBERS)
    watcher = UserFactory()
    wiki.space_watch(space=shared, user=watcher)
    PageFactory(space=shared, title="Für alle")
    item = told("page.created")[watcher.pk]
    assert item.organisation is None and item.activity.organisation is None


# --- memberships -----------------------------------------------------------------------------

def test_a_request_to_join_tells_the_organisations_staff_only(organisation, other_staff, staff):
    second_staff = MembershipFactory(organisation=organisation, role="staff").user
    pending_staff = MembershipFactory(organisation=organisation, role="staff", status="requested").user
    former_staff = MembershipFactory(organisation=organisation, role="staff", status="left").user
    volunteer = MembershipFactory(organisation=organisation, role="volunteer").user
    inactive_staff = MembershipFactory(organisation=organisation, role="staff", user__is_active=False).user
    asker = UserFactory(display_name="Nina Neu")
    membership = stakeholders.membership_request(user=asker, organisation=organisation, role="volunteer")
    notifications = told("membership.requested")
    assert set(notifications) == ids(staff, second_staff)
    assert not ids(other_staff, pending_staff, former_staff, volunteer, inactive_staff, asker) & set(notifications)
    item = notifications[staff.pk]
    assert (item.category, item.channel, item.is_urgent) == ("staff", Channel.DAILY, False)
    assert said(item)[0] == f"Nina Neu asks to join {organisation.name} as “Volunteer”."
    assert item.activity.url == reverse("admin:stakeholders_membership_change", args=[membership.pk])


def test_a_staff_member_asking_for_another_role_is_not_told_about_it(organisation, staff):
    stakeholders.membership_request(user=staff, organisation=organisation, role="supporter")
    assert told("membership.requested") == {}


@pytest.mark.parametrize("approve, verb, sentence", [
    (True, "membership.approved", "You now hold the role “Citizen” at {name}."),
    (False, "membership.declined", "Your request to join {name} as “Citizen” was declined."),
])
def test_a_decision_tells_the_person_not_the_staff(organisation, staff, approve, verb, sentence):
    asker = UserFactory()
    membership = stakeholders.membership_request(user=asker, organisation=organisation, role="citizen")
    stakeholders.membership_decide(membership=membership, decided_by=staff, approve=approve)
    notifications = told(verb)
    assert set(notifications) == ids(asker)
    item = notifications[asker.pk]
    assert said(item)[0] == sentence.format(name=organisation.name)
    assert item.activity.url == organisation.get_absolute_url()
    assert Membership.objects.get(pk=membership.pk).status == ("approved" if approve else "declined")
    assert unread(staff) == 1  # only the request


# --- urgent items and channels ---------------------------------------------------------------

def _urgent_activity(verb, shift, staff, holder, waiting):
    """Makes an activity with ``verb`` that concerns ``waiting``'s person."""
    if verb == "signup.offered":
        volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    elif verb == "signup.cancelled_by_organisation":
        volunteering.shift_cancel(shift=shift, actor=staff, reason="Regen")
    elif verb == "shift.changed":
        start = shift.starts_at + timedelta(hours=3)
        volunteering.shift_update(shift=shift, actor=staff, starts_at=start, ends_at=start + timedelta(hours=1))
    elif verb == "signup.reminder_due":
        move_shift(shift, starts_at=hours_from_now(20))
        volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
        volunteering.offer_confirm(sign_up=waiting, user=waiting.user)
        volunteering.reminders_due()
    return told(verb)[waiting.user_id]


@pytest.mark.parametrize("verb", URGENT)
@pytest.mark.parametrize("chosen, expected", [
    (None, Channel.IMMEDIATE), (Channel.IMMEDIATE, Channel.IMMEDIATE), (Channel.DAILY, Channel.IMMEDIATE),
    (Channel.WEEKLY, Channel.IMMEDIATE), (Channel.APP, Channel.APP),
])
def test_urgent_items_are_immediate_unless_only_in_the_app_was_chosen(shift, staff, verb, chosen, expected):
    holder, waiting = sign_up(shift), sign_up(shift)
    if chosen:
        prefer(waiting.user, "volunteering", chosen)
    item = _urgent_activity(verb, shift, staff, holder, waiting)
    assert item.is_urgent
    assert item.channel == expected


@pytest.mark.parametrize("chosen", [Channel.DAILY, Channel.WEEKLY, Channel.APP, Channel.IMMEDIATE])
def test_non_urgent_items_follow_the_choice(shift, chosen):
    person = UserFactory()
    prefer(person, "volunteering", chosen)
    sign_up(shift, person)
    item = told("signup.confirmed")[person.pk]
    assert not item.is_urgent and item.channel == chosen


def test_inactive_people_are_never_told_even_about_their_own_sign_up(shift):
    holder = sign_up(shift)
    User.objects.filter(pk=holder.user_id).update(is_active=False)
    volunteering.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    assert told("signup.cancelled") == {}
    assert unread(holder.user) == 1  # the confirmation from before
