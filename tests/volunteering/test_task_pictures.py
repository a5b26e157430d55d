"""A task's picture: uploaded in the back office with the task, checked, shown on its page and its card."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduction.models import Picture
from tests.coproduction.pictures import (
    bad_upload_params, jpeg_with_gps, make_picture, media_root, png, stored_files, upload,
)
from volunteering.models import Task

from .factories import ShiftFactory, TaskFactory, hours_from_now
from .test_admin import ADMIN, task_form

__all__ = ["media_root"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def one_shift():
    starts_at = hours_from_now(48).replace(second=0, microsecond=0)
    return starts_at, starts_at + timedelta(hours=2), 4


def test_staff_add_a_task_with_a_picture_shown_on_its_page_and_card(client, staff, organisation, media_root):
    client.force_login(staff)
    page = client.get(f"{ADMIN}/task/add/").text
    assert 'enctype="multipart/form-data"' in page and 'name="image_upload"' in page
    response = client.post(f"{ADMIN}/task/add/", task_form(
        organisation, one_shift(), image_upload=upload(jpeg_with_gps()), image_alt="Kisten mit Gemüse"))
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.image.alt == "Kisten mit Gemüse" and task.image.uploaded_by == staff
    assert set(stored_files(media_root)) == set(task.image.names)

    Task.objects.filter(pk=task.pk).update(status=Task.Status.PUBLISHED)
    detail = client.get(f"/tasks/{task.pk}/").text
    assert 'alt="Kisten mit Gemüse"' in detail and "srcset=" in detail
    listing = client.get("/tasks/").text
    assert 'class="card-media"' in listing and 'alt="Kisten mit Gemüse"' in listing


@pytest.mark.parametrize("make, name, content_type, message", bad_upload_params())
def test_bad_files_are_refused_and_no_task_is_saved(client, staff, organisation, media_root,
                                                    make, name, content_type, message):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/task/add/", task_form(
        organisation, one_shift(), image_upload=upload(make(), name=name, content_type=content_type),
        image_alt="Ein Bild"))
    assert response.status_code == 200 and message in response.text
    assert not Task.objects.exists() and not Picture.objects.exists() and stored_files(media_root) == []


def test_a_task_picture_needs_a_description(client, staff, organisation, media_root):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/task/add/", task_form(organisation, one_shift(), image_upload=upload(png())))
    assert response.status_code == 200 and "Describe the picture" in response.text
    assert not Task.objects.exists() and stored_files(media_root) == []


def test_task_cards_cost_the_same_queries_with_more_pictures(client, organisation, media_root):
    def listing():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/tasks/").text
        return len(queries), page

    ShiftFactory(task=TaskFactory(organisation=organisation, image=make_picture(alt="Aufgabe 0")))
    few, page = listing()
    assert 'alt="Aufgabe 0"' in page
    for n in range(1, 5):
        ShiftFactory(task=TaskFactory(organisation=organisation, image=make_picture(alt=f"Aufgabe {n}")))
    many, page = listing()
    assert page.count('class="card-media"') == 5
    assert many == few


def test_a_cancelled_task_keeps_its_facts_frozen_but_its_picture_can_go(client, staff, organisation, media_root,
                                                                        django_capture_on_commit_callbacks):
    task = TaskFactory(organisation=organisation, cancelled=True, image=make_picture(alt="Alte Aufnahme"))
    client.force_login(staff)
    url = f"{ADMIN}/task/{task.pk}/change/"
    page = client.get(url).text
    assert 'name="title"' not in page and 'name="image_remove"' in page and 'value="Alte Aufnahme"' in page
    data = {"image_alt": "Alte Aufnahme", "image_remove": "on", "shifts-TOTAL_FORMS": 0, "shifts-INITIAL_FORMS": 0,
            "briefing_links-TOTAL_FORMS": 0, "briefing_links-INITIAL_FORMS": 0}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).image is None and stored_files(media_root) == []
