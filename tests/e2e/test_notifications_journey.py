"""Notifications: a proposal author reads what others did, a person chooses how they hear about
things and gets an email right away, someone stops all emails with the link from a daily summary
without signing in, and the inbox and the choices work on a small phone.

Tasks run eagerly in tests, so an email due right away is in the outbox as soon as the change
that caused it has committed; the daily summary is sent by calling the delivery jobs directly.
"""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from notifications import delivery
from notifications import registry
from notifications.models import Channel, Delivery, Notification
from notifications.services import channels_of
from proposals.services import comment_create, pledge_create, proposal_create, proposal_follow
from stakeholders.services import membership_decide, membership_request
from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

from .notifications_support import (
    commented,
    expect_unread,
    heading,
    inbox_link,
    log_in,
    main,
    notification_items,
    path_of,
    pledged,
    status,
    unsubscribe_link,
)
from .support import assert_no_horizontal_scroll, checked, fill_login_form, tr, visit

pytestmark = pytest.mark.e2e

TITLE = "Feierabend-Treff für Berufstätige im Stadtteilzentrum"
COMMENT = "Gute Idee! Ich kenne drei Leute aus meinem Betrieb, die sofort mitmachen würden."


def publish(author, organisation, title=TITLE):
    return proposal_create(
        author=author, organisation=organisation, title=title,
        summary="Ein offener Treff am Abend, damit auch Berufstätige ins Zentrum kommen.",
        text="Viele Menschen zwischen 30 und 60 arbeiten tagsüber; wir planen einen Treff am Donnerstagabend.",
        planning="community", delivery="together", publish=True,
    )


# The site's words (English msgids) for the categories and channels, as the preferences page shows them.
CATEGORY_LABELS = {
    "proposals": "My proposals and proposals I follow",
    "budgets": "Participatory budgets",
    "volunteering": "My tasks and shifts",
    "wiki": "Wiki pages I watch",
    "staff": "For staff of my organisations",
    "messages": "Messages from organisations",
    "memberships": "My memberships",
}
CHANNEL_LABELS = {
    Channel.IMMEDIATE: "Email right away",
    Channel.DAILY: "Daily summary by email",
    Channel.WEEKLY: "Weekly summary by email",
    Channel.APP: "Only here on the platform",
}


def radio_group(page, category):
    """The radio group of one category on the preferences page, named by its legend."""
    return main(page).get_by_role("group", name=tr(CATEGORY_LABELS[category]), exact=True)


def choice(page, category, channel):
    return radio_group(page, category).get_by_role("radio", name=tr(CHANNEL_LABELS[channel]), exact=True)


def emails_to(outbox, person):
    return [message for message in outbox if message.to == [person.email]]


def test_author_reads_a_comment_notification_and_marks_all_as_read(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    author = UserFactory(display_name="Miriam Kaya")
    commenter = UserFactory(display_name="Jonas Becker")
    helper = UserFactory(display_name="Peter Brandt")
    proposal = publish(author, organisation)
    comment = comment_create(proposal=proposal, author=commenter, text=COMMENT)
    pledge_create(proposal=proposal, user=helper, kind="time", hours=Decimal("2"), note="Donnerstags ab 18 Uhr.")

    # The author signs in: the header says two notifications are unread.
    page = new_page()
    log_in(page, author.email)
    expect_unread(page, 2)

    # The inbox lists both, newest first, each marked new.
    inbox_link(page).click()
    expect(heading(page)).to_have_text(tr("Notifications"))
    checked(page)
    expect(inbox_link(page)).to_have_attribute("aria-current", "page")
    items = notification_items(page)
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(pledged("Peter Brandt", TITLE))
    expect(items.nth(1)).to_contain_text(commented("Jonas Becker", TITLE))
    expect(items.nth(1)).to_contain_text(COMMENT)
    expect(items.nth(1)).to_contain_text(organisation.name)
    expect(items.nth(1)).to_contain_text(tr(CATEGORY_LABELS["proposals"]))
    for number in range(2):
        expect(items.nth(number).locator(".tag")).to_have_text(tr("New"))

    # Following the comment notification leads to the comment on the proposal, and reads it.
    items.nth(1).get_by_role("button", name=commented("Jonas Becker", TITLE), exact=True).click()
    expect(heading(page)).to_have_text(TITLE)
    checked(page)
    assert page.url.endswith(f"/proposals/{proposal.pk}/#comment-{comment.pk}"), page.url
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(COMMENT)
    expect_unread(page, 1)
    read = Notification.objects.get(recipient=author, activity__verb="comment.created")
    assert read.read_at is not None
    assert Notification.objects.get(recipient=author, activity__verb="proposal.pledged").read_at is None

    # Back in the inbox only the pledge is still new; "Mark all as read" reads it too.
    inbox_link(page).click()
    expect(heading(page)).to_have_text(tr("Notifications"))
    checked(page)
    items = notification_items(page)
    expect(items.nth(0).locator(".tag")).to_have_text(tr("New"))
    expect(items.nth(1).locator(".tag")).to_have_count(0)
    expect(items.nth(1).get_by_role("button", name=re.compile(tr("Mark as read")))).to_have_count(0)
    main(page).get_by_role("button", name=tr("Mark all as read"), exact=True).click()
    expect(status(page)).to_contain_text(tr("All notifications are marked as read."))
    checked(page)
    expect_unread(page, 0)
    expect(notification_items(page)).to_have_count(2)
    expect(main(page).locator(".notification .tag")).to_have_count(0)
    expect(main(page).get_by_role("button", name=tr("Mark all as read"))).to_have_count(0)

    # Unread only: nothing left.
    main(page).get_by_role("link", name=tr("Show unread only"), exact=True).click()
    expect(main(page)).to_contain_text(tr("You have read everything."))
    checked(page)
    assert "unread=1" in page.url

    author.refresh_from_db()
    assert author.unread_notifications == 0
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()


def test_person_chooses_email_right_away_and_gets_one(new_page, mailoutbox):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="lindenhof")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    person = UserFactory(display_name="Lea Vogel")
    proposal = publish(UserFactory(display_name="Miriam Kaya"), organisation)
    proposal_follow(proposal=proposal, user=person)

    page = new_page()
    log_in(page, person.email)
    inbox_link(page).click()
    expect(heading(page)).to_have_text(tr("Notifications"))
    checked(page)
    expect(main(page)).to_contain_text(tr(
        "Nothing yet. When something happens to your proposals, shifts, watched pages or memberships, "
        "you will find it here."
    ))
    main(page).get_by_role("link", name=tr("How I hear about things"), exact=True).click()
    expect(heading(page)).to_have_text(tr("How I hear about things"))
    checked(page)

    # One radio group per category, each showing the default (the msgids above are the models' labels).
    assert {category.code: str(category.label) for category in registry.categories()} == CATEGORY_LABELS
    assert {channel: str(channel.label) for channel in Channel} == CHANNEL_LABELS
    # A person without a staff role is not offered the staff alerts.
    expect(main(page).get_by_role("group")).to_have_count(len([c for c in registry.categories() if not c.for_staff]))
    expect(choice(page, "proposals", Channel.DAILY)).to_be_checked()
    expect(choice(page, "memberships", Channel.IMMEDIATE)).to_be_checked()

    # Proposals: email right away. Memberships, by keyboard: arrow keys move within the group
    # to "Only here on the platform"; Tab leads to "Save", and Enter submits.
    choice(page, "proposals", Channel.IMMEDIATE).check()
    choice(page, "memberships", Channel.IMMEDIATE).focus()
    for _step in range(3):
        page.keyboard.press("ArrowDown")
    expect(choice(page, "memberships", Channel.APP)).to_be_checked()
    expect(choice(page, "memberships", Channel.APP)).to_be_focused()
    page.keyboard.press("Tab")
    save = main(page).get_by_role("button", name=tr("Save"), exact=True)
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(status(page)).to_contain_text(tr("Your notification settings are saved."))
    checked(page)
    assert path_of(page.url) == "/notifications/preferences/"
    page.reload()
    expect(heading(page)).to_have_text(tr("How I hear about things"))
    checked(page)
    expect(status(page)).to_have_count(0)
    expect(choice(page, "proposals", Channel.IMMEDIATE)).to_be_checked()
    expect(choice(page, "memberships", Channel.APP)).to_be_checked()
    expect(choice(page, "wiki", Channel.DAILY)).to_be_checked()
    assert channels_of(person) == {
        "proposals": Channel.IMMEDIATE, "budgets": Channel.DAILY,
        "volunteering": Channel.IMMEDIATE, "wiki": Channel.DAILY, "memberships": Channel.APP,
        "staff": Channel.DAILY,  # not offered to this person: it stays as it was
        "messages": Channel.IMMEDIATE,
    }

    # Someone comments on the proposal the person follows: an email right away.
    assert emails_to(mailoutbox, person) == []
    comment = comment_create(proposal=proposal, author=UserFactory(display_name="Jonas Becker"), text=COMMENT)
    emails = emails_to(mailoutbox, person)
    assert len(emails) == 1, [message.subject for message in mailoutbox]
    email = emails[0]
    said = commented("Jonas Becker", TITLE)
    assert email.subject == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + said
    assert said in email.body and COMMENT in email.body
    assert f"/proposals/{proposal.pk}/comments/{comment.pk}/" in email.body
    assert Delivery.objects.get(recipient=person).kind == Delivery.Kind.IMMEDIATE

    # Their membership is approved: only here on the platform, no email.
    membership = membership_request(user=person, organisation=organisation, role="volunteer")
    membership_decide(membership=membership, decided_by=staff, approve=True)
    assert len(emails_to(mailoutbox, person)) == 1
    approved = Notification.objects.get(recipient=person, activity__verb="membership.approved")
    assert approved.channel == Channel.APP and approved.delivery is None

    # Both are in the inbox.
    inbox_link(page).click()
    expect(heading(page)).to_have_text(tr("Notifications"))
    checked(page)
    expect_unread(page, 2)
    items = notification_items(page)
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text(said)
    expect(items.nth(0)).to_contain_text(organisation.name)


def test_one_click_unsubscribe_from_a_daily_summary_without_signing_in(new_page, mailoutbox):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    author = UserFactory(display_name="Miriam Kaya")
    commenter = UserFactory(display_name="Jonas Becker")
    proposal = publish(author, organisation)
    comment_create(proposal=proposal, author=commenter, text=COMMENT)
    assert emails_to(mailoutbox, author) == []  # proposals default to the daily summary

    # A later daily summary goes out (two days on, so its cutoff is surely after the comment).
    period, cutoff, ids = delivery.digest_recipients(Delivery.Kind.DAILY, now=timezone.now() + timedelta(days=2))
    assert ids == [author.pk]
    assert delivery.send_digest_batch(Delivery.Kind.DAILY, period, cutoff, ids) == 1
    emails = emails_to(mailoutbox, author)
    assert len(emails) == 1
    email = emails[0]
    summary = tr("Your daily summary: %(count)s new") % {"count": 1}
    assert email.subject == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + summary
    assert commented("Jonas Becker", TITLE) in email.body

    # The visible link at the end of the text, and the same address in the headers (RFC 8058).
    url = unsubscribe_link(email)
    assert f"{tr('Stop these emails')}: {url}" in email.body
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = email.alternatives[0][0]
    assert url in html

    # Opened in a browser where nobody is signed in: a confirm page, then one button.
    page = new_page()
    visit(page, path_of(url))
    expect(heading(page)).to_have_text(tr("Stop emails"))
    expect(page.get_by_role("banner").get_by_role("link", name=tr("Sign in"))).to_be_visible()
    expect(main(page)).to_contain_text(tr("Stop all notification emails?"))
    main(page).get_by_role("button", name=tr("Stop these emails"), exact=True).click()
    expect(main(page).get_by_role("status")).to_contain_text(tr("You will get no more notification emails."))
    expect(main(page).get_by_role("status")).to_contain_text(
        tr("You still find everything under Notifications on the platform.")
    )
    checked(page)
    assert path_of(page.url) == path_of(url)
    assert channels_of(author) == dict.fromkeys(registry.category_codes(), Channel.APP)  # unsubscribed from all

    # The next comment reaches the inbox only: no email now, none in the next summary.
    comment_create(proposal=proposal, author=commenter, text="Und donnerstags passt es mir auch.")
    assert len(emails_to(mailoutbox, author)) == 1
    latest = Notification.objects.filter(recipient=author).first()
    assert latest.channel == Channel.APP
    _period, _cutoff, ids = delivery.digest_recipients(Delivery.Kind.DAILY, now=timezone.now() + timedelta(days=3))
    assert ids == []

    # "Change how I hear about things" asks to sign in and then shows every category off email.
    main(page).get_by_role("link", name=tr("Change how I hear about things"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Sign In"))
    checked(page)
    fill_login_form(page, author.email, PASSWORD)
    expect(heading(page)).to_have_text(tr("How I hear about things"))
    checked(page)
    for category in registry.categories():
        if not category.for_staff:
            expect(choice(page, category.code, Channel.APP)).to_be_checked()


def test_notifications_and_preferences_on_a_phone(new_page):
    width = 360
    organisation = OrganisationFactory(
        name="Mehrgenerationenhaus Kirchditmold", slug="kirchditmold",
    )
    person = UserFactory(display_name="Aleksandra Wiśniewska-Hoffmann")
    title = "Nachbarschaftscafé mit Hausaufgabenbetreuungsangebot im Gemeinschaftsraum"
    proposal = publish(person, organisation, title=title)
    comment_create(
        proposal=proposal, author=UserFactory(display_name="Maximilian Schulze-Oberhausen"),
        text="Die Hygieneregeln stehen hier: https://www.gesundheitsamt.example/lebensmittelhygiene/"
             "merkblaetter/ehrenamtliche-kuchenspenden-2025.pdf",
    )
    pledge_create(proposal=proposal, user=UserFactory(display_name="Bernadette Müller-Lüdenscheidt"),
                  kind="time", hours=Decimal("3"))
    membership = membership_request(user=person, organisation=organisation, role="volunteer")
    membership_decide(membership=membership, decided_by=UserFactory(), approve=True)

    page = new_page(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)

    def looked_at():
        checked(page)
        assert_no_horizontal_scroll(page, width)

    visit(page, "/accounts/login/")
    assert_no_horizontal_scroll(page, width)
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    looked_at()
    expect_unread(page, 3)

    inbox_link(page).tap()
    expect(heading(page)).to_have_text(tr("Notifications"))
    looked_at()
    items = notification_items(page)
    expect(items).to_have_count(3)
    said = commented("Maximilian Schulze-Oberhausen", title)
    comment_item = items.filter(has_text=said)
    mark = comment_item.get_by_role("button", name=re.compile(r"^\s*" + re.escape(tr("Mark as read")) + r"\s*:"))
    # Each item's button names its notification (visually hidden) for screen readers.
    expect(mark).to_have_accessible_name(re.compile(
        r"^\s*" + re.escape(tr("Mark as read")) + r"\s*:\s*" + re.escape(said) + r"\s*$"
    ))
    mark.tap()
    expect(heading(page)).to_have_text(tr("Notifications"))
    looked_at()
    expect_unread(page, 2)
    expect(items.filter(has_text=said).locator(".tag")).to_have_count(0)
    assert Notification.objects.get(recipient=person, activity__verb="comment.created").read_at is not None

    main(page).get_by_role("link", name=tr("How I hear about things"), exact=True).tap()
    expect(heading(page)).to_have_text(tr("How I hear about things"))
    looked_at()
    choice(page, "wiki", Channel.WEEKLY).tap()
    expect(choice(page, "wiki", Channel.WEEKLY)).to_be_checked()
    main(page).get_by_role("button", name=tr("Save"), exact=True).tap()
    expect(status(page)).to_contain_text(tr("Your notification settings are saved."))
    looked_at()
    expect(choice(page, "wiki", Channel.WEEKLY)).to_be_checked()
    assert channels_of(person)["wiki"] == Channel.WEEKLY
