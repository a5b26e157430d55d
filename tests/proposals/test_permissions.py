"""Who may do what with a proposal: each role × each action × each status, including every "may not".

The matrix checks the named rules themselves (rules.has_perm). Django lets an active superuser
pass every user.has_perm() check whatever the rules say; the services still refuse what the
state does not allow, which the last tests pin down.
"""
import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from proposals import services
from proposals.models import Proposal
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status

MEMBERS = {"client", "volunteer", "citizen", "supporter"}
ROLES = ["anonymous", *sorted(MEMBERS), "author", "staff", "other_staff", "superuser"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MODERATORS = {"staff", "superuser"}

HIDDEN = "hidden"  # a published proposal hidden by moderation
STATUSES = [S.DRAFT, S.PUBLISHED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED, S.REJECTED, S.WITHDRAWN,
            HIDDEN]
NOT_DRAFT = [s for s in STATUSES if s != S.DRAFT]
ACTIVE = [S.PUBLISHED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_DELIVERY]

# action -> {status: roles allowed}; a status missing from the mapping allows nobody.
EXPECTED = {
    "view": {S.DRAFT: {"author"}, **{s: EVERYONE for s in NOT_DRAFT}},
    "change": {S.DRAFT: {"author"}, S.PUBLISHED: {"author"}},
    "support": {s: SIGNED_IN for s in ACTIVE},
    "pledge": {s: SIGNED_IN for s in ACTIVE},
    "comment": {s: SIGNED_IN for s in NOT_DRAFT if s != HIDDEN},
    "follow": {s: SIGNED_IN for s in NOT_DRAFT},
    "report": {s: SIGNED_IN for s in NOT_DRAFT},
    "change_status": {s: MODERATORS for s in STATUSES},
    "moderate": {s: MODERATORS for s in STATUSES},
    "assist": {s: MODERATORS for s in STATUSES},
}


def actor(role, organisation, other_organisation, author):
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return author
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "staff":
        return MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    if role == "other_staff":
        return MembershipFactory(organisation=other_organisation, role="staff", user__is_staff=True).user
    return MembershipFactory(organisation=organisation, role=role).user


def proposal_in(status, organisation, author):
    if status == HIDDEN:
        return ProposalFactory(organisation=organisation, author=author, is_hidden=True, hidden_reason="Spam.")
    if status == S.DRAFT:
        return ProposalFactory(organisation=organisation, author=author, draft=True)
    return ProposalFactory(organisation=organisation, author=author, status=status)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, status, organisation, other_organisation):
    author = UserFactory()
    proposal = proposal_in(status, organisation, author)
    user = actor(role, organisation, other_organisation, author)
    granted = {action: rules.has_perm(f"proposals.{action}_proposal", user, proposal) for action in EXPECTED}
    expected = {action: role in by_status.get(status, set()) for action, by_status in EXPECTED.items()}
    assert granted == expected


@pytest.mark.parametrize("role", [r for r in ROLES if r != "superuser"])
def test_user_has_perm_asks_the_rules(role, organisation, other_organisation):
    """The authentication backend wiring: views asking user.has_perm get the rule's answer."""
    author = UserFactory()
    user = actor(role, organisation, other_organisation, author)
    for status in STATUSES:
        proposal = proposal_in(status, organisation, author)
        for action in EXPECTED:
            perm = f"proposals.{action}_proposal"
            assert user.has_perm(perm, proposal) == rules.has_perm(perm, user, proposal), (action, status)


def test_anonymous_and_signed_in_without_object(person):
    assert not rules.has_perm("proposals.add_proposal", AnonymousUser())
    assert rules.has_perm("proposals.add_proposal", person)
    assert not rules.has_perm("proposals.support_proposal", person)  # no proposal, nothing to support


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_is_the_twin_of_the_view_rule(role, organisation, other_organisation):
    author = UserFactory()
    proposals = [proposal_in(status, organisation, author) for status in STATUSES]
    proposals.append(ProposalFactory(organisation=other_organisation, draft=True))  # someone else's draft
    user = actor(role, organisation, other_organisation, author)
    listed = set(Proposal.objects.visible_to(user).values_list("pk", flat=True))
    # user.has_perm is what views ask; for superusers Django answers yes to everything, drafts included.
    allowed = {p.pk for p in proposals if user.has_perm("proposals.view_proposal", p)}
    assert listed == allowed


def test_comment_may_be_changed_only_by_its_author(organisation, staff, person):
    proposal = ProposalFactory(organisation=organisation)
    comment = services.comment_create(proposal=proposal, author=person, text="Gute Idee!")
    assert rules.has_perm("proposals.change_comment", person, comment)
    assert not rules.has_perm("proposals.change_comment", staff, comment)
    assert not rules.has_perm("proposals.change_comment", AnonymousUser(), comment)


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.WITHDRAWN, S.COMPLETED])
def test_superuser_passes_has_perm_but_services_still_refuse(status, organisation, superuser):
    proposal = proposal_in(status, organisation, UserFactory())
    assert superuser.has_perm("proposals.support_proposal", proposal)  # Django's superuser shortcut
    with pytest.raises(services.ProposalError):
        services.proposal_support(proposal=proposal, user=superuser)
    with pytest.raises(services.ProposalError):
        services.pledge_create(proposal=proposal, user=superuser, kind="skills")


def test_other_staff_cannot_use_staff_services(organisation, other_staff):
    proposal = ProposalFactory(organisation=organisation)
    with pytest.raises(services.ProposalError):
        services.proposal_set_status(proposal=proposal, actor=other_staff, to_status=S.UNDER_REVIEW, response="Ja.")
    with pytest.raises(services.ProposalError):
        services.content_set_hidden(target=proposal, moderator=other_staff, hidden=True, reason="Spam.")
    with pytest.raises(services.ProposalError):
        services.proposal_support(proposal=proposal, user=None, entered_by=other_staff, channel="phone",
                                  consent_recorded=True)
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED and not proposal.is_hidden and proposal.support_count == 0
