"""The open data API: organisations, calls and proposals; paging, filters, limits, schema and docs."""
import json

import pytest
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from coproduction.modes import cell_for
from proposals import services as proposal_services
from proposals.filters import ProposalFilter
from proposals.models import Proposal
from tests.proposals.factories import CallFactory, CategoryFactory, ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.api.support import get, ids

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/proposals/"



def test_the_root_lists_every_collection(client):
    response, data = get(client, "/api/v1/")
    assert response.status_code == 200
    assert {"organisations", "calls", "proposals"} <= set(data)
    assert data["proposals"].endswith(PROPOSALS)


def test_organisations_show_who_they_are_but_no_contact_addresses(client):
    partner = OrganisationFactory(slug="partner-ev", name="Partner e. V.", city="Göttingen")
    organisation = OrganisationFactory(name="Zentrum Nord", slug="zentrum-nord", city="Kassel",
                                       contact_email="leitung@zentrum.example", contact_phone="0561 111")
    organisation.partners.add(partner)
    response, data = get(client, f"/api/v1/organisations/{organisation.pk}/")
    assert response.status_code == 200
    assert data["name"] == "Zentrum Nord"
    assert data["partners"] == ["partner-ev"]
    assert data["url"] == "http://testserver/organisations/zentrum-nord/"
    body = response.content.decode()
    assert "leitung@zentrum.example" not in body and "0561 111" not in body
    _, listed = get(client, "/api/v1/organisations/?city=Kassel")
    assert ids(listed) == [organisation.pk]


def test_calls_filtered_by_organisation(client, organisation, other_organisation):
    call = CallFactory(organisation=organisation, title="Was fehlt im Viertel?")
    CallFactory(organisation=other_organisation)
    _, data = get(client, f"/api/v1/calls/?organisation={organisation.pk}")
    assert ids(data) == [call.pk]
    row = data["results"][0]
    assert row["is_open"] is True and row["organisation"]["slug"] == organisation.slug


def test_a_proposal_has_its_mode_status_counts_and_public_history(client, organisation, staff):
    category = CategoryFactory(name="Familie")
    proposal = ProposalFactory(organisation=organisation, category=category, planning="community",
                               delivery="together", title="Elterncafé")
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=Proposal.Status.UNDER_REVIEW,
                                             response="Wir prüfen Räume und Zeiten.")
    response, data = get(client, f"{PROPOSALS}{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert data["status"] == "under_review"
    assert data["mode"] == {"planning": "community", "delivery": "together", "is_coproduction": True,
                            "name": str(cell_for("community", "together").name)}
    assert data["category"] == "Familie"
    assert data["counts"] == {"supports": 0, "comments": 0, "pledges": 0}
    assert data["history"] == [{"from_status": "published", "to_status": "under_review",
                                "response": "Wir prüfen Räume und Zeiten.", "created_at": data["history"][0]["created_at"]}]
    assert data["url"] == f"http://testserver/proposals/{proposal.pk}/"
    assert staff.display_name not in response.content.decode()


def test_mode_names_follow_the_requested_language(client):
    proposal = ProposalFactory(planning="professionals", delivery="professionals")
    _, english = get(client, f"{PROPOSALS}{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    _, german = get(client, f"{PROPOSALS}{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert english["mode"]["name"] == "Traditional provision"
    assert german["mode"]["name"] != english["mode"]["name"]
    assert english["mode"]["is_coproduction"] is False


def test_counters_are_the_kept_ones(client, person):
    proposal = ProposalFactory()
    proposal_services.proposal_support(proposal=proposal, user=person)
    _, data = get(client, f"{PROPOSALS}{proposal.pk}/")
    assert data["counts"]["supports"] == 1


def test_drafts_and_hidden_proposals_never_appear_not_even_to_their_author(client):
    author = UserFactory()
    public = ProposalFactory(author=author)
    draft = ProposalFactory(author=author, draft=True)
    hidden = ProposalFactory(author=author, is_hidden=True, hidden_reason="Beleidigend")
    for login in (None, author):
        if login:
            client.force_login(login)
        _, data = get(client, PROPOSALS)
        assert ids(data) == [public.pk]
        for private in (draft, hidden):
            assert get(client, f"{PROPOSALS}{private.pk}/")[0].status_code == 404


def test_filters_are_those_of_the_list_page(client, organisation, other_organisation):
    wanted = [ProposalFactory(organisation=organisation, planning="together", delivery="community",
                              district="Nordstadt") for _ in range(3)]
    ProposalFactory(organisation=organisation, planning="professionals", delivery="community", district="Nordstadt")
    ProposalFactory(organisation=other_organisation, planning="together", delivery="community", district="Nordstadt")
    query = {"organisation": organisation.pk, "planning": "together", "district": "nord", "ordering": "newest"}
    page_ids = [p.pk for p in ProposalFilter(query, queryset=Proposal.objects.published()).qs]
    _, data = get(client, PROPOSALS + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert ids(data) == page_ids == [p.pk for p in reversed(wanted)]


def test_ordering_by_support(client):
    few, many = ProposalFactory(support_count=1), ProposalFactory(support_count=9)
    _, data = get(client, f"{PROPOSALS}?ordering=supported")
    assert ids(data) == [many.pk, few.pk]


def test_text_search(client):
    bike = ProposalFactory(title="Fahrradwerkstatt im Hof")
    ProposalFactory(title="Lesecafé")
    _, data = get(client, f"{PROPOSALS}?q=Fahrradwerkstatt")
    assert ids(data) == [bike.pk]


@pytest.mark.parametrize("query, field", [
    ("status=draft", "status"),  # drafts are not a public status
    ("status=unknown", "status"),
    ("planning=everyone", "planning"),
    ("organisation=abc", "organisation"),
    ("organisation=999999", "organisation"),
    ("ordering=random", "ordering"),
    ("q=%00", "q"),
])
def test_bad_filters_are_refused_with_a_reason(client, query, field):
    response, data = get(client, f"{PROPOSALS}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert field in data and data[field][0]


def test_pages_are_capped_and_linked(client):
    for _ in range(3):
        ProposalFactory()
    _, data = get(client, f"{PROPOSALS}?page_size=2")
    assert data["count"] == 3 and len(data["results"]) == 2 and "page=2" in data["next"]
    _, last = get(client, data["next"])
    assert len(last["results"]) == 1 and last["next"] is None
    assert get(client, f"{PROPOSALS}?page=9")[0].status_code == 404
    _, capped = get(client, f"{PROPOSALS}?page_size=1000")
    assert len(capped["results"]) == 3


@pytest.mark.parametrize("url", [PROPOSALS, "/api/v1/organisations/", "/api/v1/calls/"])
def test_the_api_only_reads(client, url, person):
    client.force_login(person)
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url, {}, content_type="application/json").status_code in (403, 405)


def test_unknown_ids_are_404(client):
    assert get(client, f"{PROPOSALS}123456789/")[0].status_code == 404
    assert get(client, f"{PROPOSALS}99999999999999999999/")[0].status_code == 404
    assert client.get(f"{PROPOSALS}abc/").status_code == 404


def test_every_address_has_a_rate_limit(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get(PROPOSALS, REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(PROPOSALS, REMOTE_ADDR="192.0.2.1")
    assert int(refused["Retry-After"]) > 0
    assert client.get(PROPOSALS, REMOTE_ADDR="192.0.2.2").status_code == 200  # another address is not affected


def test_a_session_does_not_lift_the_limit(client, monkeypatch, superuser):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    client.force_login(superuser)
    statuses = [client.get(PROPOSALS, REMOTE_ADDR="192.0.2.9").status_code for _ in range(3)]
    assert statuses[-1] == 429


@pytest.mark.parametrize("size", [5, 40])
def test_list_and_detail_queries_do_not_grow_with_data(client, django_assert_max_num_queries, size):
    organisation = OrganisationFactory()
    partner = OrganisationFactory()
    for _ in range(size):
        proposal = ProposalFactory(organisation=organisation, category=CategoryFactory())
        proposal.partner_organisations.add(partner)
    with django_assert_max_num_queries(3):  # page count, page, nothing per row
        response = client.get(f"{PROPOSALS}?page_size=100")
    assert len(response.json()["results"]) == size
    with django_assert_max_num_queries(3):  # proposal, partners, history
        assert client.get(f"{PROPOSALS}{proposal.pk}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/v1/organisations/?organisation={organisation.pk}").status_code == 200


def test_schema_is_openapi_3_and_lists_every_collection(client):
    response = client.get(reverse("api_schema") + "?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/proposals/", "/api/v1/proposals/{id}/", "/api/v1/organisations/", "/api/v1/calls/"} \
        <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"q", "organisation", "call", "status", "planning", "delivery", "category", "district", "ordering",
            "page", "page_size"} <= parameters


def test_the_docs_page_explains_every_endpoint_in_both_languages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("api_docs"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open data API" in page and "/api/v1/proposals/{id}/" in page and 'href="/api/schema/"' in page
    assert "ordering" in page and "supported" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = client.get(reverse("api_docs")).content.decode()
    assert "Offene Daten" in german
    assert "<script" not in page.split("</header>", 1)[1]  # the page needs no scripts


def test_members_of_an_organisation_get_the_same_public_data(client, organisation):
    ProposalFactory(organisation=organisation)
    ProposalFactory(organisation=organisation, draft=True)
    anonymous = client.get(PROPOSALS).content
    member = MembershipFactory(organisation=organisation, role="staff").user
    client.force_login(member)
    assert client.get(PROPOSALS).content == anonymous


def test_totals_from_kept_counts_agree_with_counting(client, staff, organisation,
                                                     django_capture_on_commit_callbacks):
    together = [ProposalFactory(organisation=organisation, planning="together", delivery="community")
                for _ in range(3)]
    ProposalFactory(organisation=organisation, planning="professionals", delivery="community")
    ProposalFactory(organisation=organisation, draft=True, planning="together", delivery="community")
    assert get(client, PROPOSALS)[1]["count"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.content_set_hidden(target=together[0], moderator=staff, hidden=True, reason="Werbung")
    assert get(client, PROPOSALS)[1]["count"] == 3
    assert get(client, f"{PROPOSALS}?planning=together")[1]["count"] == 2
    assert get(client, f"{PROPOSALS}?planning=together&delivery=professionals")[1]["count"] == 0
    assert get(client, f"{PROPOSALS}?planning=together&organisation={organisation.pk}")[1]["count"] == 2


def test_describing_the_api_leaves_the_pages_filters_working(client):
    """The schema reads the filters the pages share with the API; the pages' choices stay theirs."""
    assert client.get(reverse("api_schema")).status_code == 200
    OrganisationFactory(name="Pflegeverein Süd", city="Göttingen")
    OrganisationFactory(name="Jugendtreff Nord", city="Kassel")
    page = client.get("/organisations/", {"city": "Göttingen"}, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Pflegeverein Süd" in page and "Jugendtreff Nord" not in page
    assert '<option value="Kassel">Kassel</option>' in page
