"""The back office opens on what needs attention: per organisation of the staff member, counted in
one grouped query per kind of work, each line linking into the list that shows exactly those rows."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from budgets.models import Phase
from stakeholders.models import Membership
from tests.budgets.factories import add_entry, make_process
from tests.proposals.factories import CommentFactory, ProposalFactory, ReportFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory
from tests.wiki.factories import PageFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def lines(page):
    """{need code: (count, link)} of the start page's first card."""
    return {code: (int(count), link.replace("&amp;", "&")) for code, count, link in re.findall(
        r'data-need="([\w-]+)">\s*<span class="count">(\d+)</span>\s*<div>\s*<a href="([^"]+)"', page)}


def work(organisation, size=1):
    """``size`` of each kind of waiting work in ``organisation``."""
    for _ in range(size):
        proposal = ProposalFactory(organisation=organisation)
        ReportFactory(proposal=proposal)
        ReportFactory(proposal=proposal, comment=CommentFactory(proposal=proposal))
        MembershipFactory(organisation=organisation, status=Membership.Status.REQUESTED)
        TaskFactory(organisation=organisation, draft=True)
        ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=48)
    process = make_process(organisation, Phase.REVIEW)
    for _ in range(size):
        add_entry(process, feasible=None)


def test_staff_see_the_work_waiting_in_their_organisation(client, staff, organisation, other_organisation):
    work(organisation)
    work(other_organisation, size=3)
    client.force_login(staff)
    page = client.get("/admin/").text
    assert organisation.name in page and other_organisation.name not in page
    found = lines(page)
    assert found["reports"][0] == 2
    assert found["membership-requests"][0] == 1
    assert found["unanswered"][0] == 1
    assert found["draft-tasks"][0] == 1
    assert found["short-shifts"][0] == 1
    assert found["budget-reviews"][0] == 1
    assert "All areas of the back office" in page  # the list of models stays, below


def test_each_line_leads_to_a_list_of_exactly_the_rows_it_counts(client, staff, organisation, other_organisation):
    work(organisation, size=2)
    work(other_organisation)
    client.force_login(staff)
    for code, (count, link) in lines(client.get("/admin/").text).items():
        response = client.get(link)
        assert response.status_code == 200 and "?e=1" not in response.get("Location", ""), code
        assert response.context["cl"].result_count == count, code


def test_the_oldest_proposals_waiting_are_named_with_their_days(client, staff, organisation, other_organisation):
    now = timezone.now()
    for days, title in [(30, "Bänke am Teich"), (9, "Leihladen"), (2, "Bolzplatz"), (1, "Erzählcafé")]:
        ProposalFactory(organisation=organisation, title=title, published_at=now - timedelta(days=days))
    ProposalFactory(organisation=other_organisation, title="Fremde Idee", published_at=now - timedelta(days=40))
    client.force_login(staff)
    page = client.get("/admin/").text
    assert "Longest wait: 30 days" in page and "Fremde Idee" not in page
    named = re.findall(r'<ol class="examples">(.*?)</ol>', page, re.S)[0]
    assert [t for t in ["Bänke am Teich", "Leihladen", "Bolzplatz", "Erzählcafé"] if t in named] == \
        ["Bänke am Teich", "Leihladen", "Bolzplatz"]


def test_staff_of_two_organisations_see_the_oldest_of_each_on_its_card(client, staff, organisation,
                                                                        other_organisation):
    MembershipFactory(organisation=other_organisation, user=staff, role="staff")
    now = timezone.now()
    for days, title in [(30, "Bänke am Teich"), (9, "Leihladen"), (2, "Bolzplatz"), (1, "Erzählcafé")]:
        ProposalFactory(organisation=organisation, title=title, published_at=now - timedelta(days=days))
    ProposalFactory(organisation=other_organisation, title="Fremde Idee", published_at=now - timedelta(days=40))
    client.force_login(staff)
    cards = {}
    for card in client.get("/admin/").text.split('class="module attention"')[1:]:
        named = re.findall(r'<ol class="examples">(.*?)</ol>', card, re.S)
        cards[organisation.name if organisation.name in card.split("</h2>")[0] else other_organisation.name] = named
    assert "Fremde Idee" in cards[other_organisation.name][0] and "Bänke" not in cards[other_organisation.name][0]
    assert "Bolzplatz" in cards[organisation.name][0] and "Erzählcafé" not in cards[organisation.name][0]


def test_an_answered_hidden_or_draft_proposal_is_not_waiting(client, staff, organisation):
    ProposalFactory(organisation=organisation, status="under_review")
    ProposalFactory(organisation=organisation, is_hidden=True)
    ProposalFactory(organisation=organisation, draft=True)
    client.force_login(staff)
    assert "unanswered" not in lines(client.get("/admin/").text)


def test_nothing_waiting_says_so(client, staff):
    client.force_login(staff)
    page = client.get("/admin/").text
    assert "Nothing to do: everything is taken care of." in page
    assert lines(page) == {}


def test_a_shift_with_free_places_counts_only_in_the_next_seven_days(client, staff, organisation):
    task = TaskFactory(organisation=organisation)
    ShiftFactory(task=task, starts_in=24 * 6)
    ShiftFactory(task=task, starts_in=24 * 8)
    client.force_login(staff)
    assert lines(client.get("/admin/").text)["short-shifts"][0] == 1


def test_wiki_pages_whose_owner_left_are_to_hand_over(client, staff, organisation):
    space = SpaceFactory(organisation=organisation)
    leaver = MembershipFactory(organisation=organisation, role="volunteer").user
    page = PageFactory(space=space, author=leaver)
    page.owner = leaver
    page.save(update_fields=["owner"])
    Membership.objects.filter(user=leaver).update(status=Membership.Status.LEFT)
    client.force_login(staff)
    count, link = lines(client.get("/admin/").text)["wiki-handover"]
    assert count == 1
    assert page.title in client.get(link).text


def test_another_organisations_id_shows_staff_nothing_of_it(client, staff, other_organisation):
    work(other_organisation)
    client.force_login(staff)
    page = client.get(f"/admin/?organisation={other_organisation.pk}").text
    assert other_organisation.name not in page and lines(page) == {}


def test_staff_of_two_organisations_get_a_card_for_each(client, staff, organisation, other_organisation):
    MembershipFactory(organisation=other_organisation, user=staff, role="staff")
    work(organisation)
    work(other_organisation, size=2)
    client.force_login(staff)
    page = client.get("/admin/").text
    assert page.count('class="module attention"') == 2
    second = page.split('class="module attention"')[2]
    assert lines('class="module attention"' + second)["draft-tasks"][0] == 2


def test_an_operator_sees_everything_or_one_organisation(client, superuser, organisation, other_organisation):
    work(organisation)
    work(other_organisation, size=2)
    client.force_login(superuser)
    everything = client.get("/admin/").text
    assert "All organisations" in everything and lines(everything)["draft-tasks"][0] == 3
    one = client.get(f"/admin/?organisation={other_organisation.pk}").text
    assert lines(one)["draft-tasks"][0] == 2 and other_organisation.name in one
    assert client.get("/admin/?organisation=abc").status_code == 200


def test_people_without_a_staff_role_may_not_see_it(client, person, organisation):
    MembershipFactory(organisation=organisation, user=person, role="volunteer")
    work(organisation)
    client.force_login(person)
    assert client.get("/admin/").status_code == 302
    client.logout()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_the_start_page_costs_the_same_queries_at_any_size(client, request, organisation, other_organisation,
                                                           django_assert_max_num_queries, who):
    client.force_login(request.getfixturevalue(who))
    work(organisation)
    with django_assert_max_num_queries(25) as small:
        client.get("/admin/")
    work(organisation, size=8)
    work(other_organisation, size=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/")
