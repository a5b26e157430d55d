"""What the volunteering journeys share: signing in, finding a shift's card, the site's dates and numbers."""
import re

from django.utils import formats, timezone, translation

from .support import heading, log_in, main, status, tr, trp  # noqa: F401 - shared with the journeys


def section(page, msgid):
    """A section of the main content, found by its second-level heading."""
    return main(page).locator("section").filter(
        has=page.get_by_role("heading", level=2, name=tr(msgid), exact=True)
    )


def shift_card(page, shift):
    return page.locator(f"#shift-{shift.pk}")


SHIFT_SIGN_UP = ("for a shift", "Sign up")


def button(scope, msgid):
    """The button whose accessible name is the site's text for ``msgid``, alone or followed by ": <which>".

    Buttons of repeated items (shifts, commitments, roster rows) carry a visually hidden
    ": <which one>" after their visible text, so that a screen reader tells them apart.
    """
    text = trp(*msgid) if isinstance(msgid, tuple) else tr(msgid)
    return scope.get_by_role("button", name=re.compile(r"^\s*" + re.escape(text) + r"\s*(:|$)"))


def short_datetime(moment, language="de"):
    """A moment as the site writes it in messages: local time, SHORT_DATETIME_FORMAT."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def number(value, language="de"):
    """A decimal as the site writes it with ``floatformat:"2"`` or ``localize`` (2,50 in German)."""
    with translation.override(language):
        return formats.number_format(value, decimal_pos=2)
