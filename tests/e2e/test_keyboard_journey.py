"""A visitor who uses only the keyboard: from the home page to signing in, supporting a proposal and
casting a vote in a participatory budget. Tab, Shift+Tab, Enter and Space move and act; only the
text of a field is typed. At every step the focused element is on screen, not covered, and shows
a clearly visible focus indicator. Axe and the layout checks run on every page reached.
"""
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budgets.models import Ballot, Phase
from proposals.models import Support
from tests.budgets.factories import add_entry, make_process, move_to
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

from .support import checked, heading, status, tr, trp

pytestmark = pytest.mark.e2e

MAX_TABS = 80

# The focused element: its name as a person hears it, whether it is on screen and not covered, and
# whether its focus indicator shows (an outline of at least 2 px, or a box shadow).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const inView = rect.width > 0 && rect.height > 0 && rect.top >= 0 && rect.left >= 0
    && rect.bottom <= window.innerHeight + 1 && rect.right <= window.innerWidth + 1;
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), window.innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const uncovered = !!hit && (hit === el || el.contains(hit) || hit.contains(el)
    || (el.labels && Array.from(el.labels).some((label) => label.contains(hit))));
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const name = (el.getAttribute('aria-label') || label || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim();
  return { tag: el.tagName.toLowerCase(), name, inView, uncovered, outline, shadow,
           outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth };
}"""


def focused(page):
    return page.evaluate(_FOCUSED)


def assert_focus_shows(page, element):
    where = f"on {page.url}, the focused <{element['tag']}> \"{element['name']}\""
    assert element["inView"], f"{where} is not within the screen"
    assert element["uncovered"], f"{where} is covered by another element"
    assert element["outline"] or element["shadow"], (
        f"{where} shows no focus indicator (outline {element['outlineStyle']} {element['outlineWidth']}, no shadow)")


def tab_to(page, name, *, backwards=False):
    """Presses Tab (or Shift+Tab) until the element named ``name`` (a string or pattern) has the focus,
    checking the focus indicator of every element passed on the way."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(r"^\s*" + re.escape(name) + r"\s*$")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        if element is None:
            continue
        assert_focus_shows(page, element)
        seen.append(element["name"])
        if pattern.search(element["name"]):
            return element
    pytest.fail(f"Tabbing on {page.url} never reached {pattern.pattern!r}; passed: {seen}", pytrace=False)


def test_keyboard_only_visitor_signs_in_supports_a_proposal_and_votes(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    proposal = ProposalFactory(organisation=organisation, title="Trinkbrunnen am Marktplatz")
    process = make_process(organisation, Phase.REVIEW, total=Decimal("10000"),
                           title="Bürgerhaushalt Wesertor 2026", slug="wesertor-2026")
    add_entry(process, cost=Decimal("4000"), title="Sitzbänke am Weserufer")
    add_entry(process, cost=Decimal("3000"), title="Lesegarten hinter der Bibliothek")
    move_to(process, Phase.VOTING)
    visitor = UserFactory(display_name="Selin Aydın")

    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/")
    checked(page)

    # The first Tab reaches the skip link, visible while focused; then on into the header.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["name"] == tr("Skip to content")
    assert_focus_shows(page, skip)

    # Into the header and to "Sign in".
    tab_to(page, tr("Sign in"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    checked(page)

    # The sign-in form: type into the fields, move with Tab, send with Enter on the button.
    tab_to(page, re.compile(r"^\s*" + re.escape(tr("Email"))))
    page.keyboard.type(visitor.email)
    tab_to(page, re.compile(r"^\s*" + re.escape(tr("Password"))))
    page.keyboard.type(PASSWORD)
    tab_to(page, tr("Sign In"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)

    # To the proposals through the main navigation, then the proposal's card.
    tab_to(page, tr("Proposals"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(tr("Proposals"))
    checked(page)
    tab_to(page, proposal.title)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(proposal.title)
    checked(page)

    # Support it with the Space key on the button.
    tab_to(page, trp("proposal action", "Support"))
    page.keyboard.press("Space")
    expect(heading(page)).to_have_text(proposal.title)
    expect(status(page)).to_be_visible()
    checked(page)
    assert Support.objects.filter(proposal=proposal, user=visitor).exists()

    # Back up through the page to the navigation with Shift+Tab, and on to the budgets.
    tab_to(page, tr("Budgets"), backwards=True)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(tr("Participatory budgets"))
    checked(page)
    tab_to(page, process.title)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(process.title)
    checked(page)
    tab_to(page, tr("Vote now"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(tr("Vote: %(title)s") % {"title": process.title})
    checked(page)

    # Tick one proposal with Space, save the choice, then confirm the vote.
    tab_to(page, re.compile(re.escape("Sitzbänke am Weserufer")))
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox", name=re.compile("Sitzbänke am Weserufer")).is_checked()
    tab_to(page, tr("Update my choice"))
    page.keyboard.press("Enter")
    expect(status(page)).to_contain_text(tr("Your choice is saved. It counts once you confirm your vote below."))
    checked(page)
    tab_to(page, tr("Confirm my vote"))
    page.keyboard.press("Enter")
    expect(status(page)).to_contain_text(tr("Your vote is counted. Thank you for taking part."))
    checked(page)
    ballot = Ballot.objects.get(process=process, user=visitor)
    assert ballot.status == Ballot.Status.CONFIRMED
