"""What the notification journeys share: the header link with its unread count, the site's
sentences for notifications, and the unsubscribe link of an email in the outbox."""
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect


from .support import close_menu, heading, log_in, main, open_menu, status, tr, trn  # noqa: F401 - shared with the journeys

UNSUBSCRIBE_URL = re.compile(r"https?://[^\s<>]+/notifications/unsubscribe/[^\s<>/]+/")


def unread(number):
    """The badge text: "2 unread" in the site's words."""
    return trn("%(counter)s unread", "%(counter)s unread", number) % {"counter": number}


def inbox_link(page):
    """The header link "Notifications", with or without its unread-count badge."""
    name = re.compile(r"^\s*" + re.escape(tr("Notifications")) + r"(\s|$)")
    return open_menu(page).get_by_role("link", name=name)


def expect_unread(page, number):
    """The header says how many notifications are unread; with none, the badge is gone."""
    link = inbox_link(page)
    if number:
        # Chromium pads the inline-block badge with spaces: "Notifications ( 2 unread )".
        expect(link).to_have_accessible_name(re.compile(
            r"^\s*" + re.escape(tr("Notifications")) + r"\s*\(\s*" + re.escape(unread(number)) + r"\s*\)\s*$"
        ))
        expect(link.locator(".count-badge")).to_contain_text(unread(number))
    else:
        expect(link).to_have_accessible_name(re.compile(r"^\s*" + re.escape(tr("Notifications")) + r"\s*$"))
        expect(link.locator(".count-badge")).to_have_count(0)
    close_menu(page)


def commented(name, title):
    return tr("%(name)s commented on “%(title)s”.") % {"name": name, "title": title}


def pledged(name, title):
    return tr("%(name)s offered to help with “%(title)s”.") % {"name": name, "title": title}


def notification_items(page):
    return main(page).locator("ol.notification-list > li")


def unsubscribe_link(message):
    """The visible unsubscribe address in the text body of an email (absolute, as sent)."""
    found = UNSUBSCRIBE_URL.findall(message.body)
    assert len(found) == 1, f"Expected one unsubscribe address in the email, found {found}:\n{message.body}"
    return found[0]


def path_of(url):
    return urlsplit(url).path
