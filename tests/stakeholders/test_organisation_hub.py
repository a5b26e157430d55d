"""An organisation's page as its hub: purpose first, the ways to join, and what it does with
others (calls, proposals, budgets, tasks, wiki, partners, people) — each section shown only when
it has something, or with a next step when empty, in a constant number of queries."""
import re

import pytest

from budgets.models import Phase
from stakeholders.models import Membership
from tests.budgets.factories import make_process
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory
from tests.wiki.factories import PageFactory, SpaceFactory
from wiki.models import Space

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page_of(client, organisation):
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    return response.text


def sections(html):
    """The ids of the section headings, in page order."""
    return re.findall(r'<h2 id="([a-z-]+)-heading"', html)


def fill(organisation, size):
    """``size`` of everything the hub shows, of one organisation."""
    for _ in range(size):
        CallFactory(organisation=organisation)
        ProposalFactory(organisation=organisation, support_count=3)
        ShiftFactory(task=TaskFactory(organisation=organisation))
        MembershipFactory(organisation=organisation, role="volunteer", is_listed=True)
        organisation.partners.add(OrganisationFactory())
    make_process(organisation, Phase.COLLECTING)
    make_process(OrganisationFactory(), Phase.COLLECTING, partners=[organisation])
    space = SpaceFactory(organisation=organisation)
    for _ in range(size):
        PageFactory(space=space)


def test_a_new_organisation_shows_its_purpose_first_and_hides_what_it_does_not_have(client, organisation):
    html = page_of(client, organisation)
    assert sections(html) == ["purpose", "join", "ideas", "people", "contact"]
    assert organisation.purpose in html
    # The empty sections that remain say what to do next.
    assert "Nobody has made a proposal here yet." in html and 'href="/proposals/new/"' in html
    assert "Nobody has chosen to be listed here yet." in html


def test_a_busy_organisation_shows_every_section(client, organisation):
    fill(organisation, 2)
    html = page_of(client, organisation)
    assert sections(html) == ["purpose", "join", "ideas", "budgets", "tasks", "wiki", "partners", "people", "contact"]
    assert f'href="/proposals/?organisation={organisation.pk}&amp;ordering=supported"' in html
    assert f'href="/budgets/?organisation={organisation.pk}"' in html
    assert f'href="/tasks/?organisation={organisation.pk}"' in html


@pytest.mark.parametrize("size", [1, 6])
def test_the_hub_asks_the_same_number_of_queries_whatever_it_holds(client, django_assert_max_num_queries, size):
    organisation = OrganisationFactory()
    fill(organisation, size)
    person = MembershipFactory(organisation=organisation, role="client").user
    client.force_login(person)
    with django_assert_max_num_queries(15):
        page_of(client, organisation)


def test_proposals_newest_and_most_supported_without_drafts_or_hidden_ones(client, organisation):
    popular = ProposalFactory(organisation=organisation, support_count=40, title="Bank unter der Linde")
    newest = ProposalFactory(organisation=organisation, title="Nachbarschaftsfest im Juni")
    draft = ProposalFactory(organisation=organisation, draft=True)
    hidden = ProposalFactory(organisation=organisation, is_hidden=True, hidden_reason="Werbung")
    elsewhere = ProposalFactory()
    html = page_of(client, organisation)
    assert "Most supported" in html and popular.title in html and newest.title in html
    for unseen in (draft, hidden, elsewhere):
        assert unseen.get_absolute_url() not in html
    assert html.index("Most supported") < html.index(popular.title) < html.index("Newest proposals")


def test_budgets_running_and_past_including_those_run_with_partners(client, organisation):
    running = make_process(organisation, Phase.COLLECTING, title="Budget für den Spielplatz")
    shared = make_process(OrganisationFactory(), Phase.COLLECTING, partners=[organisation], title="Gemeinsames Budget")
    past = make_process(organisation, Phase.RESULTS, title="Budget des letzten Jahres")
    foreign = make_process(OrganisationFactory(), Phase.COLLECTING, title="Fremdes Budget")
    html = page_of(client, organisation)
    assert running.title in html and shared.title in html and past.title in html
    assert foreign.title not in html
    assert html.index("Running now") < html.index(running.title) < html.index("Past budgets") < html.index(past.title)


def test_tasks_appear_only_while_they_need_people(client, organisation):
    full = ShiftFactory(task=TaskFactory(organisation=organisation, title="Schon voll"), capacity=0)
    draft = ShiftFactory(task=TaskFactory(organisation=organisation, draft=True, title="Noch ein Entwurf"))
    past = ShiftFactory(task=TaskFactory(organisation=organisation, title="Schon vorbei"), starts_in=-10)
    html = page_of(client, organisation)
    assert "tasks" not in sections(html)
    for shift in (full, draft, past):
        assert shift.task.title not in html
    open_task = ShiftFactory(task=TaskFactory(organisation=organisation, title="Ausgabe am Samstag")).task
    html = page_of(client, organisation)
    assert "tasks" in sections(html) and open_task.get_absolute_url() in html


def test_a_members_only_wiki_is_not_shown_to_visitors_or_other_people(client, organisation):
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS, name="Interne Notizen")
    page = PageFactory(space=space, title="Schlüsselübergabe")
    for viewer in (None, UserFactory(), MembershipFactory(organisation=organisation, status="requested").user):
        client.logout()
        if viewer:
            client.force_login(viewer)
        html = page_of(client, organisation)
        assert "wiki" not in sections(html) and page.title not in html and space.name not in html
    client.force_login(MembershipFactory(organisation=organisation, role="volunteer").user)
    html = page_of(client, organisation)
    assert "wiki" in sections(html) and page.title in html


def test_a_public_wiki_shows_its_recent_pages_to_everyone(client, organisation):
    space = SpaceFactory(organisation=organisation, name="Wie wir arbeiten")
    page = PageFactory(space=space, title="Übergabe an Neue")
    html = page_of(client, organisation)
    assert page.get_absolute_url() in html and space.get_absolute_url() in html


def test_people_who_did_not_agree_to_be_listed_are_never_shown(client, organisation):
    listed = MembershipFactory(organisation=organisation, role="volunteer", is_listed=True,
                               user__display_name="Gerda Sichtbar")
    unlisted = MembershipFactory(organisation=organisation, role="client", is_listed=False,
                                 user__display_name="Udo Unsichtbar")
    requested = MembershipFactory(organisation=organisation, role="citizen", status="requested", is_listed=True,
                                  user__display_name="Rita Wartet")
    left = MembershipFactory(organisation=organisation, role="supporter", status="left", is_listed=True,
                             user__display_name="Lutz Gegangen")
    for viewer in (None, MembershipFactory(organisation=organisation, role="staff").user):
        if viewer:
            client.force_login(viewer)
        html = page_of(client, organisation)
        assert listed.user.display_name in html
        for hidden in (unlisted, requested, left):
            assert hidden.user.display_name not in html
            assert hidden.user.get_absolute_url() not in html
        assert listed.user.email not in html and listed.user.phone not in html


def test_partners_are_shown_both_ways_and_hidden_without_any(client, organisation, other_organisation):
    assert "partners" not in sections(page_of(client, organisation))
    organisation.partners.add(other_organisation)
    assert other_organisation.get_absolute_url() in page_of(client, organisation)
    assert organisation.get_absolute_url() in page_of(client, other_organisation)


def join_links(html):
    return re.findall(r'href="/organisations/[\w-]+/join/\?role=(\w+)"', html)


def test_visitors_see_every_way_to_join_and_the_first_is_the_primary_action(client, organisation):
    html = page_of(client, organisation)
    assert join_links(html) == ["volunteer", "client", "citizen", "supporter"]
    assert "Join as a volunteer" in html and "Join as a client or member" in html
    assert html.count("data-primary-action") == 1
    assert re.search(r'role=volunteer"\s+data-primary-action', html)


def test_a_visitor_joining_signs_in_first_and_comes_back_to_the_join_form(client, organisation):
    response = client.get(f"/organisations/{organisation.slug}/join/?role=volunteer")
    assert response.status_code == 302
    assert response["Location"] == (f"/accounts/login/?next=/organisations/{organisation.slug}/join/"
                                    "%3Frole%3Dvolunteer")


def test_a_member_sees_their_role_instead_of_its_button(client, organisation):
    member = MembershipFactory(organisation=organisation, role="volunteer").user
    MembershipFactory(user=member, organisation=organisation, role="supporter", status="requested")
    client.force_login(member)
    html = page_of(client, organisation)
    assert join_links(html) == ["client", "citizen"]
    assert "Volunteer: Approved" in html and "Supporter: Requested" in html
    assert re.search(r'role=client"\s+data-primary-action', html)


def test_a_signed_in_non_member_gets_the_join_form_with_the_role_chosen(client, organisation, person):
    client.force_login(person)
    assert join_links(page_of(client, organisation)) == ["volunteer", "client", "citizen", "supporter"]
    response = client.get(f"/organisations/{organisation.slug}/join/?role=citizen")
    assert response.status_code == 200
    assert re.search(r'<option value="citizen" selected>', response.text)
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert Membership.objects.get(user=person, organisation=organisation).role == "citizen"


@pytest.mark.parametrize("role", ["staff", "nonsense", ""])
def test_the_join_form_does_not_preselect_roles_one_cannot_ask_for(client, organisation, person, role):
    client.force_login(person)
    response = client.get(f"/organisations/{organisation.slug}/join/?role={role}")
    assert response.status_code == 200
    assert "selected" not in response.text.split('name="role"')[1].split("</select>")[0]
    assert 'value="staff"' not in response.text


def test_a_refused_join_shows_the_join_form_again_with_the_reason(client, organisation, person):
    client.force_login(person)
    client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    assert response.status_code == 400
    assert "Take part in" in response.text and 'role="alert"' in response.text or "already" in response.text
    assert Membership.objects.filter(user=person, organisation=organisation).count() == 1
