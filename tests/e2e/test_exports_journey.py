"""Open data in the browser: someone without an account filters the proposals and downloads exactly those as
CSV, then downloads the results of a participatory budget as JSON. Axe on every page."""
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Phase
from proposals.models import Proposal
from tests.budgets.factories import add_entry, make_process, move_to, publish, vote
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

from .support import checked, field, filter_form, heading, main, tr, visit

pytestmark = pytest.mark.e2e

AUTHOR = "Friedegunde Wacholderstrauch"
COMMUNITY_PLANNED = ["Reparaturcafé im Gemeindesaal", "=Tauschregal für Kinderkleidung", "Nachbarschaftsgarten"]
OTHERS = ["Sprechstunde der Schuldnerberatung", "Chorprobe für alle Generationen"]


def downloaded(page, link):
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_filtered_proposals_and_budget_results_download_as_open_data(new_page, live_server):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    author = UserFactory(display_name=AUTHOR, email="friedegunde@privat.example")
    for title in COMMUNITY_PLANNED:
        ProposalFactory(organisation=organisation, author=author, title=title, planning="community",
                        delivery="together")
    for title in OTHERS:
        ProposalFactory(organisation=organisation, author=author, title=title, planning="professionals",
                        delivery="professionals")
    ProposalFactory(organisation=organisation, author=author, title="Entwurf: Kinoabend", planning="community",
                    delivery="together", draft=True)
    ProposalFactory(organisation=organisation, author=author, title="Versteckt: Werbung", planning="community",
                    delivery="together", is_hidden=True, hidden_reason="Werbung")

    # On the list, someone without an account narrows the proposals to those the community plans.
    page = new_page()
    visit(page, "/proposals/")
    expect(heading(page)).to_have_text(tr("Proposals"))
    filters = filter_form(page)
    field(filters, "Who plans").select_option("community")
    filters.get_by_role("button", name=tr("Apply filters")).click()
    expect(field(filters, "Who plans")).to_have_value("community")
    checked(page)
    expect(main(page).locator(".card")).to_have_count(len(COMMUNITY_PLANNED) + 1)   # the hidden one is listed as hidden

    # The CSV link carries the filter: the file holds exactly those proposals, and no person.
    export = main(page).locator("p", has_text=tr("Download these proposals:"))
    name, raw = downloaded(page, export.get_by_role("link", name="CSV", exact=True))
    assert name == f"proposals-{timezone.localdate().isoformat()}.csv"
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    records = [dict(zip(header, row)) for row in rows]
    expected = Proposal.objects.filter(title__in=COMMUNITY_PLANNED).order_by("-published_at", "-pk")
    assert [int(record["id"]) for record in records] == [proposal.pk for proposal in expected]
    assert {record["title"] for record in records} == {"Reparaturcafé im Gemeindesaal", "'=Tauschregal für Kinderkleidung",
                                                      "Nachbarschaftsgarten"}
    assert {record["planning"] for record in records} == {"community"}
    assert {record["url"] for record in records} == {f"{live_server.url}/proposals/{proposal.pk}/"
                                                     for proposal in expected}
    for absent in (AUTHOR, "friedegunde@privat.example", "Kinoabend", "Versteckt", *OTHERS):
        assert absent not in text

    # The results of a participatory budget, as JSON from the results page.
    process = make_process(organisation, Phase.REVIEW, total=Decimal("10000"), title="Bürgerhaushalt Wesertor 2025",
                           slug="wesertor-2025")
    benches = add_entry(process, author=author, cost=Decimal("4000"), title="Sitzbänke am Weserufer",
                        district="Wesertor")
    fountain = add_entry(process, author=author, cost=Decimal("7000"), title="Trinkbrunnen am Marktplatz",
                         district="Wesertor")
    move_to(process, Phase.VOTING)
    voters = [UserFactory(display_name=name) for name in ("Ansgar Holunder", "Berenike Rosmarin", "Cosima Salbei")]
    vote(process, voters[0], [benches])
    vote(process, voters[1], [benches])
    vote(process, voters[2], [fountain])
    publish(process)

    visit(page, f"/budgets/{process.slug}/results/")
    expect(heading(page)).to_have_text(tr("Results: %(title)s") % {"title": process.title})
    results = main(page).get_by_role("region", name=tr("All feasible proposals"), exact=True)
    name, raw = downloaded(page, results.get_by_role(
        "link", name=tr("Download the results as open data (JSON)"), exact=True))
    assert name == f"budget-{process.slug}-results.json"
    document = json.loads(raw.decode("utf-8"))
    assert document["count"] == 2 and document["budget"]["ballot_count"] == 3
    assert [(row["place"], row["title"], row["votes"], row["final_cost"], row["funded"])
            for row in document["results"]] == [
        (1, "Sitzbänke am Weserufer", 2, "4000.00", True),
        (2, "Trinkbrunnen am Marktplatz", 1, "7000.00", False),
    ]
    text = raw.decode("utf-8")
    for absent in (AUTHOR, "Ansgar Holunder", "Berenike Rosmarin", "Cosima Salbei", *(v.email for v in voters)):
        assert absent not in text
    # The page itself did not change by downloading.
    assert page.url.endswith(f"/budgets/{process.slug}/results/")
