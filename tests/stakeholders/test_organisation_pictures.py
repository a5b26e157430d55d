"""An organisation's logo and cover: uploaded in the back office, checked, shown on its page and cards."""
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduction.models import Picture
from stakeholders.models import Organisation
from tests.coproduction.pictures import (
    bad_upload_params, jpeg_with_gps, make_picture, media_root, png, stored_files, upload,
)

from .factories import OrganisationFactory

__all__ = ["media_root"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def change_form_data(client, url):
    """What the back office's change form would send back unchanged: its fields and its inlines."""
    context = client.get(url).context
    data = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or name.endswith(("_upload", "_remove")):
                continue
            data[form.add_prefix(name)] = [v for v in value] if isinstance(value, (list, tuple)) else value
    return data


def test_staff_upload_a_logo_and_a_cover_with_descriptions(client, staff, organisation, media_root):
    client.force_login(staff)
    url = f"/admin/stakeholders/organisation/{organisation.pk}/change/"
    page = client.get(url).text
    assert 'enctype="multipart/form-data"' in page and 'name="logo_upload"' in page and 'name="cover_alt"' in page
    assert 'name="logo_remove"' not in page  # nothing to remove yet
    data = change_form_data(client, url)
    response = client.post(url, {**data, "logo_upload": upload(png(size=(300, 300), mode="RGBA", colour=(0, 0, 0, 0))),
                                 "logo_alt": "Logo: ein grünes Haus",
                                 "cover_upload": upload(jpeg_with_gps()), "cover_alt": "Das Haus von außen"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.logo.alt == "Logo: ein grünes Haus" and organisation.cover.alt == "Das Haus von außen"
    assert organisation.logo.uploaded_by == staff
    assert set(stored_files(media_root)) == set(organisation.logo.names) | set(organisation.cover.names)

    # The page header and the cards show them.
    detail = client.get(organisation.get_absolute_url()).text
    assert 'alt="Das Haus von außen"' in detail and 'alt="Logo: ein grünes Haus"' in detail and "srcset=" in detail
    listing = client.get("/organisations/").text
    assert 'class="card-media"' in listing and default_storage.url(organisation.cover.renditions[0][2]) in listing

    # Removing the logo in the back office deletes it; the cover stays.
    page = client.get(url).text
    assert 'name="logo_remove"' in page and 'value="Logo: ein grünes Haus"' in page
    logo = organisation.logo
    response = client.post(url, {**change_form_data(client, url), "logo_remove": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo is None and organisation.cover is not None
    assert not Picture.objects.filter(pk=logo.pk).exists()


@pytest.mark.parametrize("make, name, content_type, message", bad_upload_params())
def test_the_back_office_refuses_bad_files_and_saves_nothing(client, staff, organisation, media_root,
                                                             make, name, content_type, message):
    client.force_login(staff)
    url = f"/admin/stakeholders/organisation/{organisation.pk}/change/"
    data = change_form_data(client, url)
    response = client.post(url, {**data, "name": "Neuer Name", "cover_alt": "Ein Bild",
                                 "cover_upload": upload(make(), name=name, content_type=content_type)})
    assert response.status_code == 200 and message in response.text
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name
    assert not Picture.objects.exists() and stored_files(media_root) == []


def test_the_back_office_wants_a_description_with_every_picture(client, staff, organisation, media_root):
    client.force_login(staff)
    url = f"/admin/stakeholders/organisation/{organisation.pk}/change/"
    response = client.post(url, {**change_form_data(client, url), "logo_upload": upload(png())})
    assert response.status_code == 200
    assert "Describe the picture in a few words for people who cannot see it." in response.text
    assert not Picture.objects.exists() and stored_files(media_root) == []


def test_staff_of_another_organisation_cannot_reach_its_pictures(client, staff, other_organisation, media_root):
    client.force_login(staff)
    url = f"/admin/stakeholders/organisation/{other_organisation.pk}/change/"
    response = client.post(url, {"name": "X", "logo_upload": upload(png()), "logo_alt": "Fremdes Logo"})
    assert response.status_code == 302  # "does not exist" for staff of elsewhere
    assert not Picture.objects.exists() and stored_files(media_root) == []


def test_organisation_cards_cost_the_same_queries_with_more_pictures(client, media_root):
    def listing():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/organisations/").text
        return len(queries), page

    OrganisationFactory(cover=make_picture(alt="Titelbild 0"), logo=make_picture(alt="Logo 0"))
    few, page = listing()
    assert 'alt="Titelbild 0"' in page
    for n in range(1, 5):
        OrganisationFactory(cover=make_picture(alt=f"Titelbild {n}"))
    OrganisationFactory(logo=make_picture(alt="Nur ein Logo"))
    many, page = listing()
    assert page.count('class="card-media"') == 5 and 'alt="Nur ein Logo"' in page
    assert many == few
    assert 'alt="Titelbild 0"' in client.get("/").text  # the home page's organisation cards too
