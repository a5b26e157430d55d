"""The wiki back office: staff see their organisations' spaces, pages and revisions; superusers all."""
import pytest

from notifications.models import Activity
from tests.stakeholders.factories import MembershipFactory, UserFactory
from wiki.models import Page, PageTemplate, Revision, Space

from .factories import PageFactory, PageTemplateFactory, SpaceFactory, edit

pytestmark = pytest.mark.django_db
ADMIN = "/admin/wiki"


@pytest.fixture
def own(organisation):
    space = SpaceFactory(organisation=organisation, name="Eigener Wissensraum")
    page = PageFactory(space=space, title="Eigene Seite")
    edit(page, page.owner, "Eigene Änderung", summary="Eigene Zusammenfassung")
    PageTemplateFactory(organisation=organisation, name="Eigene Vorlage")
    return {"space": space, "page": page}


@pytest.fixture
def foreign(other_organisation):
    space = SpaceFactory(organisation=other_organisation, name="Fremder Wissensraum")
    page = PageFactory(space=space, title="Fremde Seite")
    edit(page, page.owner, "Fremde Änderung", summary="Fremde Zusammenfassung")
    PageTemplateFactory(organisation=other_organisation, name="Fremde Vorlage")
    return {"space": space, "page": page}


@pytest.fixture
def shared(superuser):
    space = SpaceFactory(organisation=None, name="Gemeinsamer Raum", editors=Space.Editors.SIGNED_IN)
    PageFactory(space=space, title="Gemeinsame Seite", author=superuser)
    PageTemplateFactory(name="Vorlage für alle")
    return space


LISTS = [("space", "Eigener Wissensraum", ["Fremder Wissensraum", "Gemeinsamer Raum"]),
         ("page", "Eigene Seite", ["Fremde Seite", "Gemeinsame Seite"]),
         ("revision", "Eigene Zusammenfassung", ["Fremde Zusammenfassung", "Gemeinsame Seite"]),
         ("pagetemplate", "Eigene Vorlage", ["Fremde Vorlage", "Vorlage für alle"])]


@pytest.mark.parametrize("model, mine, theirs", LISTS)
def test_staff_see_only_their_organisations_objects(client, staff, own, foreign, shared, model, mine, theirs):
    client.force_login(staff)
    text = client.get(f"{ADMIN}/{model}/").text
    assert mine in text and not any(other in text for other in theirs)


@pytest.mark.parametrize("model, mine, theirs", LISTS)
def test_superusers_see_everything(client, superuser, own, foreign, shared, model, mine, theirs):
    client.force_login(superuser)
    text = client.get(f"{ADMIN}/{model}/").text
    assert mine in text and all(other in text for other in theirs)


def test_other_organisations_objects_cannot_be_opened_by_address(client, staff, own, foreign, shared):
    client.force_login(staff)
    for obj, model in [(foreign["space"], "space"), (foreign["page"], "page"), (shared, "space"),
                       (Revision.objects.get(summary="Fremde Zusammenfassung"), "revision")]:
        response = client.get(f"{ADMIN}/{model}/{obj.pk}/change/")
        assert response.status_code == 302 and response.url == "/admin/", model  # "does not exist"
    assert client.get(f"{ADMIN}/page/{own['page'].pk}/change/").status_code == 200


def test_people_without_a_staff_role_have_no_wiki_back_office(client, own, organisation):
    client.force_login(MembershipFactory(organisation=organisation, role="volunteer", user__is_staff=True).user)
    assert client.get(f"{ADMIN}/page/").status_code == 403


def test_revisions_are_read_only(client, staff, own):
    client.force_login(staff)
    revision = Revision.objects.get(summary="Eigene Zusammenfassung")
    response = client.post(f"{ADMIN}/revision/{revision.pk}/change/", {"summary": "gefälscht"})
    assert response.status_code == 403
    assert Revision.objects.get(pk=revision.pk).summary == "Eigene Zusammenfassung"


def test_staff_hand_over_a_page_in_the_admin(client, staff, own, organisation):
    page = own["page"]
    new_owner = MembershipFactory(organisation=organisation, role="citizen").user
    client.force_login(staff)
    response = client.post(f"{ADMIN}/page/{page.pk}/change/", {"owner": new_owner.pk, "redirects-TOTAL_FORMS": 0,
                                                              "redirects-INITIAL_FORMS": 0})
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).owner == new_owner
    assert Activity.objects.for_target(page).filter(verb="page.handed_over").exists()
    outsider = UserFactory()
    response = client.post(f"{ADMIN}/page/{page.pk}/change/", {"owner": outsider.pk, "redirects-TOTAL_FORMS": 0,
                                                              "redirects-INITIAL_FORMS": 0})
    assert response.status_code == 200 and Page.objects.get(pk=page.pk).owner == new_owner


def test_staff_add_a_space_only_for_their_organisation(client, staff, organisation, other_organisation):
    client.force_login(staff)
    data = {"name": "Zweiter Raum", "slug": "zweiter-raum", "visibility": "members", "editors": "staff",
            "description": ""}
    assert client.post(f"{ADMIN}/space/add/", {**data, "organisation": ""}).status_code == 200
    assert client.post(f"{ADMIN}/space/add/", {**data, "organisation": other_organisation.pk}).status_code == 200
    assert not Space.objects.filter(slug="zweiter-raum").exists()
    assert client.post(f"{ADMIN}/space/add/", {**data, "organisation": organisation.pk}).status_code == 302
    assert Space.objects.get(slug="zweiter-raum").organisation == organisation


def test_reserved_space_addresses_are_refused(client, superuser):
    client.force_login(superuser)
    response = client.post(f"{ADMIN}/space/add/", {"name": "Suche", "slug": "search", "visibility": "public",
                                                   "editors": "members", "organisation": ""})
    assert response.status_code == 200 and not Space.objects.filter(slug="search").exists()


def test_templates_for_everyone_are_for_superusers(client, staff, organisation):
    client.force_login(staff)
    data = {"name": "Neue Vorlage", "slug": "neue-vorlage", "description": "", "text": "## Text", "position": 0}
    assert client.post(f"{ADMIN}/pagetemplate/add/", {**data, "organisation": ""}).status_code == 200
    assert client.post(f"{ADMIN}/pagetemplate/add/", {**data, "organisation": organisation.pk}).status_code == 302
    assert PageTemplate.objects.get(slug="neue-vorlage").organisation == organisation


def test_superusers_delete_pages_and_links_turn_red_again(client, superuser, organisation):
    space = SpaceFactory(organisation=organisation)
    target = PageFactory(space=space, title="Ziel")
    linking = PageFactory(space=space, title="Quelle", text="Siehe [[Ziel]].")
    assert "wikilink-missing" not in linking.html
    client.force_login(superuser)
    response = client.post(f"{ADMIN}/page/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Page.objects.filter(pk=target.pk).exists()
    linking.refresh_from_db()
    assert "wikilink-missing" in linking.html
    assert Space.objects.get(pk=space.pk).page_count == 1


def test_staff_cannot_delete_pages(client, staff, own):
    client.force_login(staff)
    assert client.post(f"{ADMIN}/page/{own['page'].pk}/delete/", {"post": "yes"}).status_code == 403
    assert Page.objects.filter(pk=own["page"].pk).exists()
