"""The wiki in the open data API: public spaces and their pages only, and nobody who wrote them."""
import pytest

from tests.stakeholders.factories import OrganisationFactory, UserFactory
from tests.wiki.factories import PageFactory, SpaceFactory, edit, member_of
from wiki.models import Space
from tests.api.support import get, ids

pytestmark = pytest.mark.django_db


SPACES = "/api/v1/wiki-spaces/"
PAGES = "/api/v1/wiki-pages/"


@pytest.fixture
def spaces(organisation):
    """A public space of the organisation, a members-only one, the public shared space and a shared
    space for signed-in people only."""
    return {
        "public": SpaceFactory(organisation=organisation, name="A Öffentlich", slug="oeffentlich"),
        "members": SpaceFactory(organisation=organisation, name="B Intern", slug="intern",
                                visibility=Space.Visibility.MEMBERS),
        "shared": SpaceFactory(organisation=None, name="C Gemeinsam", slug="gemeinsam"),
        "signed_in": SpaceFactory(organisation=None, name="D Angemeldete", slug="angemeldete",
                                  visibility=Space.Visibility.MEMBERS),
    }


@pytest.fixture
def pages(spaces):
    return {name: PageFactory(space=space, title=f"Übergabe {name}", text=f"Geheimnis {name}")
            for name, space in spaces.items()}


def test_only_public_spaces_are_listed(client, spaces, pages, organisation):
    response, data = get(client, SPACES)
    assert response.status_code == 200
    assert ids(data) == [spaces["public"].pk, spaces["shared"].pk]
    assert data["results"][0] == {
        "id": spaces["public"].pk, "slug": "oeffentlich", "name": "A Öffentlich", "description": "",
        "organisation": {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name},
        "page_count": 1, "url": "http://testserver/wiki/oeffentlich/",
    }
    assert data["results"][1]["organisation"] is None
    for name in ("members", "signed_in"):
        assert get(client, f"{SPACES}{spaces[name].pk}/")[0].status_code == 404


def test_only_pages_of_public_spaces_are_listed(client, spaces, pages):
    response, data = get(client, PAGES)
    assert ids(data) == [pages["public"].pk, pages["shared"].pk]
    row = data["results"][0]
    assert row == {
        "id": pages["public"].pk, "title": "Übergabe public", "slug": pages["public"].slug,
        "space": {"id": spaces["public"].pk, "slug": "oeffentlich", "name": "A Öffentlich"},
        "updated_at": row["updated_at"], "url": f"http://testserver/wiki/oeffentlich/{pages['public'].slug}/",
    }
    body = response.content.decode()
    assert "Übergabe members" not in body and "Übergabe signed_in" not in body
    for name in ("members", "signed_in"):
        assert get(client, f"{PAGES}{pages[name].pk}/")[0].status_code == 404


@pytest.mark.parametrize("who", ["member", "staff", "superuser"])
def test_signing_in_shows_nothing_more(client, spaces, pages, staff, superuser, who):
    user = {"member": lambda: member_of(spaces["members"]), "staff": lambda: staff,
            "superuser": lambda: superuser}[who]()
    client.force_login(user)
    assert ids(get(client, SPACES)[1]) == [spaces["public"].pk, spaces["shared"].pk]
    assert ids(get(client, PAGES)[1]) == [pages["public"].pk, pages["shared"].pk]
    assert get(client, f"{PAGES}{pages['members'].pk}/")[0].status_code == 404
    assert get(client, PAGES, {"space": spaces["members"].pk})[0].status_code == 400


def test_a_page_gives_its_current_text_and_safe_html_but_no_authors(client, spaces):
    space = spaces["public"]
    author, editor = member_of(space, display_name="Autorin Anke"), member_of(space, display_name="Editor Emil")
    page = PageFactory(space=space, title="Ablauf", author=author,
                       text="## Ablauf\n\nErst [[Kasse]], dann **Ausgabe**.\n\n<script>alert(1)</script>")
    edit(page, editor, "## Ablauf\n\nErst [[Kasse]], dann **Ausgabe**.\n\n<script>alert(1)</script>\n\nNeu.",
         summary="Ergänzt von Emil")
    response, data = get(client, f"{PAGES}{page.pk}/")
    assert response.status_code == 200
    assert data["text"].endswith("Neu.") and data["text"].startswith("## Ablauf")
    assert "<strong>Ausgabe</strong>" in data["html"] and "<script>" not in data["html"]
    assert 'class="wikilink-missing"' in data["html"]
    assert set(data) == {"id", "title", "slug", "space", "text", "html", "updated_at", "url"}
    body = response.content.decode()
    for person in (author, editor):
        assert person.display_name not in body and person.email not in body
    assert "Ergänzt von Emil" not in body


def test_missing_page_notes_follow_the_requested_language(client, spaces):
    """As on the page: a link to a page not written yet carries a note for screen readers."""
    page = PageFactory(space=spaces["public"], text="Siehe [[Fehlt noch]].")
    response = client.get(f"{PAGES}{page.pk}/", HTTP_ACCEPT="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    html = response.json()["html"]
    assert '<span class="visually-hidden"> (page does not exist yet)</span>' in html
    assert '<span class="wikilink-note"></span>' not in html


def test_page_filters(client, spaces, pages, other_organisation):
    other = SpaceFactory(organisation=other_organisation)
    elsewhere = PageFactory(space=other)
    assert ids(get(client, PAGES, {"space": spaces["public"].pk})[1]) == [pages["public"].pk]
    assert ids(get(client, PAGES, {"organisation": other_organisation.pk})[1]) == [elsewhere.pk]
    assert ids(get(client, SPACES, {"organisation": other_organisation.pk})[1]) == [other.pk]


@pytest.mark.parametrize("url, params", [
    (PAGES, {"space": "x"}), (PAGES, {"space": 999999}), (PAGES, {"organisation": "x"}),
    (SPACES, {"organisation": 999999}),
])
def test_bad_filters_are_refused(client, spaces, url, params):
    assert get(client, url, params)[0].status_code == 400


def test_unknown_ids_are_not_found(client, pages):
    for path in [f"{PAGES}999999/", f"{SPACES}999999/", f"{PAGES}{pages['public'].slug}/"]:
        assert get(client, path)[0].status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_queries_do_not_grow(client, django_assert_max_num_queries, size):
    page = None
    for index in range(size):
        visibility = Space.Visibility.MEMBERS if index % 3 == 2 else Space.Visibility.PUBLIC
        space = SpaceFactory(organisation=OrganisationFactory(), visibility=visibility)
        for _ in range(2):
            page = PageFactory(space=space, text="Text mit [[Link]].\n" * 20)
            edit(page, UserFactory(is_superuser=True), "Neuer Text.\n")
    public_page = PageFactory(space=SpaceFactory())
    # count + rows, + one lookup per chosen filter value
    cases = [(SPACES, {}, 2), (PAGES, {}, 2), (PAGES, {"space": public_page.space_id}, 3),
             (f"{PAGES}{public_page.pk}/", {}, 1), (f"{SPACES}{public_page.space_id}/", {}, 1)]
    for url, params, queries in cases:
        with django_assert_max_num_queries(queries):
            response, _data = get(client, url, {"page_size": 100, **params})
        assert response.status_code == 200, (url, params)
    public = size - size // 3
    assert get(client, SPACES, {"page_size": 100})[1]["count"] == public + 1
    assert get(client, PAGES, {"page_size": 100})[1]["count"] == 2 * public + 1
    assert page is not None
