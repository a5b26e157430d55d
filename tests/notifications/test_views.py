"""The notification pages: the inbox, opening and marking read, preferences and unsubscribing by link."""
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from notifications import registry, services, tokens, views
from notifications.models import Channel, Notification, Preference
from proposals import services as proposals
from stakeholders import services as stakeholders
from stakeholders.models import User
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit, member_of
from wiki import services as wiki
from wiki.models import Space

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
PREFERENCES = "/notifications/preferences/"
GONE = "This content is no longer available."
XSS_PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"]


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English, the source language, so assertions survive new German translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def open_url(notification):
    return f"/notifications/{notification.pk}/"


def read_url(notification):
    return f"/notifications/{notification.pk}/read/"


def unsubscribe_url(user, category=tokens.ALL_CATEGORIES):
    return reverse("notifications:unsubscribe", args=[tokens.unsubscribe_token(user, category)])


def unread(user):
    return User.objects.get(pk=user.pk).unread_notifications


def commented(proposal, text="Ich helfe mit.", author=None):
    """A comment on ``proposal``; returns the notification its author got about it."""
    comment = proposals.comment_create(proposal=proposal, author=author or UserFactory(), text=text)
    return Notification.objects.get(activity__target_id=comment.pk, activity__verb="comment.created",
                                    recipient=proposal.author)


@pytest.fixture
def proposal(person, organisation):
    return proposals.proposal_create(
        author=person, organisation=organisation, title="Reparaturcafé im Hof", summary="Gemeinsam reparieren.",
        text="Einmal im Monat.", planning="together", delivery="community", publish=True,
    )


@pytest.fixture
def notification(proposal):
    return commented(proposal, "Ich bringe Werkzeug mit.")


def items(page):
    """The notifications of a list page, one HTML chunk each."""
    return page.split('<li class="notification')[1:]


def mixed(person, rounds):
    """``rounds`` × five kinds of notifications for ``person``: comment, status, sign-up, wiki edit, membership."""
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation, role="staff").user
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    MembershipFactory(organisation=organisation, user=person, role="volunteer")
    page = PageFactory(space=space, title="Ablauf")
    wiki.page_watch(page=page, user=person)
    editor = member_of(space)
    for number in range(rounds):
        proposal = proposals.proposal_create(
            author=person, organisation=organisation, title=f"Vorschlag {number}", summary="S", text="T",
            planning="together", delivery="community", publish=True,
        )
        proposals.comment_create(proposal=proposal, author=UserFactory(), text=f"Kommentar {number}")
        proposals.proposal_set_status(proposal=proposal, actor=staff, to_status="under_review", response="Gut.")
        sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=72 + 3 * number), person)
        edit(page, editor, f"Fassung {number}\n")
        joined = stakeholders.membership_request(user=person, organisation=OrganisationFactory(), role="citizen")
        stakeholders.membership_decide(membership=joined, decided_by=staff, approve=True)
    return Notification.objects.filter(recipient=person)


# --- the inbox -------------------------------------------------------------------------------

def test_the_list_shows_ones_own_notifications_only(client, person, proposal, notification):
    stranger = UserFactory()
    other = ProposalFactory(author=stranger, title="Fremder Vorschlag")
    proposals.proposal_follow(proposal=other, user=stranger)
    proposals.comment_create(proposal=other, author=UserFactory(display_name="Xaver Fremd"), text="Nur für andere")
    client.force_login(person)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "commented on “Reparaturcafé im Hof”" in response.text
    assert "Ich bringe Werkzeug mit." in response.text
    assert f'action="{open_url(notification)}"' in response.text
    assert "Fremder Vorschlag" not in response.text and "Nur für andere" not in response.text
    assert "Xaver Fremd" not in response.text


def test_the_unread_filter_leaves_out_what_was_read(client, person, proposal):
    first = commented(proposal, "Erster Kommentar")
    commented(proposal, "Zweiter Kommentar")
    services.notification_mark_read(notification=first, user=person)
    client.force_login(person)
    everything = client.get(LIST).text
    assert "Erster Kommentar" in everything and "Zweiter Kommentar" in everything
    only_unread = client.get(LIST, {"unread": "1"}).text
    assert "Zweiter Kommentar" in only_unread and "Erster Kommentar" not in only_unread
    services.notifications_mark_all_read(user=person)
    assert "You have read everything." in client.get(LIST, {"unread": "1"}).text


def test_an_empty_inbox_says_so(client, person):
    client.force_login(person)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Nothing yet." in response.text and "Mark all as read" not in response.text


def test_the_list_is_paged_newest_first(client, person, proposal):
    for number in range(views.PAGE_SIZE + 5):
        commented(proposal, f"Kommentar Nummer {number:02d}")
    client.force_login(person)
    first = client.get(LIST).text
    assert first.count('class="notification-text"') == views.PAGE_SIZE
    assert f"Kommentar Nummer {views.PAGE_SIZE + 4:02d}" in first and "Kommentar Nummer 04" not in first
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"page": 2}).text
    assert second.count('class="notification-text"') == 5
    assert "Kommentar Nummer 04" in second and "Kommentar Nummer 05" not in second
    assert client.get(LIST, {"page": "999"}).status_code == 200  # the last page, not an error
    assert client.get(LIST, {"page": "zwei"}).status_code == 200


def test_the_unread_filter_is_kept_across_pages(client, person, proposal):
    for number in range(views.PAGE_SIZE + 1):
        commented(proposal, f"Kommentar Nummer {number:02d}")
    client.force_login(person)
    page = client.get(LIST, {"unread": "1"}).text
    assert 'href="?unread=1&amp;page=2"' in page


def test_hidden_deleted_and_no_longer_permitted_targets_show_no_title(client, person, organisation, staff):
    hidden_proposal = proposals.proposal_create(
        author=person, organisation=organisation, title="Geheimer Vorschlag", summary="S", text="T",
        planning="together", delivery="community", publish=True,
    )
    commented(hidden_proposal, "Wird versteckt")
    proposals.content_set_hidden(target=hidden_proposal, moderator=staff, hidden=True, reason="Doppelt")

    visible_proposal = proposals.proposal_create(
        author=person, organisation=organisation, title="Offener Vorschlag", summary="S", text="T",
        planning="together", delivery="community", publish=True,
    )
    hidden_comment = commented(visible_proposal, "Beleidigender Kommentar").activity.target
    proposals.content_set_hidden(target=hidden_comment, moderator=staff, hidden=True, reason="Beleidigend")

    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    membership = MembershipFactory(organisation=organisation, user=person, role="volunteer")
    members_page = PageFactory(space=space, title="Interne Dienstplanung")
    wiki.page_watch(page=members_page, user=person)
    edit(members_page, member_of(space), "Neue Schichten.\n", summary="Interne Details")
    stakeholders.membership_leave(membership=membership, user=person)

    public_space = SpaceFactory(organisation=organisation)
    deleted_page = PageFactory(space=public_space, title="Bald gelöscht")
    wiki.page_watch(page=deleted_page, user=person)
    edit(deleted_page, member_of(public_space), "Letzte Fassung.\n")
    wiki.pages_delete(pages=[deleted_page], actor=UserFactory(is_superuser=True, is_staff=True))

    commented(visible_proposal, "Bleibt sichtbar")
    client.force_login(person)
    page = client.get(LIST).text
    assert [GONE in item for item in items(page)] == [False, True, True, True, True]
    for secret in ["Geheimer Vorschlag", "Wird versteckt", "Beleidigender Kommentar", "Interne Dienstplanung",
                   "Interne Details", "Bald gelöscht"]:
        assert secret not in page, secret
    assert "Bleibt sichtbar" in page and "Offener Vorschlag" in page
    assert [bool(re.search(r'action="/notifications/\d+/"', item)) for item in items(page)] == [True] + [False] * 4


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_titles_and_texts_are_shown_inert(client, person, organisation, payload):
    proposal = proposals.proposal_create(
        author=person, organisation=organisation, title=f"Titel {payload}", summary="S", text="T",
        planning="together", delivery="community", publish=True,
    )
    commented(proposal, f"Text {payload}", author=UserFactory(display_name=f"Name {payload}"))
    client.force_login(person)
    page = client.get(LIST).text
    assert payload not in page
    assert "&lt;" in page


def test_the_header_shows_the_unread_count(client, person, proposal):
    client.force_login(person)
    assert "count-badge" not in client.get("/").text
    for _ in range(3):
        commented(proposal)
    home = client.get("/").text
    assert "count-badge" in home and "3 unread" in home
    services.notification_mark_read(notification=Notification.objects.filter(recipient=person).first(), user=person)
    assert "2 unread" in client.get(LIST).text
    services.notifications_mark_all_read(user=person)
    assert "count-badge" not in client.get("/").text


@pytest.mark.parametrize("rounds", [1, 8])
def test_list_queries_do_not_grow(client, django_assert_max_num_queries, person, staff, organisation, rounds):
    assert mixed(person, rounds).count() == 5 * rounds
    hidden = proposals.proposal_create(
        author=person, organisation=organisation, title="Versteckt", summary="S", text="T", planning="together",
        delivery="community", publish=True,
    )
    commented(hidden)
    proposals.content_set_hidden(target=hidden, moderator=staff, hidden=True, reason="Doppelt")
    client.force_login(person)
    # session, user, count, rows, one per kind of target (5), memberships
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200
    shown = items(response.text)
    assert len(shown) == min(5 * rounds + 1, views.PAGE_SIZE)
    assert [GONE in item for item in shown].count(True) == 1
    with django_assert_max_num_queries(10):
        assert client.get(LIST, {"unread": "1"}).status_code == 200


# --- opening and marking read ----------------------------------------------------------------

def test_opening_marks_read_and_goes_to_the_target(client, person, notification):
    client.force_login(person)
    response = client.post(open_url(notification))
    assert response.status_code == 302
    assert response.url == notification.activity.url and "/comments/" in response.url
    notification.refresh_from_db()
    assert notification.read_at is not None and unread(person) == 0
    assert client.post(open_url(notification)).status_code == 302  # again: still fine, counted once
    assert unread(person) == 0


def test_following_the_address_goes_to_the_target_and_writes_nothing(client, person, notification):
    client.force_login(person)
    response = client.get(open_url(notification))
    assert response.status_code == 302 and response.url == notification.activity.url
    notification.refresh_from_db()
    assert notification.read_at is None and unread(person) == 1


def test_the_inbox_opens_a_notification_with_a_form(client, person, notification):
    client.force_login(person)
    page = client.get(LIST).text
    assert f'<form method="post" action="{open_url(notification)}"' in page


def test_opening_what_is_gone_goes_back_to_the_list_with_a_message(client, person, notification, staff):
    proposals.content_set_hidden(target=notification.activity.target, moderator=staff, hidden=True, reason="Spam")
    client.force_login(person)
    response = client.post(open_url(notification))
    assert response.status_code == 302 and response.url == LIST
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert GONE in client.get(LIST).text


def test_marking_one_read_returns_to_where_one_was(client, person, notification):
    client.force_login(person)
    response = client.post(read_url(notification), {"next": "/notifications/?unread=1"})
    assert response.status_code == 302 and response.url == "/notifications/?unread=1"
    notification.refresh_from_db()
    assert notification.read_at is not None and unread(person) == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_marking_read_never_sends_one_to_another_site(client, person, notification, target):
    client.force_login(person)
    response = client.post(read_url(notification), {"next": target})
    assert response.status_code == 302 and response.url == LIST


def test_marking_all_read(client, person, proposal):
    for _ in range(3):
        commented(proposal)
    client.force_login(person)
    assert "Mark all as read" in client.get(LIST).text
    response = client.post("/notifications/read-all/", {"next": LIST}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "All notifications are marked as read." in response.text
    assert not Notification.objects.filter(recipient=person).unread().exists() and unread(person) == 0
    assert "Mark all as read" not in response.text


def test_another_persons_notification_cannot_be_opened_or_marked(client, notification):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(open_url(notification)).status_code == 404
    assert client.post(open_url(notification)).status_code == 404
    assert client.post(read_url(notification)).status_code == 404
    client.post("/notifications/read-all/")
    notification.refresh_from_db()
    assert notification.read_at is None and unread(notification.recipient) == 1


def test_unknown_notifications_are_404(client, person):
    client.force_login(person)
    assert client.get("/notifications/999999/").status_code == 404
    assert client.post("/notifications/999999/read/").status_code == 404


@pytest.mark.parametrize("method, address", [
    ("get", LIST), ("get", "/notifications/{pk}/"), ("post", "/notifications/{pk}/read/"),
    ("post", "/notifications/read-all/"), ("get", PREFERENCES), ("post", PREFERENCES),
])
def test_anonymous_people_are_sent_to_sign_in(client, notification, method, address):
    address = address.format(pk=notification.pk)
    response = getattr(client, method)(address, {"proposals": "app"} if method == "post" else None)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(address)}"
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not Preference.objects.exists()


@pytest.mark.parametrize("address", ["/notifications/{pk}/read/", "/notifications/read-all/"])
def test_marking_read_takes_only_post(client, person, notification, address):
    client.force_login(person)
    assert client.get(address.format(pk=notification.pk)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("address", ["/notifications/{pk}/read/", "/notifications/read-all/"])
def test_marking_read_needs_the_csrf_token(person, notification, address):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.post(address.format(pk=notification.pk)).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None and unread(person) == 1
    browser.get(LIST)
    token = browser.cookies["csrftoken"].value
    response = browser.post(address.format(pk=notification.pk), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None and unread(person) == 0


# --- preferences -----------------------------------------------------------------------------

def choices(**changes):
    return {**registry.default_channels(), **changes}


def test_the_preferences_page_shows_the_current_choices(client, person):
    services.preferences_set(user=person, channels={"wiki": "weekly"})
    client.force_login(person)
    response = client.get(PREFERENCES)
    assert response.status_code == 200
    for category in registry.categories():
        assert (str(category.label) in response.text) != category.for_staff  # staff alerts: for staff only
    checked = dict(re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]* checked>', response.text))
    assert checked == {code: channel for code, channel in choices(wiki="weekly").items() if code != "staff"}
    assert "Daily summaries are sent at 7:00, weekly ones on Monday at the same time." in response.text


def test_saving_preferences(client, person, proposal):
    notification = commented(proposal)
    client.force_login(person)
    response = client.post(PREFERENCES, choices(proposals="weekly", memberships="app"), follow=True)
    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "Your notification settings are saved." in response.text
    assert services.channels_of(person) == choices(proposals="weekly", memberships="app")
    notification.refresh_from_db()
    assert notification.channel == Channel.WEEKLY


@pytest.mark.parametrize("data, error", [
    (choices(proposals="sms"), "Choose one of the offered ways."),
    (choices(wiki=""), "Choose how you want to hear about this."),
    ({key: value for key, value in choices().items() if key != "volunteering"},
     "Choose how you want to hear about this."),
    ({}, "Choose how you want to hear about this."),
])
def test_bad_preferences_are_refused_with_the_error_shown(client, person, data, error):
    client.force_login(person)
    response = client.post(PREFERENCES, data)
    assert response.status_code == 400
    assert error in response.text
    assert "Nothing has been saved yet." in response.text
    assert not Preference.objects.filter(user=person).exists()


def test_preferences_need_the_csrf_token(person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.post(PREFERENCES, choices(wiki="app")).status_code == 403
    assert not Preference.objects.exists()


# --- unsubscribing by link -------------------------------------------------------------------

def test_the_link_first_asks_and_changes_nothing(client, person):
    response = client.get(unsubscribe_url(person, "wiki"))
    assert response.status_code == 200
    assert "Stop the emails about “Wiki pages I watch”?" in response.text
    assert 'method="post"' in response.text
    assert not Preference.objects.exists()
    assert client.head(unsubscribe_url(person)).status_code == 200
    assert "Stop all notification emails?" in client.get(unsubscribe_url(person)).text
    assert not Preference.objects.exists()


def test_confirming_stops_the_emails_without_signing_in(person, proposal):
    notification = commented(proposal)
    browser = Client(enforce_csrf_checks=True)  # token-authenticated: no session, no CSRF cookie
    browser.cookies["django_language"] = "en"
    response = browser.post(unsubscribe_url(person, "proposals"))
    assert response.status_code == 200
    assert "You will get no more emails about “My proposals and proposals I follow”." in response.text
    assert services.channels_of(person) == choices(proposals="app")
    notification.refresh_from_db()
    assert notification.channel == Channel.APP
    assert "_auth_user_id" not in browser.session


def test_unsubscribing_from_all(client, person):
    response = client.post(unsubscribe_url(person))
    assert response.status_code == 200 and "You will get no more notification emails." in response.text
    assert set(services.channels_of(person).values()) == {Channel.APP}


def test_one_click_unsubscribe(person):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(unsubscribe_url(person), data="List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert set(services.channels_of(person).values()) == {Channel.APP}


def test_an_invalid_link_is_404_and_changes_nothing(client, person):
    token = tokens.unsubscribe_token(person)
    for address in [f"/notifications/unsubscribe/{token[:-2]}xx/", "/notifications/unsubscribe/nonsense/"]:
        assert client.get(address).status_code == 404
        response = client.post(address, data="List-Unsubscribe=One-Click",
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 404
        assert "This link is not valid." in response.text
    assert not Preference.objects.exists()


def test_the_link_of_a_deactivated_account_is_404(client, person):
    address = unsubscribe_url(person)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client.post(address).status_code == 404
    assert not Preference.objects.exists()


def test_a_link_unsubscribes_its_own_person_whoever_is_signed_in(client, person):
    other = UserFactory()
    client.force_login(other)
    client.post(unsubscribe_url(person, "wiki"))
    assert Preference.objects.filter(user=person, category="wiki", channel="app").exists()
    assert not Preference.objects.filter(user=other).exists()
