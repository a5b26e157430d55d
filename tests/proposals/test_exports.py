"""Proposals as open data (CSV and JSON): the list page's filters, only public proposals, no person named,
safe for spreadsheets, streamed with the same number of queries at any size."""
import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from proposals import exports
from proposals.models import Channel, Proposal
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import CallFactory, CategoryFactory, ProposalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = Proposal.Status
CSV_URL, JSON_URL = "/proposals/export.csv", "/proposals/export.json"

AUTHOR_NAME, AUTHOR_EMAIL, AUTHOR_PHONE = "Wilhelmine Quastenberg", "w.quastenberg@privat.example", "0561 987 6543"
HELPER_NAME, HELPER_EMAIL = "Ottokar Zwirbelbart", "ottokar.zwirbelbart@traeger.example"


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def csv_records(response):
    header, *rows = csv_rows(response)
    return [dict(zip(header, row)) for row in rows]


def json_document(response):
    return json.loads(body(response))


def exported_ids(client, params=None, url=JSON_URL):
    response = client.get(url, params or {})
    assert response.status_code == 200
    if url == JSON_URL:
        return [row["id"] for row in json_document(response)["results"]]
    return [int(row["id"]) for row in csv_records(response)]


@pytest.fixture
def author(db):
    return UserFactory(display_name=AUTHOR_NAME, email=AUTHOR_EMAIL, phone=AUTHOR_PHONE)


@pytest.fixture
def catalogue(organisation, other_organisation, author):
    """Public proposals spread over organisations, calls, categories, modes, districts and statuses,
    with different counts and dates, plus a draft and a proposal hidden by moderation."""
    now = timezone.now()
    call = CallFactory(organisation=organisation, title="Wie erreichen wir Menschen zwischen 30 und 60?")
    mobility, culture = CategoryFactory(name="Mobilität", slug="mobilitaet"), CategoryFactory(name="Kultur", slug="kultur")
    made = {
        "bike": ProposalFactory(organisation=organisation, author=author, title="Fahrradwerkstatt im Hof",
                                summary="Räder reparieren, gemeinsam und kostenlos.", category=mobility, call=call,
                                planning="community", delivery="together", district="Nordstadt",
                                estimated_cost=Decimal("2500.50"), support_count=7, comment_count=2, pledge_count=1,
                                published_at=now - timedelta(days=3), last_activity_at=now - timedelta(hours=1)),
        "choir": ProposalFactory(organisation=organisation, author=author, title="Chor für alle Generationen",
                                 category=culture, planning="together", delivery="together", district="Südstadt",
                                 status=S.ACCEPTED, support_count=3, comment_count=9,
                                 published_at=now - timedelta(days=2), last_activity_at=now - timedelta(days=2)),
        "garden": ProposalFactory(organisation=other_organisation, author=author, title="Gemeinschaftsgarten",
                                  planning="professionals", delivery="community", district="Nordstadt-Ost",
                                  status=S.UNDER_REVIEW, support_count=12,
                                  published_at=now - timedelta(days=1), last_activity_at=now - timedelta(days=5)),
        "cafe": ProposalFactory(organisation=other_organisation, author=author, title="Erzählcafé",
                                category=culture, planning="community", delivery="community", district="",
                                status=S.REJECTED, published_at=now - timedelta(days=4), last_activity_at=now),
        "draft": ProposalFactory(organisation=organisation, author=author, title="Geheimer Entwurf", draft=True,
                                 planning="community", delivery="together"),
        "hidden": ProposalFactory(organisation=organisation, author=author, title="Versteckte Werbung",
                                  is_hidden=True, hidden_reason="Werbung", planning="community",
                                  delivery="together", category=mobility, district="Nordstadt"),
    }
    made["call"], made["mobility"], made["culture"] = call, mobility, culture
    return made


# --- what the files hold -----------------------------------------------------------------------------

def test_csv_has_a_bom_the_columns_and_one_row_per_public_proposal(client, catalogue):
    response = client.get(CSV_URL)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="proposals-{today}.csv"'
    header, *rows = csv_rows(response)
    assert header == exports.COLUMNS
    records = {row["title"]: row for row in (dict(zip(header, row)) for row in rows)}
    assert set(records) == {"Fahrradwerkstatt im Hof", "Chor für alle Generationen", "Gemeinschaftsgarten",
                            "Erzählcafé"}
    bike = catalogue["bike"]
    assert records["Fahrradwerkstatt im Hof"] == {
        "id": str(bike.pk), "url": f"http://testserver/proposals/{bike.pk}/", "title": "Fahrradwerkstatt im Hof",
        "summary": "Räder reparieren, gemeinsam und kostenlos.", "organisation": bike.organisation.name,
        "organisation_slug": bike.organisation.slug, "call": "Wie erreichen wir Menschen zwischen 30 und 60?",
        "category": "Mobilität", "district": "Nordstadt", "planning": "community", "delivery": "together",
        "mode": "Joint delivery of a community-planned service", "status": "published", "support_count": "7",
        "comment_count": "2", "pledge_count": "1", "estimated_cost": "2500.50",
        "published_at": timezone.localtime(bike.published_at).isoformat(),
        "last_activity_at": timezone.localtime(bike.last_activity_at).isoformat(),
    }
    cafe = records["Erzählcafé"]
    assert (cafe["call"], cafe["estimated_cost"], cafe["district"]) == ("", "", "")


def test_json_is_one_document_with_filters_results_and_count(client, catalogue, organisation):
    response = client.get(JSON_URL, {"organisation": organisation.pk, "district": "", "page": "2"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="proposals-{today}.json"'
    document = json_document(response)
    assert set(document) == {"generated_at", "filters", "results", "count"}
    assert document["filters"] == {"organisation": str(organisation.pk)}
    generated = timezone.datetime.fromisoformat(document["generated_at"])
    assert abs((timezone.now() - generated).total_seconds()) < 60
    assert document["count"] == len(document["results"]) == 2
    bike = next(row for row in document["results"] if row["id"] == catalogue["bike"].pk)
    assert list(bike) == exports.COLUMNS
    assert (bike["estimated_cost"], bike["support_count"], bike["category"]) == ("2500.50", 7, "Mobilität")
    choir = next(row for row in document["results"] if row["id"] == catalogue["choir"].pk)
    assert (choir["estimated_cost"], choir["call"], choir["status"]) == (None, "", "accepted")


def test_an_empty_selection_is_still_a_valid_file(client, catalogue):
    assert csv_rows(client.get(CSV_URL, {"q": "nichts passt hierzu"})) == [exports.COLUMNS]
    document = json_document(client.get(JSON_URL, {"q": "nichts passt hierzu"}))
    assert (document["results"], document["count"]) == ([], 0)


def test_the_mode_is_named_in_the_language_of_the_request(client, settings, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = {row["id"]: row for row in json_document(client.get(JSON_URL))["results"]}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = {row["id"]: row for row in json_document(client.get(JSON_URL))["results"]}
    full = catalogue["choir"].pk
    assert english[full]["mode"] == "Full co-production"
    assert german[full]["mode"] and german[full]["planning"] == english[full]["planning"] == "together"


# --- the same proposals as the list page -------------------------------------------------------------

def list_page_ids(client, params):
    """What the list page selects for these filters (all pages), without the hidden ones it lists as hidden."""
    response = client.get("/proposals/", params)
    assert response.status_code == 200
    return [proposal.pk for proposal in response.context["filter"].qs if not proposal.is_hidden]


FILTERS = [
    {},
    {"ordering": "supported"},
    {"ordering": "discussed"},
    {"ordering": "active"},
    {"status": "accepted"},
    {"planning": "community"},
    {"delivery": "together", "planning": "community"},
    {"district": "nordstadt"},
    {"q": "Fahrradwerkstatt"},
    {"organisation": "ORG"},
    {"organisation": "OTHER", "ordering": "supported"},
    {"category": "CULTURE"},
    {"call": "CALL"},
    {"category": "MOBILITY", "district": "Nord"},
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()) or "all")
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_select_what_the_list_page_selects_in_its_order(client, catalogue, organisation, other_organisation,
                                                                 params, url):
    names = {"ORG": organisation.pk, "OTHER": other_organisation.pk, "CULTURE": catalogue["culture"].pk,
             "MOBILITY": catalogue["mobility"].pk, "CALL": catalogue["call"].pk}
    params = {key: names.get(value, value) for key, value in params.items()}
    expected = list_page_ids(client, params)
    assert exported_ids(client, params, url) == expected
    assert catalogue["draft"].pk not in expected and catalogue["hidden"].pk not in expected


def test_the_filters_narrow_the_export(client, catalogue, organisation):
    assert set(exported_ids(client, {"planning": "community"})) == {catalogue["bike"].pk, catalogue["cafe"].pk}
    assert exported_ids(client, {"ordering": "supported"})[:2] == [catalogue["garden"].pk, catalogue["bike"].pk]
    assert exported_ids(client, {"organisation": organisation.pk, "status": "accepted"}) == [catalogue["choir"].pk]


# --- only what is public ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_drafts_and_hidden_proposals_never_leave(client, catalogue, author, staff, superuser, url):
    for user in (None, author, staff, superuser):   # not even for their author, staff or an operator
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for params in ({}, {"planning": "community", "delivery": "together"}, {"q": "Versteckte"}, {"q": "Entwurf"}):
            text = body(client.get(url, params))
            for secret in ("Geheimer Entwurf", "Versteckte Werbung", str(catalogue["hidden"].hidden_reason)):
                assert secret not in text
            ids = exported_ids(client, params, url)
            assert catalogue["draft"].pk not in ids and catalogue["hidden"].pk not in ids


def test_a_draft_status_filter_is_refused_not_exported(client, catalogue):
    response = client.get(CSV_URL, {"status": "draft"})
    assert response.status_code == 400
    assert "Geheimer Entwurf" not in response.content.decode()


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_no_private_person_is_named(client, catalogue, organisation, staff, url):
    helper = UserFactory(display_name=HELPER_NAME, email=HELPER_EMAIL)
    MembershipFactory(user=helper, organisation=organisation, role="staff")
    assisted = ProposalFactory(organisation=organisation, author=catalogue["bike"].author, entered_by=helper,
                               channel=Channel.PHONE, consent_recorded=True, title="Telefonisch eingereicht")
    text = body(client.get(url))
    assert "Telefonisch eingereicht" in text and organisation.name in text
    for private in (AUTHOR_NAME, AUTHOR_EMAIL, AUTHOR_PHONE, "Quastenberg", HELPER_NAME, HELPER_EMAIL,
                    "Zwirbelbart", staff.email, str(staff.display_name)):
        assert private not in text
    for key in ("author", "email", "phone", "entered_by", "channel"):
        assert key not in exports.COLUMNS
    assert assisted.pk in exported_ids(client, {}, url)


# --- safe for spreadsheets -----------------------------------------------------------------------------

DANGEROUS = ["=HYPERLINK(\"http://evil.example\";\"Klick\")", "+49 561 123", "-2+3", "@SUMME(A1:A9)",
             "\tTabulator", "\rWagenrücklauf"]


def test_cells_a_spreadsheet_would_run_get_an_apostrophe(client, organisation):
    made = [ProposalFactory(organisation=organisation, title=value, summary=value, district=value)
            for value in DANGEROUS]
    records = {int(row["id"]): row for row in csv_records(client.get(CSV_URL))}
    for proposal, value in zip(made, DANGEROUS):
        row = records[proposal.pk]
        assert row["title"] == row["summary"] == row["district"] == "'" + value
    # The JSON keeps the text as it is: it is read by programs, not run by a spreadsheet.
    results = {row["id"]: row for row in json_document(client.get(JSON_URL))["results"]}
    assert [results[proposal.pk]["title"] for proposal in made] == DANGEROUS


def test_umlauts_and_line_breaks_survive_the_csv(client, organisation):
    proposal = ProposalFactory(organisation=organisation, title="Grüße aus der Südstadt", summary="Zeile eins\nZeile zwei, mit \"Zitat\"")
    row = next(row for row in csv_records(client.get(CSV_URL)) if int(row["id"]) == proposal.pk)
    assert (row["title"], row["summary"]) == ("Grüße aus der Südstadt", "Zeile eins\nZeile zwei, mit \"Zitat\"")


# --- size ------------------------------------------------------------------------------------------------

def populate(size):
    organisations = OrganisationFactory.create_batch(2)
    category = CategoryFactory()
    call = CallFactory(organisation=organisations[0])
    ProposalFactory.create_batch(size, organisation=organisations[0], category=category, call=call)
    ProposalFactory.create_batch(size, organisation=organisations[1], author=None)
    ProposalFactory.create_batch(2, organisation=organisations[0], draft=True)
    return organisations[0], category, call


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_queries_do_not_grow_with_the_number_of_proposals(client, person, monkeypatch, size, url):
    monkeypatch.setattr(exports, "ROWS_PER_FETCH", 7)   # several batches at the larger size, still one query
    organisation, category, call = populate(size)
    with CaptureQueriesContext(connection) as everything:
        assert len(exported_ids(client, {}, url)) == 2 * size
    assert len(everything) == 1
    filters = {"organisation": organisation.pk, "category": category.pk, "call": call.pk, "ordering": "supported",
               "q": "Reparaturcafé"}
    with CaptureQueriesContext(connection) as filtered:
        assert len(exported_ids(client, filters, url)) == size
    assert len(filtered) == 4   # the three chosen filter values are looked up, then one query for the rows
    client.force_login(person)
    with CaptureQueriesContext(connection) as signed_in:
        assert len(exported_ids(client, filters, url)) == size
    assert len(signed_in) <= 6   # plus the session and the person


# --- bad input and methods -------------------------------------------------------------------------------

BAD_FILTERS = [
    ({"status": "draft"}, "status"),
    ({"status": "bogus"}, "status"),
    ({"planning": "everybody"}, "planning"),
    ({"organisation": "abc"}, "organisation"),
    ({"organisation": "999999"}, "organisation"),
    ({"category": "-1"}, "category"),
    ({"ordering": "random"}, "ordering"),
]


@pytest.mark.parametrize("params, name", BAD_FILTERS)
def test_a_filter_the_list_page_refuses_is_a_400_with_the_reason(client, catalogue, params, name):
    # The list page shows the same filter as invalid, next to its field, and lists no proposal.
    page = client.get("/proposals/", params)
    assert page.status_code == 200 and name in page.context["filter"].errors
    assert list(page.context["proposals"]) == []
    assert 'href="/proposals/export.csv' not in page.text

    as_csv = client.get(CSV_URL, params)
    assert as_csv.status_code == 400 and not as_csv.streaming
    assert as_csv["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in as_csv
    text = as_csv.content.decode()
    assert text.startswith("These filters are not valid, so nothing was exported:")
    assert f"{name}: " in text and "Fahrradwerkstatt" not in text

    as_json = client.get(JSON_URL, params)
    assert as_json.status_code == 400 and as_json["Content-Type"] == "application/json"
    document = json.loads(as_json.content)
    assert list(document["errors"]) == [name] and document["errors"][name]
    assert document["detail"].startswith("These filters are not valid")


def test_unknown_parameters_are_ignored_like_on_the_list_page(client, catalogue):
    assert exported_ids(client, {"colour": "green", "page": "x"}) == list_page_ids(client, {"colour": "green"})


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_reading_is_allowed(client, person, url, method):
    client.force_login(person)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_head_answers_like_get(client, catalogue, url):
    response = client.head(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


# --- the links on the list page ------------------------------------------------------------------------

def test_list_page_links_both_files_with_the_current_filters(client, catalogue):
    page = client.get("/proposals/", {"planning": "community", "district": "Süd", "page": "1"}).text
    assert "Download these proposals:" in page
    assert 'href="/proposals/export.csv?planning=community&amp;district=S%C3%BCd"' in page
    assert 'href="/proposals/export.json?planning=community&amp;district=S%C3%BCd"' in page
    plain = client.get("/proposals/").text
    assert 'href="/proposals/export.csv"' in plain and 'href="/proposals/export.json"' in plain


def test_anyone_may_download_without_signing_in(client, catalogue):
    assert client.get(CSV_URL).status_code == client.get(JSON_URL).status_code == 200
