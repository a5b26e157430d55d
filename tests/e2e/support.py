"""Helpers for the browser journeys: axe checks that cannot be forgotten, and the site's own words.

Every main-frame navigation of a page made by the ``new_page``/``page`` fixtures is recorded;
``checked(page)`` runs axe on the current document and crosses its address off. A test that
ends with an address visited but never checked fails at teardown, so every page a journey
reaches gets its accessibility check. Likewise a test fails when the browser reported that the
Content Security Policy refused a script, a style or anything else on one of its pages.
"""
from __future__ import annotations

import re
import weakref
from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.text import capfirst

FAILING_IMPACTS = ("serious", "critical")

_axe = Axe()
# axe reads stylesheets that use @import (the admin's forms.css does) by appending a <style> of its own,
# which the site's Content Security Policy rightly refuses. Without that preload only one rule,
# css-orientation-lock, has nothing to read; the site never locks the orientation.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
_logs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def tr(msgid, language="de"):
    """The text the site shows for ``msgid`` in ``language``, from the same catalogues it renders with.

    Journeys find labels and buttons with it, so they keep passing while translations change.
    """
    with translation.override(language):
        return translation.gettext(msgid)


def trp(context, msgid, language="de"):
    """Like ``tr`` for a text with a translation context (the same English words, meant otherwise)."""
    with translation.override(language):
        return translation.pgettext(context, msgid)


def trn(singular, plural, number, language="de"):
    with translation.override(language):
        return translation.ngettext(singular, plural, number)


def field(scope, msgid, language="de"):
    """The form control whose label is exactly the site's text for ``msgid`` (Django adds the colon)."""
    text = capfirst(tr(msgid, language))
    return scope.get_by_label(re.compile(r"^\s*" + re.escape(text) + r"\s*:?\s*$"))


def _address(url):
    return urldefrag(url).url


class VisitLog:
    """The main-frame addresses a page navigated to, which of them were axe-checked, and every report of
    the browser that the site's Content Security Policy refused something."""

    def __init__(self, page):
        self.unchecked = []
        self.checked = []
        self.csp_violations = []
        page.on("framenavigated", self._navigated)
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{message.location.get('url') or page.url}: {message.text}")

    def _navigated(self, frame):
        if frame.parent_frame is None and frame.url != "about:blank":
            self.unchecked.append(_address(frame.url))

    def mark_checked(self, url):
        address = _address(url)
        self.unchecked = [visited for visited in self.unchecked if visited != address]
        self.checked.append(address)


def track(page):
    _logs[page] = VisitLog(page)
    return page


def csp_violations(page):
    log = _logs.get(page)
    return list(dict.fromkeys(log.csp_violations)) if log else []


def unchecked_addresses(page):
    log = _logs.get(page)
    return list(dict.fromkeys(log.unchecked)) if log else []


def format_violations(url, violations):
    lines = [f"axe found {len(violations)} serious/critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      at {target}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      … and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)


def checked(page):
    """Run axe on the page as it is now, then the layout checks at a phone's and a desktop's width.

    Fails on any serious or critical accessibility violation and on any layout problem (see layout.py).
    """
    from .layout import check_layout

    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]
    log = _logs.get(page)
    if log is not None:
        log.mark_checked(page.url)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)
    check_layout(page)
    return page


def visit(page, path):
    """Open ``path`` (relative to the live server) as a person typing the address, then axe-check it."""
    response = page.goto(path)
    assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
    return checked(page)


def fill_login_form(page, email, password):
    """Fills allauth's sign-in form on the current page and submits it."""
    main = page.locator("main")
    field(main, "Email").fill(email)
    field(main, "Password").fill(password)
    main.get_by_role("button", name=tr("Sign In")).click()


def fill_signup_form(page, email, display_name, password):
    """Fills allauth's sign-up form on the current page (German as the language) and submits it."""
    form = page.locator("main")
    field(form, "Email").fill(email)
    field(form, "Display name").fill(display_name)
    field(form, "Language").select_option(label=tr("German"))
    field(form, "Password").fill(password)
    field(form, "Password (again)").fill(password)
    form.get_by_role("button", name=tr("Sign Up")).click()


def horizontal_scroll_problem(page, width):
    """A sentence naming what makes the page scroll sideways at ``width``, or None."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return None
    culprits = page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .slice(0, 8)
            .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '')
                + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)')""",
        width,
    )
    return f"{page.url} scrolls sideways at {width}px: scrollWidth is {scroll_width}px. Too wide: {', '.join(culprits)}"


def assert_no_horizontal_scroll(page, width):
    problem = horizontal_scroll_problem(page, width)
    if problem:
        pytest.fail(problem, pytrace=False)


def filter_form(page, msgid=None):
    """The list page's filter form; on a phone it is folded into a "Filter" button, which is opened first."""
    panel = page.locator("main details.filters-panel")
    if panel.count() and panel.get_attribute("open") is None and panel.locator("summary").is_visible():
        panel.locator("summary").click()
    scope = page.get_by_role("main")
    return scope.get_by_role("search", name=tr(msgid)) if msgid else scope.get_by_role("search")


def open_menu(page):
    """Opens the site menu when it is folded (on a phone); on wide screens it is always shown."""
    menu = page.locator("details.site-menu")
    if menu.get_attribute("open") is None and menu.locator("summary").is_visible():
        menu.locator("summary").click()
    return page.get_by_role("navigation", name=tr("Main"))


def close_menu(page):
    """Folds the site menu again where it folds (on a phone), so it no longer covers the page."""
    menu = page.locator("details.site-menu")
    if menu.get_attribute("open") is not None and menu.locator("summary").is_visible():
        menu.locator("summary").click()


def heading(page):
    return page.get_by_role("heading", level=1)


def main(page):
    return page.get_by_role("main")


def status(page):
    """The messages the site shows after an action (role="status" in base.html)."""
    return page.locator("main .messages")


def log_in(page, email):
    """Signs in with the factories' password and lands on the home page, "for you" (axe-checked)."""
    from playwright.sync_api import expect

    from tests.stakeholders.factories import PASSWORD

    visit(page, "/accounts/login/")
    fill_login_form(page, email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)


def open_my_area(page):
    """From the home page "for you" (where signing in lands), follows the link to My area (axe-checked)."""
    from playwright.sync_api import expect

    main(page).get_by_role("link", name=tr("My area"), exact=True).first.click()
    expect(heading(page)).to_have_text(tr("My area"))
    checked(page)
