"""Every XSS payload stays inert wherever the wiki shows people's words: the page, an old revision,
the history, a diff, recent changes, search snippets, the merge screen, templates and titles."""
import pytest

from wiki import services
from wiki.slugs import slug_for
from wiki.models import Page

from .factories import PageTemplateFactory, SpaceFactory, edit, member_of
from .xss import XSS_PAYLOADS, problems_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def inert(response):
    assert response.status_code in (200, 409), response.status_code
    assert problems_in(response.text) == []
    return response.text


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_are_inert_everywhere(client, organisation, payload):
    space = SpaceFactory(organisation=organisation, slug="lindenhof")
    author = member_of(space, display_name=f"Name {payload[:40]}")
    title = "Seite " + "".join(ch for ch in payload[:60] if ch not in "[]|\x01\x02")
    page = services.page_create(space=space, author=author, title=title if slug_for(title) else "Seite",
                                text=f"Suchwort Fahrrad {payload}\n\nMitte\n\n{payload}", summary=payload[:300])
    page.space = space
    edit(page, author, f"Suchwort Fahrrad geändert {payload}\n\n{payload} Ende", summary=f"zwei {payload}"[:300])
    PageTemplateFactory(name=payload[:120], description=payload[:300], text=payload)
    base = f"/wiki/lindenhof/{page.slug}/"
    for address in [base, f"{base}?revision=1", f"{base}history/", f"{base}diff/?from=1&to=2", f"{base}backlinks/",
                    "/wiki/changes/", "/wiki/lindenhof/changes/", "/wiki/lindenhof/", "/wiki/search/?q=Fahrrad",
                    f"/wiki/search/?q={payload[:150]}", "/wiki/"]:
        inert(client.get(address))
    client.force_login(author)
    for address in [f"{base}edit/", "/wiki/lindenhof/new/?template=" + "vorlage", f"{base}revert/1/",
                    f"/wiki/lindenhof/new/?title={payload[:150]}"]:
        inert(client.get(address))
    inert(client.post(f"{base}edit/", {"title": page.title, "text": f"Vorschau {payload}", "base_revision": 2,
                                       "preview": "1"}))
    # The merge screen shows base, theirs and mine side by side.
    conflict = client.post(f"{base}edit/", {"title": page.title, "text": f"Meins {payload}", "base_revision": 1,
                                            "summary": payload[:300]})
    assert conflict.status_code == 409
    inert(conflict)
    assert Page.objects.get(pk=page.pk).revisions.count() == 2


def test_search_snippets_escape_the_page_text(client, organisation):
    space = SpaceFactory(organisation=organisation)
    author = member_of(space)
    services.page_create(space=space, author=author, title="Werkstatt",
                         text='Fahrrad <b onclick="x">fett</b> <script>alert(1)</script> Fahrrad')
    text = inert(client.get("/wiki/search/?q=Fahrrad"))
    snippet = text[text.index('class="wiki-snippet"'):]
    snippet = snippet[:snippet.index("</p>")]
    assert "<mark>" in snippet and "<b" not in snippet and "<script" not in snippet
