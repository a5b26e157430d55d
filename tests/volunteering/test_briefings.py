"""Briefings: tasks link wiki pages; volunteers confirm they read them; staff see who has."""
import pytest

from notifications.models import Activity
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.wiki.factories import PageFactory, SpaceFactory
from volunteering import services
from volunteering.models import BriefingRead

from .factories import BriefingLinkFactory, ShiftFactory, TaskFactory, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefed_task(organisation):
    space = SpaceFactory(organisation=organisation, slug="ausgabe")
    page = PageFactory(space=space, title="Ablauf der Ausgabe")
    task = TaskFactory(organisation=organisation)
    BriefingLinkFactory(task=task, title="Vorher lesen", url=page.get_absolute_url())
    return task, page


def test_a_link_to_a_wiki_page_keeps_the_page_through_renames(briefed_task, organisation):
    from wiki import services as wiki_services

    task, page = briefed_task
    link = task.briefing_links.get()
    assert link.page == page and link.href == page.get_absolute_url()
    author = MembershipFactory(organisation=organisation).user
    number = page.revisions.get(pk=page.current_revision_id).number
    wiki_services.page_save_revision(page=page, author=author, text="Neu.\n", title="Ablauf an der Ausgabe",
                                     summary="Umbenannt", base_number=number)
    page.refresh_from_db()
    link.refresh_from_db()
    assert link.href == page.get_absolute_url() != link.url


def test_an_outside_address_stays_a_plain_link(organisation):
    link = BriefingLinkFactory(task=TaskFactory(organisation=organisation), url="https://example.org/leitfaden")
    assert link.page is None and link.href == "https://example.org/leitfaden"


def test_a_signed_up_volunteer_confirms_once_and_it_is_logged(briefed_task):
    task, _page = briefed_task
    record = sign_up(ShiftFactory(task=task))
    services.briefing_confirm_read(task=task, user=record.user)
    with pytest.raises(services.VolunteeringError, match="already confirmed"):
        services.briefing_confirm_read(task=task, user=record.user)
    assert BriefingRead.objects.filter(task=task, user=record.user).count() == 1
    assert Activity.objects.filter(verb="briefing.read", actor=record.user).count() == 1


def test_only_people_signed_up_confirm(briefed_task):
    task, _page = briefed_task
    with pytest.raises(services.VolunteeringError, match="Sign up"):
        services.briefing_confirm_read(task=task, user=UserFactory())
    assert not BriefingRead.objects.exists()


def test_a_task_without_briefing_has_nothing_to_confirm(organisation):
    task = TaskFactory(organisation=organisation)
    record = sign_up(ShiftFactory(task=task))
    with pytest.raises(services.VolunteeringError, match="no briefing"):
        services.briefing_confirm_read(task=task, user=record.user)


def test_the_page_offers_the_confirmation_and_staff_see_it_on_the_roster(client, briefed_task, staff):
    task, page = briefed_task
    shift = ShiftFactory(task=task)
    record = sign_up(shift)
    client.force_login(record.user)
    detail = client.get(task.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    assert page.get_absolute_url() in detail and "I have read the briefing" in detail
    response = client.post(f"/tasks/{task.pk}/briefing-read/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert "You confirmed on" in client.get(task.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    client.force_login(staff)
    roster = client.get(f"/tasks/shifts/{shift.pk}/roster/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Briefing read" in roster and "yes, on" in roster


def test_confirming_without_a_sign_up_is_refused_through_the_page(client, briefed_task, person):
    task, _page = briefed_task
    client.force_login(person)
    assert client.post(f"/tasks/{task.pk}/briefing-read/").status_code == 400
    assert not BriefingRead.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, briefed_task):
    task, _page = briefed_task
    response = client.post(f"/tasks/{task.pk}/briefing-read/")
    assert response.status_code == 302 and "login" in response.url
