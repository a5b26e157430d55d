"""Two people save the same page from the same revision at the same moment, on real PostgreSQL."""
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.stakeholders.test_concurrency import run_simultaneously
from wiki import services
from wiki.models import Page, Revision

from .factories import PageFactory, SpaceFactory, member_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL"),
]

BASE = "Einleitung.\n\nAbsatz eins.\n\nAbsatz zwei.\n\nAbsatz drei.\n\nSchluss."


def test_simultaneous_saves_from_the_same_base_one_wins_the_other_gets_a_merge():
    space = SpaceFactory()
    page = PageFactory(space=space, title="Gemeinsamer Text", text=BASE)
    page.space = space
    people = iter([member_of(space), member_of(space)])
    texts = iter([BASE.replace("Absatz eins.", "Absatz eins, von A."), BASE.replace("Absatz drei.", "Absatz drei, von B.")])
    lock = threading.Lock()

    def save():
        with lock:
            person, text = next(people), next(texts)
        return services.page_save_revision(page=page, author=person, text=text, base_number=1), text

    results, errors = run_simultaneously(2, save)
    assert len(results) == 1 and len(errors) == 1
    conflict = errors[0]
    assert isinstance(conflict, services.EditConflict)
    winner, _ = results[0]
    assert winner.number == 2 and conflict.current.pk == winner.pk
    page.refresh_from_db()
    assert page.current_revision == winner and Revision.objects.filter(page=page).count() == 2
    # Nothing is lost: the loser's merge holds both changes.
    assert conflict.merge.is_clean
    assert "von A." in conflict.merge.text and "von B." in conflict.merge.text


def test_many_simultaneous_saves_write_exactly_one_revision():
    space = SpaceFactory()
    page = PageFactory(space=space, title="Andrang", text=BASE)
    page.space = space
    people = iter([member_of(space) for _ in range(8)])
    lock = threading.Lock()

    def save():
        with lock:
            person = next(people)
        return services.page_save_revision(page=page, author=person, text=f"{BASE}\n\n{person.pk}", base_number=1)

    results, errors = run_simultaneously(8, save)
    assert len(results) == 1 and len(errors) == 7
    assert all(isinstance(error, services.EditConflict) for error in errors)
    assert sorted(Revision.objects.filter(page=page).values_list("number", flat=True)) == [1, 2]


def test_two_browsers_posting_at_once_one_saved_one_sees_the_merge_screen():
    space = SpaceFactory()
    page = PageFactory(space=space, title="Im Browser", text=BASE)
    clients = []
    for person in (member_of(space), member_of(space)):
        client = Client()
        client.force_login(person)
        clients.append(client)
    posts = iter([(clients[0], BASE.replace("Einleitung.", "Einleitung A.")),
                  (clients[1], BASE.replace("Schluss.", "Schluss B."))])
    lock = threading.Lock()

    def post():
        with lock:
            client, text = next(posts)
        return client.post(f"/wiki/{space.slug}/{page.slug}/edit/",
                           {"title": page.title, "text": text, "base_revision": 1}, HTTP_ACCEPT_LANGUAGE="en")

    results, errors = run_simultaneously(2, post)
    assert errors == []
    assert sorted(response.status_code for response in results) == [302, 409]
    merge_screen = next(response for response in results if response.status_code == 409).content.decode()
    assert "Einleitung A." in merge_screen and "Schluss B." in merge_screen
    assert Page.objects.get(pk=page.pk).revisions.count() == 2
