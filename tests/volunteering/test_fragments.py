"""The kept task cards and shift times never show an old state: the next view after a change shows it.

/tasks/ keeps each card once rendered, and every page keeps the wording of a shift's time
(``coproduction.fragments``), keyed by what they show. Each test renders the page first, so the
old state is kept, then changes something and looks again, as a visitor and signed in.
"""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from coproduction import fragments
from volunteering.models import Task

from .factories import ShiftFactory, move_shift, sign_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def card(client, task):
    html = client.get("/tasks/").text
    start = html.index(f'href="/tasks/{task.pk}/"')
    return html[html.rindex('<li class="card">', 0, start):html.index("</li>", start)]


def test_the_cards_are_kept_between_views(viewer):
    task = ShiftFactory().task
    first = card(viewer, task)
    kept = len(fragments.kept)
    assert card(viewer, task) == first and len(fragments.kept) == kept


def test_a_sign_up_shows_at_once(viewer):
    shift = ShiftFactory(capacity=3)
    assert "3 of 3 places free" in card(viewer, shift.task)
    sign_up(shift)
    assert "2 of 3 places free" in card(viewer, shift.task)
    sign_up(shift)
    sign_up(shift)
    full = card(viewer, shift.task)
    assert "Full" in full and "free" not in full


def test_a_changed_task_and_a_moved_shift_show_at_once(viewer):
    shift = ShiftFactory()
    before = card(viewer, shift.task)
    Task.objects.filter(pk=shift.task.pk).update(title="Ausgabe am Samstag")
    assert "Ausgabe am Samstag" in card(viewer, shift.task)
    move_shift(shift, starts_at=shift.starts_at + timedelta(days=1, hours=1))
    after = card(viewer, shift.task)
    assert re.findall(r'datetime="([^"]+)"', after) != re.findall(r'datetime="([^"]+)"', before)


def test_the_shift_time_follows_the_language(viewer):
    shift = ShiftFactory()
    local = timezone.localtime(shift.starts_at)
    english = card(viewer, shift.task)
    viewer.post("/language/", {"language": "de", "next": "/tasks/"})
    german = card(viewer, shift.task)
    for language, html in [("en", english), ("de", german)]:
        with override(language):
            assert f"{date_format(local, 'l')}, {date_format(local, 'DATE_FORMAT')}" in html, language
    assert "3 of 3 places free" in english and "3 von 3 Plätzen frei" in german
    viewer.post("/language/", {"language": "en", "next": "/tasks/"})
    assert card(viewer, shift.task) == english
