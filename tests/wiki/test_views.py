"""The wiki pages over HTTP: statuses, redirects, forms, the merge screen, search and query counts."""
import re
from urllib.parse import quote

import pytest
from django.db import connection

from notifications.models import Activity
from stakeholders import services as stakeholder_services
from tests.stakeholders.factories import MembershipFactory, UserFactory
from wiki import services
from wiki.models import Page, PageRedirect, Revision, Space, Watch

from .factories import PageFactory, PageTemplateFactory, SpaceFactory, edit, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def space(organisation):
    return SpaceFactory(organisation=organisation, slug="lindenhof", name="Wiki des Lindenhofs")


@pytest.fixture
def member(space):
    return member_of(space, display_name="Hans Lehmann")


@pytest.fixture
def page(space, member):
    page = services.page_create(space=space, author=member, title="Über uns",
                                text="# Wer wir sind\n\nDas Team.\n\n## Kontakt\n\nSiehe [[Telefonliste]].\n")
    page.space = space
    return page


def url(page, action=""):
    return f"/wiki/{page.space.slug}/{page.slug}/{action + '/' if action else ''}"


# --- pages render ---------------------------------------------------------------------------------

def test_public_pages_render_for_everyone(client, page, member):
    edit(page, member, "Anders.\n")
    for address in ["/wiki/", "/wiki/lindenhof/", url(page), url(page, "history"), url(page, "diff"),
                    url(page, "backlinks"), "/wiki/changes/", "/wiki/lindenhof/changes/", "/wiki/lindenhof/review/",
                    "/wiki/search/", "/wiki/search/?q=Team", f"{url(page)}?revision=1"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert '<main id="main"' in response.text


def test_page_shows_text_contents_meta_and_backlinks(client, page, space, member):
    PageFactory(space=space, title="Startseite", text="Lies [[Über uns]].")
    response = client.get(url(page))
    text = response.text
    assert "<h1 id=\"page-title\">Über uns</h1>" in text
    assert '<a href="#h-wer-wir-sind">Wer wir sind</a>' in text
    assert '<h2 id="h-wer-wir-sind">Wer wir sind</h2>' in text
    assert "Hans Lehmann" in text
    assert re.search(r'<a class="wikilink-missing" href="/wiki/lindenhof/new/\?title=Telefonliste"[^>]*>'
                     r'Telefonliste<span class="visually-hidden"> \(page does not exist yet\)</span></a>', text)
    backlinks = text[text.index("Pages that link here"):]
    assert '<a href="/wiki/lindenhof/startseite/">Startseite</a>' in backlinks


def test_signed_in_pages_render(client, page, member, space):
    client.force_login(member)
    for address in [url(page, "edit"), "/wiki/lindenhof/new/", "/wiki/lindenhof/new/?title=Neu&template=x",
                    url(page, "revert/1")]:
        assert client.get(address).status_code == 200, address


def test_old_revision_is_shown_with_a_notice(client, page, member):
    edit(page, member, "Neue Fassung.\n")
    response = client.get(f"{url(page)}?revision=1")
    assert "You are reading revision 1" in response.text and "Das Team." in response.text
    assert client.get(f"{url(page)}?revision=2").status_code == 302  # the current one is the page itself
    assert client.get(f"{url(page)}?revision=9").status_code == 404
    assert client.get(f"{url(page)}?revision=x").status_code == 404


# --- access -------------------------------------------------------------------------------------

@pytest.fixture
def secret(organisation, member):
    space = SpaceFactory(organisation=organisation, slug="intern", visibility=Space.Visibility.MEMBERS)
    page = services.page_create(space=space, author=member, title="Vertraulich", text="Der Schlüsselkasten hängt im Keller.")
    page.space = space
    return page


def test_members_only_space_sends_strangers_to_sign_in_without_telling_what_exists(client, secret):
    for address in ["/wiki/intern/", url(secret), url(secret, "history"), "/wiki/intern/gibt-es-nicht/"]:
        response = client.get(address)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/?next="), address


def test_members_only_space_is_missing_for_signed_in_outsiders(client, secret):
    client.force_login(MembershipFactory(role="staff").user)  # staff of another organisation
    for address in ["/wiki/intern/", url(secret), url(secret, "diff"), url(secret, "edit")]:
        assert client.get(address).status_code == 404, address
    assert "Vertraulich" not in client.get("/wiki/search/?q=Schlüsselkasten").text
    assert "Vertraulich" not in client.get("/wiki/changes/").text
    assert "intern" not in client.get("/wiki/").text


def test_members_only_space_is_open_to_members(client, secret, organisation):
    client.force_login(MembershipFactory(organisation=organisation, role="supporter").user)
    assert client.get(url(secret)).status_code == 200
    assert "Vertraulich" in client.get("/wiki/search/?q=Schlüsselkasten").text
    assert "Vertraulich" in client.get("/wiki/changes/").text


def test_editing_needs_the_right(client, page, space):
    assert client.get(url(page, "edit")).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(url(page, "edit")).status_code == 403
    assert client.post(url(page, "edit"), {"title": "x", "text": "y", "base_revision": 1}).status_code == 403
    assert client.get("/wiki/lindenhof/new/").status_code == 403
    assert client.post(url(page, "revert/1"), {"base_revision": 1}).status_code == 403
    assert page.revisions.count() == 1


def test_staff_only_space_refuses_other_members(client, organisation, staff):
    space = SpaceFactory(organisation=organisation, editors=Space.Editors.STAFF)
    page = PageFactory(space=space, author=staff)
    client.force_login(MembershipFactory(organisation=organisation, role="volunteer").user)
    assert client.get(url(page, "edit")).status_code == 403
    assert "Edit page" not in client.get(url(page)).text
    client.force_login(staff)
    assert client.get(url(page, "edit")).status_code == 200


# --- creating ---------------------------------------------------------------------------------------

def test_create_a_page_from_a_red_link_and_a_template(client, page, member, space):
    template = PageTemplateFactory(name="Übergabenotiz", slug="uebergabe", text="## Worum es geht\n\n…\n")
    client.force_login(member)
    red = client.get(url(page)).text
    link = re.search(r'href="(/wiki/lindenhof/new/\?title=Telefonliste)"', red).group(1)
    form = client.get(link).text
    assert 'value="Telefonliste"' in form
    assert "/wiki/lindenhof/new/?title=Telefonliste&amp;template=uebergabe" in form
    prefilled = client.get(f"{link}&template=uebergabe").text
    assert "## Worum es geht" in prefilled and "Übergabenotiz" in prefilled
    response = client.post("/wiki/lindenhof/new/", {"title": "Telefonliste", "text": template.text + "\n- Lindenhof",
                                                      "summary": "Liste angelegt"})
    assert response.status_code == 302 and response.url == "/wiki/lindenhof/telefonliste/"
    created = Page.objects.get(slug="telefonliste")
    assert created.current_revision.summary == "Liste angelegt" and created.owner == member
    page.refresh_from_db()
    assert "wikilink-missing" not in page.html  # the red link is blue now
    assert client.get("/wiki/lindenhof/new/?title=Telefonliste").url == "/wiki/lindenhof/telefonliste/"


def test_organisation_templates_are_offered_only_in_their_space(client, member, space, other_organisation):
    PageTemplateFactory(name="Für alle")
    PageTemplateFactory(name="Eigene Vorlage", organisation=space.organisation)
    PageTemplateFactory(name="Fremde Vorlage", organisation=other_organisation)
    client.force_login(member)
    text = client.get("/wiki/lindenhof/new/").text
    assert "Für alle" in text and "Eigene Vorlage" in text and "Fremde Vorlage" not in text


@pytest.mark.parametrize("data, field, message", [
    ({"title": "", "text": "x"}, "title", "This field is required."),
    ({"title": "Über uns", "text": "x"}, "title", "A page called “Über uns” already exists in this space."),
    ({"title": "ÜBER UNS", "text": "x"}, "title", "A page called “Über uns” already exists in this space."),
    ({"title": "Neu", "text": "x" * 100_001}, "text",
     "The text is too long: at most 100,000 characters, yours has 100,001."),
    ({"title": "Neu", "text": "   "}, "text", "Write something on the page before saving."),
    ({"title": "[[Neu]]", "text": "x"}, "title", "A title cannot contain square brackets [ ] or a vertical bar |."),
])
def test_bad_input_on_create_is_explained_at_the_field(client, member, page, data, field, message):
    client.force_login(member)
    before = (Page.objects.count(), Revision.objects.count(), Activity.objects.count())
    response = client.post("/wiki/lindenhof/new/", data)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    assert re.search(rf'<(input|textarea)[^>]*aria-describedby="[^"]*id_{field}_error', response.text)
    assert "Nothing has been saved yet." in response.text
    assert (Page.objects.count(), Revision.objects.count(), Activity.objects.count()) == before


# --- editing and the merge screen ------------------------------------------------------------------

def edit_data(page, text, base, **extra):
    return {"title": page.title, "text": text, "summary": "", "base_revision": base, **extra}


def test_edit_saves_a_revision_and_records_the_session(client, page, member, space):
    other = member_of(space, display_name="Aylin Demir")
    client.force_login(other)
    client.get(url(page, "edit"))
    client.force_login(member)
    form = client.get(url(page, "edit")).text
    assert "Aylin Demir" in form and "Also opened this page for editing" in form
    assert 'name="base_revision" value="1"' in form
    response = client.post(url(page, "edit"), edit_data(page, "Kürzer.", 1, summary="gekürzt"))
    assert response.status_code == 302 and response.url == url(page)
    assert page.revisions.get(number=2).summary == "gekürzt"


def test_preview_saves_nothing(client, page, member):
    client.force_login(member)
    response = client.post(url(page, "edit"), edit_data(page, "**Vorschau** [[Über uns]]", 1, preview="1"))
    assert response.status_code == 200
    assert "<strong>Vorschau</strong>" in response.text and "Preview (not saved yet)" in response.text
    assert page.revisions.count() == 1


def test_a_stale_save_gets_the_merge_screen_and_keeps_my_text(client, page, member, space):
    base = page.current_revision.text
    edit(page, member_of(space, display_name="Aylin Demir"), base.replace("Das Team.", "Das ganze Team."))
    client.force_login(member)
    mine = base.replace("Siehe [[Telefonliste]].", "Siehe [[Telefonliste]] und Aushang.")
    response = client.post(url(page, "edit"), edit_data(page, mine, 1, summary="Aushang"))
    assert response.status_code == 409
    text = response.text
    assert "While you were editing, Aylin Demir saved revision 2" in text
    assert "do not overlap, so they have been merged" in text
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
    assert "Das ganze Team." in textarea and "und Aushang." in textarea
    assert 'name="base_revision" value="2"' in text and 'value="Aushang"' in text
    assert page.revisions.count() == 2  # nothing saved
    merged = textarea.replace("&#x27;", "'").replace("&quot;", '"').lstrip("\n")
    assert client.post(url(page, "edit"), edit_data(page, merged, 2)).status_code == 302
    assert page.revisions.count() == 3


def test_overlapping_changes_are_shown_side_by_side(client, page, member, space):
    base = page.current_revision.text
    edit(page, member_of(space), base.replace("Das Team.", "Das Team (ihre Fassung)."))
    client.force_login(member)
    response = client.post(url(page, "edit"), edit_data(page, base.replace("Das Team.", "Das Team (meine)."), 1))
    assert response.status_code == 409
    text = response.text
    assert "In 1 place you both changed the same lines." in text
    conflict = text[text.index("Places changed on both sides"):text.index("Merged text to save")]
    assert "Where you started (revision 1)" in conflict and "Their version (revision 2)" in conflict
    assert "Das Team (ihre Fassung)." in conflict and "Das Team (meine)." in conflict
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
    assert "Das Team (meine)." in textarea and "ihre Fassung" not in textarea


def test_renaming_through_the_form_redirects_old_addresses(client, page, member):
    client.force_login(member)
    data = edit_data(page, page.current_revision.text, 1)
    data["title"] = "Über den Lindenhof"
    response = client.post(url(page, "edit"), data)
    assert response.url == "/wiki/lindenhof/ueber-den-lindenhof/"
    old = client.get("/wiki/lindenhof/ueber-uns/history/?page=1")
    assert old.status_code == 301 and old.url == "/wiki/lindenhof/ueber-den-lindenhof/history/?page=1"
    assert PageRedirect.objects.get().old_slug == "ueber-uns"


# --- German addresses ---------------------------------------------------------------------------------

def test_umlaut_addresses_lead_to_the_transliterated_page(client, page):
    for typed in ["/wiki/lindenhof/über-uns/", f"/wiki/lindenhof/{quote('Über uns')}/", "/wiki/lindenhof/Ueber-Uns/"]:
        response = client.get(typed)
        assert response.status_code == 301 and response.url == "/wiki/lindenhof/ueber-uns/", typed


def test_pages_with_unicode_slugs_work(client, space, member):
    page = services.page_create(space=space, author=member, title="مرحبا بكم", text="أهلا")
    assert page.slug == "مرحبا-بكم"
    address = f"/wiki/lindenhof/{quote(page.slug)}/"
    assert page.get_absolute_url() == address
    assert client.get(address).status_code == 200
    linking = PageFactory(space=space, text="[[مرحبا بكم]]")
    assert f'href="{address}"' in linking.html


def test_a_missing_page_offers_to_create_it(client, space, member):
    assert client.get("/wiki/lindenhof/gibt-es-nicht/").status_code == 404
    client.force_login(member)
    response = client.get("/wiki/lindenhof/gibt-es-nicht/")
    assert response.status_code == 404 and "/wiki/lindenhof/new/" in response.text
    assert client.get("/wiki/nirgendwo/").status_code == 404


# --- history, diff, revert --------------------------------------------------------------------------

def test_history_and_diff(client, page, member):
    edit(page, member, page.current_revision.text.replace("Das Team.", "Das ganze Team."), summary="präziser")
    history = client.get(url(page, "history")).text
    assert "präziser" in history and 'name="from" value="1"' in history
    diff = client.get(url(page, "diff")).text  # defaults: the latest change
    assert re.search(r"<ins>\s*ganze\s*</ins>", diff) and '<tr class="diff-removed">' in diff
    assert "Revision 1" in diff and "Revision 2" in diff
    assert client.get(url(page, "diff") + "?from=2&to=1").status_code == 200  # either order
    assert client.get(url(page, "diff") + "?from=1&to=1").status_code == 400
    assert client.get(url(page, "diff") + "?from=x&to=2").status_code == 400
    assert client.get(url(page, "diff") + "?from=1&to=99").status_code == 404


def test_revert_through_the_form(client, page, member, space):
    edit(page, member, "Verwüstet.")
    client.force_login(member)
    confirm = client.get(url(page, "revert/1")).text
    assert 'name="base_revision" value="2"' in confirm
    response = client.post(url(page, "revert/1"), {"base_revision": 2, "reason": "Vandalismus"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_revision.reverted_to == 1 and "Das Team." in page.html
    assert "Reverted to revision 1" in client.get(url(page, "history")).text
    stale = client.post(url(page, "revert/2"), {"base_revision": 2})
    assert stale.status_code == 400 and "has changed since you opened" in stale.text
    other = PageFactory(space=space, title="Andere")
    edit(other, member, "x")
    edit(other, member, "y")
    assert client.post(url(page, "revert/9"), {"base_revision": 3}).status_code == 404
    assert page.revisions.count() == 3


# --- watching and handover ---------------------------------------------------------------------------

def test_watch_and_unwatch(client, page, member, space):
    client.force_login(member)
    assert client.post(url(page, "watch"), {"watch": "1"}).status_code == 302
    assert "Stop watching" in client.get(url(page)).text
    client.post("/wiki/lindenhof/watch/", {"watch": "1"})
    assert Watch.objects.filter(user=member).count() == 2
    client.post(url(page, "watch"), {"watch": "0"})
    client.post("/wiki/lindenhof/watch/", {"watch": "0"})
    assert not Watch.objects.exists()
    assert client.get(url(page, "watch")).status_code == 405


def test_handover_list_for_staff(client, space, organisation, staff):
    leaver = MembershipFactory(organisation=organisation, role="volunteer", user__display_name="Paul Wagner")
    stays = MembershipFactory(organisation=organisation, role="volunteer", user__display_name="Hans Lehmann")
    orphan = PageFactory(space=space, title="Werkzeugliste", author=leaver.user)
    stakeholder_services.membership_leave(membership=leaver, user=leaver.user)
    client.force_login(stays.user)
    assert client.get("/wiki/lindenhof/handover/").status_code == 403
    client.force_login(staff)
    listing = client.get("/wiki/lindenhof/handover/").text
    assert "Werkzeugliste" in listing and "looked after by Paul Wagner" in listing
    assert client.post("/wiki/lindenhof/handover/", {"owner": stays.user.pk}).status_code == 400
    response = client.post("/wiki/lindenhof/handover/", {"pages": [orphan.pk], "owner": stays.user.pk})
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert orphan.owner == stays.user
    assert "No pages need a new owner." in client.get("/wiki/lindenhof/handover/").text


def test_review_list(client, space, page):
    from datetime import timedelta

    from django.utils import timezone

    Page.objects.filter(pk=page.pk).update(last_edited_at=timezone.now() - timedelta(days=400))
    assert "Über uns" in client.get("/wiki/lindenhof/review/").text
    assert "Nobody has edited this page for more than a year" in client.get(url(page)).text


# --- search -----------------------------------------------------------------------------------------

def test_search_shows_highlighted_snippets(client, space, member):
    services.page_create(space=space, author=member, title="Fahrradwerkstatt",
                         text="Samstags reparieren wir Fahrräder zusammen mit den Gästen.")
    query = "Fahrräder" if connection.vendor == "sqlite" else "Fahrrad"
    text = client.get("/wiki/search/", {"q": query}).text
    assert "1 page found" in text and "Fahrradwerkstatt" in text
    assert re.search(r"<mark>Fahrr(ä|&auml;)der</mark>", text)
    assert "Try other words" in client.get("/wiki/search/", {"q": "Unauffindbar"}).text


def test_a_search_with_very_many_matches_says_more_than_and_pages_on(client, space, member, monkeypatch):
    from wiki.views import spaces

    monkeypatch.setattr(spaces, "SEARCH_COUNT_CAP", 25)
    for number in range(45):
        services.page_create(space=space, author=member, title=f"Fahrradwerkstatt {number:02d}",
                             text="Samstags reparieren wir Fahrräder.")
    first = client.get("/wiki/search/", {"q": "Fahrradwerkstatt"}).text
    assert "More than 25 pages found" in first and 'rel="next"' in first
    third = client.get("/wiki/search/", {"q": "Fahrradwerkstatt", "page": 3}).text
    assert third.count('<li>\n          <h3><a href="/wiki/') == 5 and 'rel="next"' not in third
    assert "Fahrradwerkstatt" in client.get("/wiki/search/", {"q": "Fahrradwerkstatt", "page": "abc"}).text
    monkeypatch.setattr(spaces, "SEARCH_COUNT_CAP", 1000)
    assert "45 pages found" in client.get("/wiki/search/", {"q": "Fahrradwerkstatt"}).text


# --- query counts do not grow ------------------------------------------------------------------------

def fill(space, size):
    author = member_of(space)
    target = services.page_create(space=space, author=author, title="Ziel", text="Ziel.")
    target.space = space
    for number in range(size):
        services.page_create(space=space, author=author, title=f"Seite {number}",
                             text=f"Verweis auf [[Ziel]] und [[Fehlt {number}]]. Fahrrad {number}.")
    for number in range(size):
        edit(target, author, f"Ziel, Fassung {number}. Fahrrad.", summary=f"Änderung {number}")
    return target


@pytest.mark.parametrize("size", [3, 60])
def test_queries_do_not_grow(client, space, size, django_assert_max_num_queries):
    target = fill(space, size)
    reader = member_of(space)
    addresses = {
        url(target): (2, 5), url(target, "history"): (3, 6), url(target, "diff"): (2, 5),
        f"{url(target, 'diff')}?from=1&to={size + 1}": (2, 5), url(target, "backlinks"): (3, 6),
        "/wiki/lindenhof/": (4, 8), "/wiki/lindenhof/changes/": (3, 6), "/wiki/changes/": (2, 5),
        "/wiki/search/?q=Fahrrad": (2, 5), "/wiki/": (1, 3),
    }
    for address, (anonymous, signed_in) in addresses.items():
        client.logout()
        with django_assert_max_num_queries(anonymous):
            assert client.get(address).status_code == 200, address
        client.force_login(reader)
        with django_assert_max_num_queries(signed_in):
            assert client.get(address).status_code == 200, address
    client.force_login(reader)
    with django_assert_max_num_queries(8):
        assert client.get(url(target, "edit")).status_code == 200


def test_an_edit_posted_to_the_old_address_after_a_rename_is_merged_not_lost(client, page, member, space):
    base = page.current_revision.text
    edit(page, member_of(space), base, title="Über den Lindenhof")  # renamed while Hans edits
    client.force_login(member)
    response = client.post("/wiki/lindenhof/ueber-uns/edit/", edit_data(page, base + "\n\nMeine Ergänzung.", 1))
    assert response.status_code == 409
    assert 'value="Über den Lindenhof"' in response.text  # their rename is kept, not undone
    assert "Meine Ergänzung." in re.search(r"<textarea[^>]*>(.*?)</textarea>", response.text, re.S).group(1)
