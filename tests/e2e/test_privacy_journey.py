"""A person reads how the platform handles their data and downloads all of it from their profile."""
import json

import pytest
from playwright.sync_api import expect

from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import UserFactory

from .support import checked, heading, log_in, main, open_my_area, tr, visit

pytestmark = pytest.mark.e2e


def test_person_reads_the_privacy_page_and_downloads_their_data(page, tmp_path):
    person = UserFactory(email="lena.sommer@example.org", display_name="Lena Sommer")
    ProposalFactory(author=person, title="Bücherschrank am Marktplatz")

    visit(page, "/")
    page.get_by_role("contentinfo").get_by_role("link", name=tr("Privacy")).click()
    expect(heading(page)).to_have_text(tr("Privacy"))
    checked(page)
    expect(main(page).get_by_role("heading", name=tr("Your rights"))).to_be_visible()
    expect(main(page).get_by_role("link", name=tr("Sign in to download your data."))).to_be_visible()

    log_in(page, person.email)
    open_my_area(page)
    section = main(page)
    expect(section.get_by_role("heading", name=tr("Your data"), exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        section.get_by_role("link", name=tr("Download my data")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("koproduktion-my-data-")
    assert download.suggested_filename.endswith(".json")
    path = tmp_path / "my-data.json"
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "lena.sommer@example.org"
    assert "Bücherschrank am Marktplatz" in {proposal["title"] for proposal in data["proposals"]}
    checked(page)
