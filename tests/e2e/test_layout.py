"""The main public pages of the demo keep their layout at a phone's and a desktop's width, in German
and English; and the layout check itself catches what it is meant to catch."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from .layout import PHONE, layout_problems, squeezed_elements
from .support import visit

pytestmark = pytest.mark.e2e


def main_public_pages():
    from budgets.models import Process
    from proposals.models import Proposal
    from stakeholders.models import Organisation
    from volunteering.models import Task
    from wiki.models import Page

    proposal = Proposal.objects.filter(status="published", is_hidden=False).order_by("pk").first()
    process = Process.objects.filter(results_published_at__isnull=False).order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    wiki_page = Page.objects.select_related("space").order_by("pk").first()
    assert all([proposal, process, task, organisation, wiki_page]), "the demo lacks one of the main pages"
    return [
        reverse("home"),
        reverse("proposals:list"), proposal.get_absolute_url(),
        reverse("budgets:list"), process.get_absolute_url(), reverse("budgets:results", args=[process.slug]),
        reverse("volunteering:list"), task.get_absolute_url(),
        reverse("stakeholders:organisations"), organisation.get_absolute_url(),
        reverse("wiki:index"), wiki_page.get_absolute_url(),
        reverse("matrix"),
        reverse("account_login"), reverse("account_signup"),
    ]


@pytest.mark.parametrize("locale, language", [("de-DE", "de"), ("en-GB", "en")])
def test_main_public_pages_keep_their_layout(new_page, settings, locale, language):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=StringIO())
    page = new_page(locale=locale)
    for path in main_public_pages():
        visit(page, path)  # axe, then the layout checks at 360 and 1280 px (support.checked)
        assert page.locator("html").get_attribute("lang") == language, path


SQUEEZED_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Squeezed</title></head><body>
<header class="site-header" style="height: 60px">Site</header>
<main><dl style="display: grid; grid-template-columns: max-content minmax(0, 1fr); width: 270px; font-size: 16px">
  <dt>People who voted in this budget</dt><dd class="value">12 345</dd></dl>
<p style="width: 10px">Wide enough? No.</p>
<p>Plain text that fits.</p>
<span class="visually-hidden" style="position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0)">hidden helper text</span>
</main></body></html>"""


def test_the_check_catches_a_squeezed_column(page):
    page.set_viewport_size(PHONE)
    page.set_content(SQUEEZED_PAGE)
    squeezed = squeezed_elements(page)
    texts = {item["text"] for item in squeezed}
    assert "12 345" in texts, squeezed  # the value column squeezed by the long label
    assert "Wide enough? No." in texts, squeezed
    assert "Plain text that fits." not in texts and "hidden helper text" not in texts
    culprit = next(item for item in squeezed if item["text"] == "12 345")
    assert culprit["tag"] == "dd" and culprit["cls"] == "value" and culprit["width"] < 32
    assert any("squeezed" in problem for problem in layout_problems(page, PHONE))


def test_the_check_catches_a_tall_header_a_hidden_primary_action_and_sideways_scrolling(page):
    page.set_viewport_size(PHONE)
    page.set_content("""<!DOCTYPE html><html lang="en"><head><title>Tall</title></head><body style="margin: 0">
      <header class="site-header" style="height: 300px">Site</header>
      <main><div style="height: 900px">Text</div><div style="width: 600px">Too wide for a phone</div>
      <button data-primary-action>Support</button></main></body></html>""")
    problems = " | ".join(layout_problems(page, PHONE))
    assert "header is 300px high" in problems
    assert "primary action \"Support\"" in problems and "below the first screen" in problems
    assert "scrolls sideways at 360px" in problems


def test_a_page_that_fits_has_no_problems(page):
    page.set_viewport_size(PHONE)
    page.set_content("""<!DOCTYPE html><html lang="en"><head><title>Fine</title></head><body style="margin: 0">
      <header class="site-header" style="height: 60px">Site</header>
      <main><p>Short text in a column wide enough.</p><button data-primary-action>Support</button></main></body></html>""")
    assert layout_problems(page, PHONE) == []


def test_a_short_word_in_its_natural_width_is_not_squeezed(page):
    page.set_viewport_size(PHONE)
    page.set_content("""<!DOCTYPE html><html lang="en"><head><title>Pill</title></head><body>
      <p><span class="tag" style="font-size: 14px">Full</span> and <span style="font-size: 14px">Voll</span></p></body></html>""")
    assert squeezed_elements(page) == []


FACTS_CARD = """<!DOCTYPE html><html lang="de"><head><title>Karte</title>
<link rel="stylesheet" href="{base}/static/css/site.css"><style>{extra}</style></head><body><main class="wrap">
<ul class="card-list" style="width: 300px"><li class="card"><dl class="facts">
  <dt>Menschen, die abgestimmt haben</dt><dd>14. Dezember 2026</dd></dl></li></ul></main></body></html>"""


def test_the_site_facts_list_keeps_a_long_label_from_squeezing_its_value(page, live_server):
    """The budgets bug: a label column as wide as its longest label left the value 15 px. The check
    catches that rule, and the site's own rule for dl.facts does not squeeze."""
    page.set_viewport_size({"width": 1280, "height": 800})
    old_rule = "dl.facts { grid-template-columns: max-content minmax(0, 1fr) !important; }"
    page.set_content(FACTS_CARD.format(base=live_server.url, extra=old_rule), wait_until="load")
    assert any(item["tag"] == "dd" for item in squeezed_elements(page)), "the old rule squeezes the value"
    page.set_content(FACTS_CARD.format(base=live_server.url, extra=""), wait_until="load")
    assert squeezed_elements(page) == []
