"""A citizen writes a proposal with a photo from their phone: without a description the form asks for
one (and for the photo again), with it the proposal page shows the photo, described, in several
sizes, and the stored files carry no location or camera data."""
import io
import re

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect
from PIL import Image

from proposals.models import Proposal
from tests.coproduction.pictures import jpeg_with_gps, media_root, stored_files
from tests.stakeholders.factories import OrganisationFactory, UserFactory

from .support import checked, field, heading, log_in, tr, visit

__all__ = ["media_root"]

pytestmark = pytest.mark.e2e

TITLE = "Ein Hochbeet für den Hof der Kita"
ALT = "Drei Kinder pflanzen Salat in ein Hochbeet aus Holz."


def test_a_proposal_with_a_described_picture(new_page, settings, media_root, tmp_path):
    settings.MEDIA_SERVE = True  # the live server shows the stored pictures, as local mode does
    organisation = OrganisationFactory(name="Kita Sonnenblume")
    citizen = UserFactory(display_name="Jana Ott")
    photo = tmp_path / "IMG_20260601_Familie_Ott.jpg"
    photo.write_bytes(jpeg_with_gps(size=(1800, 1200)))

    page = new_page()
    log_in(page, citizen.email)
    visit(page, "/proposals/new/")
    form = page.locator("main form")
    field(form, "title").fill(TITLE)
    field(form, "summary in plain language").fill("Die Kinder ziehen ihr eigenes Gemüse.")
    field(form, "proposal").fill("Eltern bauen das Beet, die Kinder pflegen es mit den Erzieherinnen.")
    field(form, "organisation").select_option(label=organisation.name)
    matrix = form.get_by_role("group", name=tr("Who plans, who delivers"))
    matrix.get_by_role("radio", name=re.compile(re.escape(tr("Full co-production")))).check()
    field(form, "Picture (optional)").set_input_files(str(photo))
    form.get_by_role("button", name=tr("Publish"), exact=True).click()

    # Without a description nothing is saved; the form says why, at the field, and asks for the photo again.
    expect(page.locator(".form-errors")).to_be_visible()
    description = field(form, "Description of the picture")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_image_alt_error")).to_have_text(
        tr("Describe the picture in a few words for people who cannot see it."))
    expect(page.locator("#id_image_error")).to_contain_text(
        tr("Please choose the picture again: it is kept only once the form is saved."))
    checked(page)
    assert not Proposal.objects.exists() and stored_files(media_root) == []

    field(form, "Picture (optional)").set_input_files(str(photo))
    description.fill(ALT)
    form.get_by_role("button", name=tr("Publish"), exact=True).click()
    expect(heading(page)).to_have_text(TITLE)
    checked(page)

    picture = page.get_by_role("main").get_by_role("img", name=ALT)
    expect(picture).to_be_visible()
    srcset = picture.get_attribute("srcset")
    assert all(f" {width}w" in srcset for width in (320, 640, 1280, 1800)), srcset
    assert picture.get_attribute("width") == "1800" and picture.get_attribute("height") == "1200"
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", picture.element_handle())
    assert "Familie_Ott" not in page.content()

    stored = Proposal.objects.get().image
    assert stored.alt == ALT and stored.uploaded_by == citizen
    assert set(stored_files(media_root)) == set(stored.names)
    for name in stored.names:
        with default_storage.open(name) as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert not dict(image.getexif()) and "exif" not in image.info, name
        assert b"GPS" not in data and b"Kamerawerk" not in data, name

    # The list shows it on the proposal's card.
    visit(page, "/proposals/")
    card_picture = page.locator(".card").filter(has_text=TITLE).locator("img.card-media")
    expect(card_picture).to_have_attribute("alt", ALT)
    expect(card_picture).to_have_attribute("loading", "lazy")
