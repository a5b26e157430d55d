import pytest
from django.urls import reverse

from stakeholders.models import Membership, User

from tests.proposals.factories import CommentFactory, ProposalFactory
from tests.wiki.factories import PageFactory, SpaceFactory
from wiki.models import Space

from .factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_organisations_with_purpose(client, organisation):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert organisation.name in response.text and organisation.purpose in response.text


def test_directory_filters_by_city_and_search(client):
    OrganisationFactory(name="Pflegeverein Süd", city="Göttingen")
    OrganisationFactory(name="Jugendtreff Nord", city="Kassel")
    response = client.get("/organisations/", {"city": "Göttingen"})
    assert "Pflegeverein Süd" in response.text and "Jugendtreff Nord" not in response.text
    response = client.get("/organisations/", {"q": "jugendtreff"})
    assert "Jugendtreff Nord" in response.text and "Pflegeverein Süd" not in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_directory_queries_do_not_grow(client, django_assert_max_num_queries, size):
    OrganisationFactory.create_batch(size)
    with django_assert_max_num_queries(6):
        assert client.get("/organisations/").status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_organisation_page_queries_do_not_grow(client, organisation, django_assert_max_num_queries, size):
    MembershipFactory.create_batch(size, organisation=organisation)
    organisation.partners.add(*OrganisationFactory.create_batch(size))
    # The organisation, its partners and listed people, then the apps' panels (test_organisation_hub).
    with django_assert_max_num_queries(10):
        assert client.get(organisation.get_absolute_url()).status_code == 200


def test_organisation_page_shows_partners_and_only_listed_people(client, organisation, other_organisation):
    organisation.partners.add(other_organisation)
    listed = MembershipFactory(organisation=organisation, role="volunteer", is_listed=True, is_multiplier=True)
    unlisted = MembershipFactory(organisation=organisation, role="client", is_listed=False)
    pending = MembershipFactory(organisation=organisation, role="citizen", status="requested", is_listed=True)
    page = client.get(organisation.get_absolute_url()).text
    assert other_organisation.name in page
    assert listed.user.display_name in page
    assert unlisted.user.display_name not in page
    assert pending.user.display_name not in page
    # partnership is mutual
    assert organisation.name in client.get(other_organisation.get_absolute_url()).text


def test_private_contact_data_is_never_shown_to_others(client, organisation):
    member = MembershipFactory(organisation=organisation, is_listed=True).user
    for url in [organisation.get_absolute_url(), member.get_absolute_url(), "/organisations/"]:
        page = client.get(url).text
        assert member.email not in page and member.phone not in page
    client.force_login(UserFactory())
    page = client.get(member.get_absolute_url()).text
    assert member.display_name in page and member.email not in page and member.phone not in page


def test_public_profile_shows_only_listed_approved_roles(client, organisation, other_organisation):
    listed = MembershipFactory(organisation=organisation, role="volunteer", is_listed=True)
    MembershipFactory(user=listed.user, organisation=other_organisation, role="client", is_listed=False)
    page = client.get(listed.user.get_absolute_url()).text
    assert organisation.name in page and other_organisation.name not in page


def test_own_profile_shows_all_my_roles_and_statuses(client, organisation, other_organisation):
    membership = MembershipFactory(organisation=organisation, role="volunteer", is_listed=False)
    MembershipFactory(user=membership.user, organisation=other_organisation, role="supporter", status="requested")
    client.force_login(membership.user)
    page = client.get("/profile/").text
    assert organisation.name in page and other_organisation.name in page
    assert membership.user.email in page


def test_profile_needs_login(client):
    response = client.get("/profile/")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_join_request_by_form(client, person, organisation):
    client.force_login(person)
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen", "is_listed": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.status, membership.is_listed) == ("citizen", "requested", True)


def test_joining_twice_shows_a_clear_message(client, person, organisation):
    client.force_login(person)
    client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "already asked to join" in response.text
    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.parametrize(
    "data",
    [{"role": "staff"}, {"role": "king"}, {}, {"role": "citizen", "message": "x" * 501}],
    ids=["staff-not-requestable", "unknown-role", "missing-role", "overlong-message"],
)
def test_join_bad_input_is_refused_and_nothing_saved(client, person, organisation, data):
    client.force_login(person)
    response = client.post(f"/organisations/{organisation.slug}/join/", data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert not Membership.objects.exists()


def test_anonymous_may_not_join(client, organisation):
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    assert response.status_code == 302 and "login" in response.url
    assert not Membership.objects.exists()


def test_join_needs_csrf_token(person, organisation):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(f"/organisations/{organisation.slug}/join/", {"role": "citizen"})
    assert response.status_code == 403
    assert not Membership.objects.exists()


def test_leave_only_own_membership(client, organisation):
    membership = MembershipFactory(organisation=organisation)
    client.force_login(UserFactory())
    assert client.post(f"/memberships/{membership.pk}/leave/").status_code == 404
    membership.refresh_from_db()
    assert membership.status == "approved"
    client.force_login(membership.user)
    client.post(f"/memberships/{membership.pk}/leave/")
    membership.refresh_from_db()
    assert membership.status == "left"


def test_profile_edit_rejects_overlong_fields(client, person):
    client.force_login(person)
    response = client.post(
        "/profile/edit/", {"display_name": "x" * 81, "bio": "y" * 1001, "phone": "", "language": "de"}
    )
    assert response.status_code == 200
    assert response.text.count('aria-invalid="true"') == 2
    person.refresh_from_db()
    assert person.display_name != "x" * 81


def test_profile_edit_saves_and_remembers_language(client, person):
    client.force_login(person)
    response = client.post("/profile/edit/", {"display_name": "Neu", "bio": "", "phone": "", "language": "en"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.language) == ("Neu", "en")
    assert response.cookies["django_language"].value == "en"


def test_invitation_page_accepts_for_signed_in_person(client, organisation, staff, person):
    from stakeholders import services

    invitation = services.invitation_create(organisation=organisation, email=person.email, role="volunteer", invited_by=staff)
    assert client.get(invitation.get_absolute_url()).status_code == 302  # login first
    client.force_login(person)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    client.post(invitation.get_absolute_url())
    assert Membership.objects.get(user=person).status == "approved"
    assert client.get("/invitations/not-a-token/").status_code == 404


def test_signup_with_email_verification_and_language(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "Neue@Example.org", "display_name": "Neue Nachbarin", "language": "en",
         "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="neue@example.org")
    assert (user.display_name, user.language) == ("Neue Nachbarin", "en")
    assert len(mailoutbox) == 1 and "/accounts/confirm-email/" in mailoutbox[0].body
    # not verified yet: login is held back until the address is confirmed
    response = client.post("/accounts/login/", {"login": "neue@example.org", "password": PASSWORD})
    assert response.url == reverse("account_email_verification_sent")


def test_signup_with_an_existing_email_creates_no_second_account(client, person, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": person.email.upper(), "display_name": "Doppelt", "language": "de",
         "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302  # no hint to strangers whether the address is known
    assert User.objects.filter(email__iexact=person.email).count() == 1
    assert mailoutbox[0].to == [person.email.upper()] or mailoutbox[0].to == [person.email]


@pytest.mark.parametrize(
    "data,field",
    [
        ({"email": "not-an-email", "display_name": "A"}, "email"),
        ({"email": "a@example.org", "display_name": ""}, "display_name"),
        ({"email": "a@example.org", "display_name": "x" * 81}, "display_name"),
        ({"email": "a@example.org", "display_name": "A", "password2": "different-passphrase-1"}, "password2"),
    ],
)
def test_signup_bad_input(client, data, field):
    payload = {"language": "de", "password1": PASSWORD, "password2": PASSWORD, **data}
    response = client.post("/accounts/signup/", payload)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert not User.objects.exists()


def test_failed_logins_are_rate_limited(client, person):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": person.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
        assert "Too many failed login attempts" not in response.text
    response = client.post("/accounts/login/", {"login": person.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed login attempts" in response.text
    # even the right password is refused while the limit holds
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_organisation_page_leads_to_its_open_calls_and_proposals(client, organisation):
    from tests.proposals.factories import CallFactory, ProposalFactory

    call = CallFactory(organisation=organisation)
    proposal = ProposalFactory(organisation=organisation)
    draft = ProposalFactory(organisation=organisation, draft=True)
    page = client.get(organisation.get_absolute_url()).text
    assert call.get_absolute_url() in page and proposal.get_absolute_url() in page
    assert draft.get_absolute_url() not in page


def test_a_person_whose_name_nothing_public_shows_is_not_found(client, organisation):
    # Ids are sequential: counting through /people/<id>/ must not list everyone with an account.
    quiet = MembershipFactory(organisation=organisation, is_listed=False).user
    ProposalFactory(author=quiet, draft=True)
    CommentFactory(author=quiet, is_hidden=True, hidden_reason="Beleidigung")
    PageFactory(space=SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS), author=quiet)
    url = quiet.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(quiet)
    assert client.get(url).status_code == 200  # "See my public profile" works for everyone


@pytest.mark.parametrize("contribution", ["listed membership", "proposal", "comment", "public wiki edit"])
def test_a_person_who_stepped_forward_has_a_public_page(client, organisation, contribution):
    person = UserFactory(display_name="Nadia Öztürk")
    {
        "listed membership": lambda: MembershipFactory(user=person, organisation=organisation, is_listed=True),
        "proposal": lambda: ProposalFactory(author=person),
        "comment": lambda: CommentFactory(author=person),
        "public wiki edit": lambda: PageFactory(
            space=SpaceFactory(organisation=MembershipFactory(user=person, is_listed=False).organisation),
            author=person),
    }[contribution]()
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200 and "Nadia Öztürk" in response.text
