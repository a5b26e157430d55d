"""The results of a participatory budget as open data: CSV and JSON carry the same rows, only totals (ballots
are secret), and exist exactly when the results page shows results."""
import csv
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import Ballot, Phase
from proposals import services as proposal_services
from tests.stakeholders.factories import UserFactory

from .factories import add_entry, make_process, move_to, process_staff, publish, vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

AUTHOR_NAME, AUTHOR_EMAIL, AUTHOR_PHONE = "Kunigunde Pfefferminz", "kunigunde@pfefferminz.example", "0561 424 2424"
VOTER_NAMES = ["Bartholomäus Sauerampfer", "Leokadia Fliederbusch", "Hieronymus Kapuzinerkresse"]


def url(process, extension):
    return f"/budgets/{process.slug}/results.{extension}"


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.fixture
def voted(organisation):
    """Voting on 10,000 € ended: the benches (3 votes, 6,000 €) and the library (2 votes, 3,000 €, its title
    would be a spreadsheet formula) are funded; the cargo bike (2 votes, 5,000 €) no longer fits."""
    author = UserFactory(display_name=AUTHOR_NAME, email=AUTHOR_EMAIL, phone=AUTHOR_PHONE)
    process = make_process(organisation, Phase.VOTING, total=Decimal("10000"))
    benches = add_entry(process, author=author, cost=Decimal("6000"), title="Bänke im Park", district="Nordstadt")
    bike = add_entry(process, author=author, cost=Decimal("5000"), title="Lastenrad", district="@Südstadt")
    library = add_entry(process, author=author, cost=Decimal("3000"), title="=Leihbücherei")
    add_entry(process, author=author, cost=Decimal("100"), feasible=False, title="Nicht machbar")
    voters = [UserFactory(display_name=name) for name in VOTER_NAMES] + UserFactory.create_batch(2)
    for voter, picks in zip(voters, [[benches], [benches], [benches, library], [bike, library], [bike]]):
        vote(process, voter, picks)
    publish(process)
    return process, benches, bike, library, voters


def test_json_has_the_same_rows_as_the_csv(client, voted):
    process, benches, bike, library, _voters = voted
    response = client.get(url(process, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="budget-{process.slug}-results.json"'
    document = json.loads(response.content)
    assert set(document) == {"generated_at", "budget", "results", "count"}
    assert document["count"] == 3
    link = "http://testserver/proposals/{}/".format
    assert document["results"] == [
        {"place": 1, "proposal_id": benches.proposal_id, "title": "Bänke im Park", "hidden": False, "votes": 3,
         "final_cost": "6000.00", "funded": True, "district": "Nordstadt", "url": link(benches.proposal_id)},
        {"place": 2, "proposal_id": library.proposal_id, "title": "=Leihbücherei", "hidden": False, "votes": 2,
         "final_cost": "3000.00", "funded": True, "district": "", "url": link(library.proposal_id)},
        {"place": 3, "proposal_id": bike.proposal_id, "title": "Lastenrad", "hidden": False, "votes": 2,
         "final_cost": "5000.00", "funded": False, "district": "@Südstadt", "url": link(bike.proposal_id)},
    ]
    process.refresh_from_db()
    assert document["budget"] == {
        "slug": process.slug, "title": process.title, "url": f"http://testserver/budgets/{process.slug}/",
        "organisation": process.organisation.name, "total_amount": "10000.00", "funded_total": "9000.00",
        "ballot_count": 5, "results_published_at": timezone.localtime(process.results_published_at).isoformat(),
    }

    header, *rows = csv_rows(client.get(url(process, "csv")))
    assert header == ["Place", "Proposal", "Votes", "Final cost (€)", "Funded", "District", "Link"]
    assert rows == [
        [str(row["place"]), row["title"].replace("=", "'=", 1), str(row["votes"]), row["final_cost"],
         "yes" if row["funded"] else "no", row["district"].replace("@", "'@", 1), row["url"]]
        for row in document["results"]
    ]


def test_a_hidden_proposal_keeps_its_place_but_not_its_title(client, voted, staff):
    process, benches, *_rest = voted
    proposal_services.content_set_hidden(target=benches.proposal, moderator=staff, hidden=True, reason="Werbung")
    first = json.loads(client.get(url(process, "json")).content)["results"][0]
    assert (first["place"], first["title"], first["hidden"], first["votes"]) == (1, None, True, 3)
    assert csv_rows(client.get(url(process, "csv")))[1][:3] == ["1", "Hidden proposal", "3"]
    for extension in ("csv", "json"):
        assert "Bänke im Park" not in client.get(url(process, extension)).content.decode()


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_only_totals_leave_no_voter_and_no_author(client, voted, extension):
    process, _benches, _bike, _library, voters = voted
    text = client.get(url(process, extension)).content.decode()
    for private in (AUTHOR_NAME, AUTHOR_EMAIL, AUTHOR_PHONE, *VOTER_NAMES, *(voter.email for voter in voters)):
        assert private not in text
    assert Ballot.objects.filter(process=process).count() == 5   # the ballots exist, they just never leave
    if extension == "json":
        keys = set().union(*json.loads(text)["results"])
        assert keys == {"place", "proposal_id", "title", "hidden", "votes", "final_cost", "funded", "district", "url"}


# --- exactly when the results page shows results ------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.COLLECTING, Phase.REVIEW, Phase.VOTING])
def test_before_the_results_are_out_there_is_nothing_to_download(client, organisation, person, staff, superuser,
                                                                  phase):
    process = make_process(organisation, phase)
    if phase in (Phase.REVIEW, Phase.VOTING):
        add_entry(process, cost=Decimal("100"), title="Schon im Rennen")
    for user in (None, person, process_staff(process), superuser):   # nobody, not even who runs it
        if user is not None:
            client.force_login(user)
        page = client.get(f"/budgets/{process.slug}/results/")
        assert page.status_code == 200 and "The results are not out yet." in page.text
        assert "results.csv" not in page.text and "results.json" not in page.text
        for extension in ("csv", "json"):
            assert client.get(url(process, extension)).status_code == 404


def test_once_published_the_page_links_both_downloads(client, voted):
    process = voted[0]
    page = client.get(f"/budgets/{process.slug}/results/").text
    assert f'href="/budgets/{process.slug}/results.csv"' in page
    assert f'href="/budgets/{process.slug}/results.json"' in page
    assert "Download the results as open data (JSON)" in page


@pytest.mark.parametrize("phase", [Phase.RESULTS, Phase.IMPLEMENTATION])
def test_the_downloads_stay_after_the_results_phase(client, voted, phase):
    process = voted[0]
    if phase == Phase.IMPLEMENTATION:
        move_to(process, Phase.IMPLEMENTATION)
    for extension in ("csv", "json"):
        assert client.get(url(process, extension)).status_code == 200


def test_an_unknown_budget_is_404(client):
    for extension in ("csv", "json"):
        assert client.get(f"/budgets/nope/results.{extension}").status_code == 404


@pytest.mark.parametrize("extension", ["csv", "json"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_reading_is_allowed(client, voted, person, extension, method):
    client.force_login(person)
    response = getattr(client, method)(url(voted[0], extension))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def test_no_feasible_proposal_gives_empty_files(client, organisation):
    process = make_process(organisation, Phase.VOTING)
    publish(process)
    assert json.loads(client.get(url(process, "json")).content)["results"] == []
    assert len(csv_rows(client.get(url(process, "csv")))) == 1


# --- size -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_queries_do_not_grow(client, organisation, django_assert_max_num_queries, size, extension):
    process = make_process(organisation, Phase.VOTING, total=Decimal("100000"))
    entries = [add_entry(process, cost=Decimal("100")) for _ in range(size)]
    for voter in UserFactory.create_batch(size):
        vote(process, voter, entries)
    publish(process)
    with django_assert_max_num_queries(2):
        response = client.get(url(process, extension))
    assert response.status_code == 200
    rows = json.loads(response.content)["results"] if extension == "json" else csv_rows(response)[1:]
    assert len(rows) == size
