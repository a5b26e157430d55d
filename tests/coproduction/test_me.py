"""My area (/me/): each app's part about the signed-in person only, the account's data and deletion last."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Phase
from proposals import services as proposal_services
from stakeholders.models import Membership
from tests.budgets.factories import add_entry, make_process, move_to, vote
from tests.proposals.factories import PledgeFactory, ProposalFactory, SupportFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up
from tests.wiki.factories import PageFactory
from wiki.models import Watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def my_area(client):
    response = client.get(reverse("me"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login")) and "next=/me/" in response["Location"]


def test_my_proposals_drafts_included_and_only_mine(client, organisation, person):
    ProposalFactory(organisation=organisation, author=person, title="Mein Entwurf", draft=True)
    ProposalFactory(organisation=organisation, author=person, title="Mein Vorschlag")
    ProposalFactory(organisation=organisation, title="Fremder Entwurf", draft=True)
    client.force_login(person)
    page = my_area(client)
    assert "Mein Entwurf" in page and "only you see this draft" in page and "Mein Vorschlag" in page
    assert "Fremder Entwurf" not in page
    assert 'status status-draft' in page and 'status status-open' in page


def test_supports_follows_and_pledges_are_listed(client, organisation, person):
    supported = ProposalFactory(organisation=organisation, title="Unterstützt")
    SupportFactory(proposal=supported, user=person)
    followed = ProposalFactory(organisation=organisation, title="Verfolgt")
    proposal_services.proposal_follow(proposal=followed, user=person)
    pledged = ProposalFactory(organisation=organisation, title="Mit Zusage")
    PledgeFactory(proposal=pledged, user=person, kind="time", hours=3)
    SupportFactory(proposal=ProposalFactory(organisation=organisation, title="Von anderen"), user=UserFactory())
    client.force_login(person)
    page = my_area(client)
    assert "Unterstützt" in page and "Verfolgt" in page and "Mit Zusage" in page and "3 h" in page
    assert "Von anderen" not in page


def test_a_ballot_shows_only_whether_and_when_it_was_cast_never_the_choice(client, organisation, person):
    process = make_process(organisation, title="Budget Süd")
    chosen = add_entry(process, title="Geheime Wahl A")
    other = add_entry(process, title="Geheime Wahl B")
    move_to(process, Phase.VOTING)
    neighbour = UserFactory()
    vote(process, neighbour, [other])
    client.force_login(person)
    page = my_area(client)
    assert "Budget Süd" in page and "not cast" in page and reverse("budgets:ballot", args=[process.slug]) in page
    vote(process, person, [chosen])
    page = my_area(client)
    assert "cast on" in page
    assert "Geheime Wahl A" not in page and "Geheime Wahl B" not in page
    client.force_login(neighbour)
    assert "Geheime Wahl" not in my_area(client)


def test_volunteering_memberships_watches_and_settings(client, organisation, person):
    MembershipFactory(organisation=organisation, user=person, role=Membership.Role.VOLUNTEER)
    sign_up(ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel am Montag")), person)
    page_ = PageFactory(title="Werkzeugliste")
    Watch.objects.create(user=person, page=page_)
    client.force_login(person)
    page = my_area(client)
    assert "Tafel am Montag" in page and reverse("volunteering:mine") in page
    assert organisation.name in page and reverse("stakeholders:leave", args=[person.memberships.get().pk]) in page
    assert "Werkzeugliste" in page and reverse("notifications:preferences") in page


def test_leaving_a_role_from_my_area_comes_back_to_it(client, organisation, person):
    membership = MembershipFactory(organisation=organisation, user=person, role=Membership.Role.VOLUNTEER)
    client.force_login(person)
    response = client.post(reverse("stakeholders:leave", args=[membership.pk]), {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LEFT


def test_the_data_download_and_the_deletion_come_last(client, person):
    client.force_login(person)
    page = my_area(client)
    deletion = page.index(reverse("stakeholders:account_delete"))
    download = page.index(reverse("stakeholders:my_data"))
    for earlier in ["My proposals", "My votes in participatory budgets", "My volunteering",
                    "My organisations and roles", "How I hear about things"]:
        assert page.index(earlier) < download < deletion, earlier
    # The account's section is the last of all panels.
    assert page.rindex('<section class="me-panel') == page.index('<section class="me-panel me-wide me-account"')


def test_the_profile_page_no_longer_starts_with_the_deletion(client, person):
    client.force_login(person)
    page = client.get(reverse("stakeholders:profile")).content.decode()
    assert page.index(reverse("stakeholders:profile_edit")) < page.index(reverse("stakeholders:account_delete"))
    assert reverse("me") in page


def world(size, person):
    for number in range(size):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, user=person, role=Membership.Role.VOLUNTEER)
        ProposalFactory(organisation=organisation, author=person, draft=True)
        mine = ProposalFactory(organisation=organisation, author=person)
        SupportFactory(proposal=mine, user=UserFactory())
        other = ProposalFactory(organisation=organisation)
        SupportFactory(proposal=other, user=person)
        PledgeFactory(proposal=other, user=person, kind="time", hours=2)
        proposal_services.proposal_follow(proposal=other, user=person)
        process = make_process(organisation)
        entry = add_entry(process)
        move_to(process, Phase.VOTING)
        vote(process, person, [entry])
        sign_up(ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=24 * (number + 3)), person)
        Watch.objects.create(user=person, page=PageFactory())


def queries(client, person):
    client.force_login(person)
    my_area(client)
    with CaptureQueriesContext(connection) as captured:
        my_area(client)
    return len(captured)


def test_my_area_asks_the_same_number_of_queries_at_two_sizes(client):
    small, large = UserFactory(), UserFactory()
    world(1, small)
    few = queries(client, small)
    world(8, large)
    many = queries(client, large)
    assert many == few, (few, many)
    assert many <= 16
