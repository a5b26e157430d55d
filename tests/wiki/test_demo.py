"""The demo wiki: spaces for every demo organisation and the platform, linked pages with history,
the four templates, a handover and a review case; a second run changes nothing."""
from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Activity
from stakeholders.demo import DemoSite
from stakeholders.models import Organisation
from wiki import demo
from wiki.models import Link, Page, PageRedirect, PageTemplate, Revision, Space

pytestmark = pytest.mark.django_db


def seed():
    demo.seed(DemoSite.seeded())


def snapshot():
    return (
        list(Space.objects.order_by("slug").values_list("slug", "organisation__slug", "page_count")),
        list(Page.objects.order_by("pk").values_list("title", "slug", "current_revision__number", "owner__email")),
        Revision.objects.count(), Link.objects.count(), PageRedirect.objects.count(), Activity.objects.count(),
        list(PageTemplate.objects.values_list("slug", "name", "text")),
    )


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", stdout=StringIO())
    seed()


def test_seeding_twice_changes_nothing(demo_site):
    first = snapshot()
    seed()
    assert snapshot() == first


def test_every_organisation_and_the_platform_have_a_space(demo_site):
    assert set(Space.objects.values_list("organisation__slug", flat=True)) == {
        *Organisation.objects.values_list("slug", flat=True), None}
    assert Space.objects.filter(visibility="members").exists() and Space.objects.filter(editors="staff").exists()


def test_pages_are_linked_and_have_history_by_several_people(demo_site):
    assert Link.objects.filter(target_page__isnull=False).count() >= 8
    assert Link.objects.filter(target_page__isnull=True).exists()  # red links to write next
    multi = Page.objects.filter(current_revision__number__gte=3)
    assert multi.exists()
    for page in multi:
        assert page.revisions.values("author").distinct().count() >= 2
    for space in Space.objects.all():
        assert space.page_count == space.pages.count() > 0


def test_the_four_templates(demo_site):
    assert list(PageTemplate.objects.values_list("name", flat=True)) == [
        "Übergabenotiz", "So machen wir …", "Briefing für eine Aufgabe", "Protokoll eines Runden Tisches"]


def test_handover_and_review_cases(demo_site):
    assert set(Page.objects.owned_by_leavers().values_list("title", flat=True)) == {"Übergabe Fahrradwerkstatt",
                                                                                   "Werkzeugliste"}
    assert list(Page.objects.needs_review().values_list("title", flat=True)) == ["Werkzeugliste"]


def test_the_volunteering_briefing_address_exists(demo_site):
    """volunteering/demo.py links its repair-café task to this page."""
    assert Page.objects.at_address("/wiki/lindenhof/reparaturcafe/").title == "Reparaturcafé"
