"""The demo tasks: full, open and waitlisted shifts across organisations; a second run changes nothing."""
from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Activity
from stakeholders.demo import DemoSite
from volunteering import demo
from volunteering.models import BriefingLink, Shift, SignUp, Task, VolunteerProfile

from .factories import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    demo.seed(DemoSite.seeded())


def snapshot():
    return (
        {model.__name__: model.objects.count() for model in (Task, Shift, SignUp, VolunteerProfile, Activity)},
        list(Shift.objects.order_by("pk").values_list("capacity", "confirmed_count", "offered_count",
                                                      "waitlist_count")),
    )


def test_seeding_twice_changes_nothing(seeded):
    first = snapshot()
    demo.seed(DemoSite.seeded())
    assert Task.objects.filter(title__in=[data["title"] for data in demo.TASKS]).count() == len(demo.TASKS)
    assert snapshot() == first


def test_the_demo_has_full_open_and_waitlisted_shifts_across_organisations(seeded):
    upcoming = Shift.objects.open_for_sign_up()
    assert upcoming.full().filter(waitlist_count=0).exists()
    assert upcoming.full().filter(waitlist_count__gt=0).exists()
    assert upcoming.with_free_places().filter(confirmed_count__gt=0).exists()
    assert Task.objects.open_for_sign_up().values("organisation").distinct().count() == 4
    assert Task.objects.filter(status=Task.Status.DRAFT).exists()
    assert Task.objects.filter(kind=Task.Kind.MEETING, proposal__isnull=True).exists()
    assert Task.objects.filter(proposal__isnull=False).count() >= 3
    assert SignUp.objects.attended().exists()  # certificates can be tried out
    for shift in Shift.objects.all():
        counts(shift)


def test_the_briefing_link_keeps_the_demo_wiki_page_it_names(seeded):
    """The volunteering demo runs after the wiki's, so the link follows the page through renames."""
    link = BriefingLink.objects.get(url="/wiki/lindenhof/reparaturcafe/")
    assert link.page is not None and link.page.title == "Reparaturcafé"


def test_without_the_demo_organisations_nothing_is_seeded(db):
    demo.seed(DemoSite.seeded())
    assert not Task.objects.exists()
