"""What the participatory-budget journeys share: signing in, the parts of the ballot and results
pages, and amounts, percentages and dates written the way the site writes them."""
import re
from decimal import Decimal
from urllib.parse import urldefrag

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from coproduction.formatting import format_euros
from tests.stakeholders.factories import PASSWORD

from .support import _logs, checked, fill_login_form, heading, log_in, main, status, tr, trn, visit

WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def section(page, msgid):
    """A section of the main content (a region named by its heading, aria-labelledby). Sections of the
    ballot page nest, so they are found by their own name rather than by a heading somewhere inside."""
    return main(page).get_by_role("region", name=tr(msgid), exact=True)


def link(scope, msgid):
    return scope.get_by_role("link", name=tr(msgid), exact=True)


def button(scope, msgid):
    return scope.get_by_role("button", name=tr(msgid), exact=True)


# --- pages without JavaScript -------------------------------------------------------------------------

def checked_without_javascript(page, twin):
    """Axe-check ``page``, whose context runs no JavaScript, on its ``twin``.

    axe cannot run where JavaScript is off: its timers never fire, so support.checked would wait
    for ever. The document ``page`` shows now is served again at the same address to ``twin`` (a
    page with JavaScript, see ``script_free_twin``), axe-checked there, and the address is crossed
    off ``page``'s visit log too, so the teardown check still holds for every page it reached.
    """
    page.wait_for_load_state("load")
    address, document = urldefrag(page.url).url, page.content()

    def is_address(url):
        return urldefrag(url).url == address

    def serve(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=document)

    twin.route(is_address, serve)
    try:
        twin.goto(address)
        checked(twin)
    finally:
        twin.unroute(is_address, serve)
    _logs[page].mark_checked(page.url)
    return page


def script_free_twin(new_page, **options):
    """A page for axe-checking documents of a page without JavaScript: it runs axe, but the site's own
    scripts are not loaded, so the document stays as it was served."""
    twin = new_page(**options)
    twin.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
    return twin


def log_in_without_javascript(page, twin, email):
    page.goto("/accounts/login/")
    checked_without_javascript(page, twin)
    fill_login_form(page, email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    checked_without_javascript(page, twin)


# --- amounts, numbers and dates as the site writes them (German unless told) ------------------------

def euros(amount, language="de"):
    """1234.5 → "1.234,50 €", as the |euros filter and floatformat:"2g" €; the space may be a no-break one
    (Playwright's text assertions treat both alike)."""
    with translation.override(language):
        return format_euros(Decimal(amount))


def number(value, arg="-1", language="de"):
    with translation.override(language):
        return floatformat(value, arg)


def local_date(moment, language="de", fmt="DATE_FORMAT"):
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), fmt)


# --- the ballot -------------------------------------------------------------------------------------

def ballot_form(page):
    return page.locator("#ballot-form")


def save_button(page):
    """"Update my choice": it sends the ballot form from the bar that stays at the bottom of the screen."""
    return page.locator('button[form="ballot-form"]').filter(has_text=tr("Update my choice"))


def option(page, title):
    """The checkbox of one proposal on the ballot; its label is the title followed by the cost."""
    return ballot_form(page).get_by_role("checkbox", name=re.compile(r"^\s*" + re.escape(title) + r"\s"))


def summary(page):
    """The live region under the options: budget, what the choice costs, what remains, over-budget note."""
    return page.locator("#ballot-summary")


def summary_value(page, msgid):
    """The <dd> after the <dt> with the site's text for ``msgid`` in the ballot summary."""
    return summary(page).locator("dt", has_text=re.compile("^" + re.escape(tr(msgid)) + "$")).locator(
        "xpath=following-sibling::dd[1]")


def over_note(page):
    return summary(page).locator('[data-ballot="over"]')


def expect_summary(page, *, chosen, budget, over=False):
    """The summary shows the cost of the ticks and what is left, or that the choice is over the budget."""
    chosen, budget = Decimal(chosen), Decimal(budget)
    expect(summary_value(page, "Budget")).to_have_text(euros(budget))
    expect(summary_value(page, "Your choice costs")).to_have_text(euros(chosen))
    expect(summary_value(page, "Remaining")).to_have_text(euros(max(budget - chosen, Decimal("0"))))
    if over:
        expect(over_note(page)).to_be_visible()
        expect(over_note(page)).to_contain_text(tr("Over the budget:"))
        expect(over_note(page).locator('[data-ballot="over-amount"]')).to_have_text(euros(chosen - budget))
        expect(summary(page)).to_have_class(re.compile(r"\bballot-over\b"))
    else:
        expect(over_note(page)).to_be_hidden()
        expect(summary(page)).not_to_have_class(re.compile(r"\bballot-over\b"))


CENT = Decimal("0.01")


def _amount_pattern(amount):
    """An amount followed by the euro sign, as the service writes it now ("12000.00 €") or localised
    ("12.000,00 €"), so the check holds whichever the service settles on."""
    amount = Decimal(amount).quantize(CENT)
    written = sorted({re.escape(str(amount)), re.escape(euros(amount).replace("\u00a0€", ""))}, key=len, reverse=True)
    return "(?:" + "|".join(written) + r")\s€"


def over_budget_error(total, budget):
    """The service's refusal of a choice over the budget, as a pattern for its amounts."""
    total, budget = Decimal(total), Decimal(budget)
    message = tr("Your choice costs %(total)s €, more than the budget of %(budget)s €. "
                 "Remove proposals worth at least %(over)s €.")
    amounts = {"total": total, "budget": budget, "over": total - budget}
    parts = re.split(r"(%\((?:total|budget|over)\)s €)", message)
    pattern = "".join(_amount_pattern(amounts[part[2:-4]]) if part.startswith("%(") else re.escape(part)
                      for part in parts)
    return re.compile(pattern.replace("\\ ", r"\s"))


def picks_summary(count, total, budget):
    """"2 proposals, 9.000,00 € of 10.000,00 €." under the saved or voted choice."""
    return trn("%(counter)s proposal, %(total)s of %(budget)s.", "%(counter)s proposals, %(total)s of %(budget)s.",
               count) % {"counter": count, "total": euros(total), "budget": euros(budget)}
