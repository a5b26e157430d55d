"""Pictures: checked by their content, stored without metadata, with renditions made once at upload."""
import io
from importlib.util import find_spec

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.test import Client
from PIL import Image

from coproduction.images import RENDITION_WIDTHS, PictureInput, picture_apply, picture_discard, prepare
from coproduction.models import Picture

from .pictures import bad_upload_params, jpeg_with_gps, make_picture, media_root, png, stored_files, upload, webp

__all__ = ["media_root"]

pytestmark = pytest.mark.django_db


def opened(name):
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_a_camera_photo_is_stored_without_exif_or_gps_in_every_file(media_root):
    picture = make_picture(data=jpeg_with_gps(size=(1600, 900)), alt="Das Hochbeet im Hof")
    files = stored_files(media_root)
    assert len(files) == len(picture.renditions) == 4  # 320, 640, 1280 and the picture itself
    for name in picture.names:
        image = opened(name)
        assert image.format == "WEBP"
        assert not dict(image.getexif()), name
        assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info, name
        with default_storage.open(name) as handle:
            raw = handle.read()
        for secret in (b"Kamerawerk", b"Geheim", b"Lindenstra", b"secret comment", b"GPS"):
            assert secret not in raw, (name, secret)
    assert [width for width, _h, _name in picture.renditions] == [*RENDITION_WIDTHS, 1600]
    assert (picture.width, picture.height, picture.alt) == (1600, 900, "Das Hochbeet im Hof")


def test_file_names_are_random_and_keep_nothing_of_the_upload(media_root):
    first = picture_apply(current=None, user=None, change=PictureInput(
        prepared=prepare(upload(png(), name="Anna_Adler_Wohnung.png", content_type="image/png")), alt="Ein Hof"))
    second = make_picture()
    assert not any("Anna" in name or "Wohnung" in name for name in first.names)
    assert first.file != second.file and first.file.startswith("images/") and first.file.endswith(".webp")


def test_the_exif_orientation_is_applied_before_the_metadata_goes(media_root):
    picture = make_picture(data=jpeg_with_gps(size=(1600, 900), orientation=6))  # "rotate 90°" as phones save
    assert (picture.width, picture.height) == (900, 1600)
    assert opened(picture.file).size == (900, 1600)


def test_renditions_are_only_narrower_than_the_picture_and_keep_its_shape(media_root):
    picture = make_picture(data=png(size=(700, 350)))
    assert [(w, h) for w, h, _name in picture.renditions] == [(320, 160), (640, 320), (700, 350)]
    small = make_picture(data=png(size=(200, 100)))
    assert [(w, h) for w, h, _name in small.renditions] == [(200, 100)]
    for width, height, name in picture.renditions:
        assert opened(name).size == (width, height)


def test_a_very_large_picture_is_stored_at_most_2560_pixels_wide(media_root):
    picture = make_picture(data=png(size=(5000, 2500)))
    assert (picture.width, picture.height) == (2560, 1280)


def test_png_transparency_and_webp_uploads_are_taken(media_root):
    logo = make_picture(data=png(size=(400, 400), mode="RGBA", colour=(0, 0, 0, 0)))
    assert opened(logo.file).mode == "RGBA" and opened(logo.file).getpixel((5, 5))[3] == 0
    assert make_picture(data=webp()).width == 700


@pytest.mark.parametrize("make, name, content_type, message", bad_upload_params())
def test_bad_uploads_are_refused_with_a_reason(media_root, make, name, content_type, message):
    with pytest.raises(ValidationError) as refused:
        prepare(upload(make(), name=name, content_type=content_type))
    assert message in refused.value.messages[0]
    assert stored_files(media_root) == [] and not Picture.objects.exists()


def test_the_pixel_limit_is_a_setting(settings, media_root):
    settings.IMAGES_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="too many pixels"):
        prepare(upload(png(size=(101, 100)), content_type="image/png"))
    assert prepare(upload(png(size=(100, 100)), content_type="image/png")).picture.width == 100


def test_replacing_a_picture_deletes_the_old_files_after_the_commit(media_root, django_capture_on_commit_callbacks):
    old = make_picture()
    old_files = old.names
    with django_capture_on_commit_callbacks(execute=True):
        new = picture_apply(current=old, user=None,
                            change=PictureInput(prepared=prepare(upload(webp())), alt="Neues Bild"))
    assert not Picture.objects.filter(pk=old.pk).exists()
    assert set(stored_files(media_root)) == set(new.names)
    assert not set(old_files) & set(new.names)


def test_removing_a_picture_deletes_its_files_and_a_rollback_keeps_them(media_root, django_capture_on_commit_callbacks):
    picture = make_picture()
    with django_capture_on_commit_callbacks(execute=False):  # the transaction never commits
        picture_discard(Picture.objects.get(pk=picture.pk))
    assert set(stored_files(media_root)) == set(picture.names)
    with django_capture_on_commit_callbacks(execute=True):
        assert picture_apply(current=picture, user=None, change=PictureInput(remove=True)) is None
    assert stored_files(media_root) == []


def test_a_new_description_alone_keeps_the_files(media_root):
    picture = make_picture(alt="Alt")
    same = picture_apply(current=picture, user=None, change=PictureInput(alt="Ein Hof mit Bänken"))
    assert same.pk == picture.pk and Picture.objects.get().alt == "Ein Hof mit Bänken"
    assert set(stored_files(media_root)) == set(picture.names)


def test_the_picture_tag_names_every_rendition_with_size_and_description(media_root):
    picture = make_picture(data=png(size=(1600, 1200)), alt='Kinder am "Hochbeet" & Gärtner')
    html = Template('{% load images %}{% picture image sizes="50vw" css_class="card-media" %}').render(
        Context({"image": picture}))
    for width, _height, name in picture.renditions:
        assert f"{default_storage.url(name)} {width}w" in html
    assert 'sizes="50vw"' in html and 'width="1600"' in html and 'height="1200"' in html
    assert 'alt="Kinder am &quot;Hochbeet&quot; &amp; Gärtner"' in html
    assert 'loading="lazy"' in html and 'class="card-media"' in html
    assert f'src="{default_storage.url(picture.renditions[1][2])}"' in html  # the 640 one for old browsers
    assert Template("{% load images %}{% picture None %}").render(Context()).strip() == ""


def test_local_mode_serves_the_stored_files_and_production_does_not(client, settings, media_root):
    picture = make_picture()
    settings.MEDIA_SERVE = True
    response = client.get(picture.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/images/nothing.webp").status_code == 404
    assert Client(raise_request_exception=False).get("/media/../tests/settings.py").status_code in (400, 404)
    settings.MEDIA_SERVE = False
    assert client.get(picture.url).status_code == 404


@pytest.mark.skipif(bool(find_spec("storages")), reason="django-storages is installed here")
def test_object_storage_without_its_package_fails_the_checks(settings):
    from coproduction.checks import object_storage_is_installed

    assert object_storage_is_installed(None) == []
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    errors = object_storage_is_installed(None)
    assert [error.id for error in errors] == ["coproduction.E001"] and "requirements-s3.txt" in errors[0].hint


def test_pictures_left_without_their_object_are_swept_a_day_later(media_root, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from coproduction import tasks
    from tests.proposals.factories import ProposalFactory
    from tests.stakeholders.factories import OrganisationFactory
    from tests.volunteering.factories import TaskFactory

    kept = [make_picture(alt=f"In Gebrauch {n}") for n in range(4)]
    ProposalFactory(image=kept[0])
    OrganisationFactory(logo=kept[1], cover=kept[2])
    TaskFactory(image=kept[3])
    deleted_with = ProposalFactory(image=make_picture(alt="Vorschlag gelöscht"))
    left_over = deleted_with.image
    deleted_with.delete()
    fresh = make_picture(alt="Gerade hochgeladen")
    Picture.objects.exclude(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.pictures_sweep.delay().get() == 1
    assert set(Picture.objects.values_list("pk", flat=True)) == {p.pk for p in kept} | {fresh.pk}
    assert not any(default_storage.exists(name) for name in left_over.names)
    assert all(default_storage.exists(name) for picture in kept for name in picture.names)
