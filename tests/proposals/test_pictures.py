"""A proposal's picture: uploaded with its form, checked, described, shown on its page and its card."""
import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from coproduction.models import Picture
from proposals import services
from proposals.models import Proposal
from tests.coproduction.pictures import (
    bad_upload_params, jpeg_with_gps, make_picture, media_root, png, stored_files, upload,
)

from .factories import ProposalFactory
from .test_views import new_proposal_data

__all__ = ["media_root"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def with_picture(organisation, data=None, alt="Kinder lesen in der Bibliothek", **extra):
    return new_proposal_data(organisation, image=upload(data or jpeg_with_gps()), image_alt=alt, **extra)


def test_a_proposal_is_written_with_a_picture_without_its_location_data(client, person, organisation, media_root):
    client.force_login(person)
    response = client.post("/proposals/new/", with_picture(organisation))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    picture = proposal.image
    assert picture.alt == "Kinder lesen in der Bibliothek" and picture.uploaded_by == person
    assert set(stored_files(media_root)) == set(picture.names)
    for name in picture.names:
        with default_storage.open(name) as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert not dict(image.getexif()) and "exif" not in image.info

    page = client.get(proposal.get_absolute_url()).text
    assert f'alt="{picture.alt}"' in page and "srcset=" in page and default_storage.url(picture.file) in page


def test_a_picture_needs_a_description(client, person, organisation, media_root):
    client.force_login(person)
    response = client.post("/proposals/new/", with_picture(organisation, alt="  "))
    assert response.status_code == 400
    assert "Describe the picture in a few words for people who cannot see it." in response.text
    assert 'aria-describedby="id_image_alt_error' in response.text or "id_image_alt_error" in response.text
    assert not Proposal.objects.exists() and not Picture.objects.exists() and stored_files(media_root) == []


def test_no_picture_is_fine_and_a_description_alone_is_ignored(client, person, organisation, media_root):
    client.force_login(person)
    client.post("/proposals/new/", new_proposal_data(organisation, image_alt="Ein Bild, das es nicht gibt"))
    assert Proposal.objects.get().image is None and not Picture.objects.exists()


@pytest.mark.parametrize("make, name, content_type, message", bad_upload_params())
def test_bad_files_are_refused_and_nothing_is_saved(client, person, organisation, media_root,
                                                   make, name, content_type, message):
    client.force_login(person)
    data = new_proposal_data(organisation, image=upload(make(), name=name, content_type=content_type),
                             image_alt="Ein Bild")
    response = client.post("/proposals/new/", data)
    assert response.status_code == 400
    assert message in response.text and "Nothing has been saved yet" in response.text
    assert not Proposal.objects.exists() and not Picture.objects.exists()
    assert stored_files(media_root) == []


def test_the_author_replaces_and_removes_the_picture_and_old_files_go(client, person, organisation, media_root,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(person)
    client.post("/proposals/new/", with_picture(organisation))
    proposal = Proposal.objects.get()
    first = proposal.image
    edit = f"/proposals/{proposal.pk}/edit/"
    assert 'value="Kinder lesen in der Bibliothek"' in client.get(edit).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, with_picture(organisation, data=png(), alt="Ein Leseraum"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.image.alt == "Ein Leseraum" and not Picture.objects.filter(pk=first.pk).exists()
    assert set(stored_files(media_root)) == set(proposal.image.names)

    # Changing only the description keeps the files; taking the description away is refused.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, new_proposal_data(organisation, image_alt="Ein heller Leseraum"))
    proposal.refresh_from_db()
    assert proposal.image.alt == "Ein heller Leseraum"
    assert client.post(edit, new_proposal_data(organisation, image_alt="")).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, new_proposal_data(organisation, image_remove="on"))
    proposal.refresh_from_db()
    assert proposal.image is None and not Picture.objects.exists() and stored_files(media_root) == []


def test_only_the_author_changes_the_picture(client, person, organisation, media_root):
    proposal = ProposalFactory(organisation=organisation, image=make_picture(alt="Ursprünglich"))
    client.force_login(person)
    response = client.post(f"/proposals/{proposal.pk}/edit/", with_picture(organisation, alt="Fremd"))
    assert response.status_code == 403
    assert Proposal.objects.get().image.alt == "Ursprünglich" and Picture.objects.count() == 1


def test_a_hidden_proposal_shows_no_picture(client, organisation, media_root):
    picture = make_picture(alt="Anstößig")
    proposal = ProposalFactory(organisation=organisation, image=picture, is_hidden=True, hidden_reason="Beleidigend")
    for page in (client.get(proposal.get_absolute_url()).text, client.get("/proposals/").text):
        assert "Anstößig" not in page and default_storage.url(picture.file) not in page


def test_cards_show_the_picture_lazily_in_constant_queries(client, organisation, media_root):
    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/proposals/").text
        return len(queries), page

    ProposalFactory(organisation=organisation, image=make_picture(alt="Bild 0"))
    few, page = list_queries()
    assert page.count('class="card-media"') == 1 and 'alt="Bild 0"' in page and 'loading="lazy"' in page
    for n in range(1, 6):
        ProposalFactory(organisation=organisation, image=make_picture(alt=f"Bild {n}"))
    many, page = list_queries()
    assert page.count('class="card-media"') == 6
    assert many == few


def test_staff_entering_a_proposal_for_a_participant_may_add_a_picture_checked_the_same_way(
        client, staff, organisation, media_root):
    client.force_login(staff)
    data = {"organisation": organisation.pk, "title": "Bänke", "summary": "Bänke.", "text": "Mehr Bänke.",
            "planning": "community", "delivery": "professionals", "channel": "paper", "consent_recorded": "on"}
    page = client.get("/admin/proposals/proposal/add/").text
    assert 'enctype="multipart/form-data"' in page and 'name="image"' in page
    bad = client.post("/admin/proposals/proposal/add/", {**data, "image": upload(b"<svg/>", "x.png"), "image_alt": "x"},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and "not a picture we can take" in bad.text
    assert not Proposal.objects.exists() and stored_files(media_root) == []
    client.post("/admin/proposals/proposal/add/", {**data, "image": upload(png()), "image_alt": "Eine Bank am Teich"})
    proposal = Proposal.objects.get()
    assert proposal.image.alt == "Eine Bank am Teich" and proposal.image.uploaded_by == staff


def test_services_take_a_picture_input(person, organisation, media_root):
    from coproduction.images import PictureInput, prepare

    proposal = services.proposal_create(
        author=person, organisation=organisation, title="Mit Bild", summary="Kurz.", text="Lang.",
        planning="together", delivery="community",
        image=PictureInput(prepared=prepare(upload(png())), alt="Ein Garten"))
    assert proposal.image.alt == "Ein Garten"


def test_a_form_sent_back_for_another_reason_asks_for_the_picture_again(client, person, organisation, media_root):
    client.force_login(person)
    for missing in ("title", "mode"):  # a field of the proposal, and one of its co-production mode
        data = with_picture(organisation)
        del data[missing]
        response = client.post("/proposals/new/", data)
        assert response.status_code == 400
        assert response.text.count("Please choose the picture again: it is kept only once the form is saved.") == 1
    assert not Proposal.objects.exists() and stored_files(media_root) == []


def test_the_edit_form_shows_the_current_picture(client, person, organisation, media_root):
    proposal = ProposalFactory(author=person, organisation=organisation, image=make_picture(alt="Der Lesesaal"))
    client.force_login(person)
    page = client.get(f"/proposals/{proposal.pk}/edit/").text
    assert f'<a href="{proposal.image.url}">Der Lesesaal</a>' in page and 'name="image_remove"' in page
