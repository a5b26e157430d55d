"""A small world with public content and private data of every kind, for the API's privacy tests.

Every private value carries the word SECRET (names, addresses, numbers, texts); every public
object the word PUBLIC, so a test can check both that the API reached the data and that it said
nothing private.
"""
import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from budgets.models import Phase
from proposals import services as proposal_services
from proposals.models import Implementation, Pledge, Proposal
from stakeholders.models import Invitation, Membership
from tests.budgets.factories import add_entry, make_process, move_to, process_staff, vote
from tests.proposals.factories import CallFactory, CommentFactory, ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit
from volunteering import services as volunteering_services
from volunteering.models import Certificate
from wiki.models import Space


def secret_person(role):
    number = {"author": 1, "staff": 2, "volunteer": 3, "voter": 4, "editor": 5, "member": 6}[role]
    return UserFactory(email=f"secret-{role}@leak.example", display_name=f"SECRET {role.title()} Name",
                       phone=f"0170 555 000{number}", bio=f"SECRET bio of the {role}")


def build_world():
    """Returns (people, the public markers the API must show)."""
    organisation = OrganisationFactory(name="PUBLIC Zentrum", slug="public-zentrum",
                                       contact_email="secret-contact@leak.example", contact_phone="0170 555 0009")
    author, staff, volunteer, voter, editor, member = (
        secret_person(role) for role in ("author", "staff", "volunteer", "voter", "editor", "member"))
    MembershipFactory(user=staff, organisation=organisation, role=Membership.Role.STAFF)
    MembershipFactory(user=member, organisation=organisation, role=Membership.Role.VOLUNTEER,
                      message="SECRET membership message")
    MembershipFactory(user=volunteer, organisation=organisation, role=Membership.Role.VOLUNTEER)
    MembershipFactory(user=editor, organisation=organisation, role=Membership.Role.VOLUNTEER)
    Invitation.objects.create(organisation=organisation, email="secret-invitee@leak.example", role="volunteer",
                              token="SECRET-invitation-token", invited_by=staff,
                              expires_at=timezone.now() + datetime.timedelta(days=7))

    # Proposals: one public with history, pledges and comments; a draft; a hidden one.
    call = CallFactory(organisation=organisation, title="PUBLIC call for ideas")
    proposal = ProposalFactory(organisation=organisation, author=author, call=call, title="PUBLIC proposal",
                               text="PUBLIC proposal text")
    proposal_services.proposal_support(proposal=proposal, user=voter)
    CommentFactory(proposal=proposal, author=volunteer, text="SECRET comment of a volunteer")
    proposal_services.pledge_create(proposal=proposal, user=volunteer, kind=Pledge.Kind.SKILLS,
                                    note="SECRET pledge note")
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=Proposal.Status.UNDER_REVIEW,
                                          response="PUBLIC official response")
    ProposalFactory(organisation=organisation, author=author, title="SECRET draft proposal", draft=True)
    ProposalFactory(organisation=organisation, author=author, title="SECRET hidden proposal", is_hidden=True,
                    hidden_reason="SECRET reason for hiding")

    # A budget through voting to implementation with an update and an evaluation.
    process = make_process(organisation, title="PUBLIC budget", slug="public-budget")
    funded = add_entry(process, author=author, title="PUBLIC budget proposal", cost=Decimal("800"))
    add_entry(process, author=author, title="PUBLIC infeasible budget proposal", feasible=False,
              reason="PUBLIC review reason")
    move_to(process, Phase.VOTING)
    vote(process, voter, [funded])
    move_to(process, Phase.RESULTS)
    move_to(process, Phase.IMPLEMENTATION)
    proposal_services.implementation_update_post(proposal=funded.proposal, actor=process_staff(process),
                                               text="PUBLIC progress update", status=Implementation.Status.IN_PROGRESS,
                                               progress=40)
    make_process(organisation, phase=Phase.ANNOUNCED, title="PUBLIC announced budget", slug="announced-budget")

    # Volunteering: a public task with a shift somebody signed up for; a draft task.
    task = TaskFactory(organisation=organisation, title="PUBLIC task", location="PUBLIC place")
    shift = ShiftFactory(task=task)
    sign_up(shift, user=volunteer)
    TaskFactory(organisation=organisation, title="SECRET draft task", draft=True)
    Certificate.objects.create(user=volunteer, organisation=organisation, period_start=datetime.date(2026, 1, 1),
                               period_end=datetime.date(2026, 6, 30), holder_name=volunteer.display_name,
                               organisation_name=organisation.name, hours=Decimal("3"), tasks=["PUBLIC task"],
                               verification_code="SECRETCODE1")
    volunteering_services.calendar_token_rotate(user=volunteer)

    # Wiki: a public page edited by a member; a page in a members-only space.
    public_space = SpaceFactory(organisation=organisation, name="PUBLIC space", slug="public-space")
    page = PageFactory(space=public_space, author=editor, title="PUBLIC wiki page", text="PUBLIC wiki text")
    edit(page, editor, "PUBLIC wiki text, improved", summary="SECRET edit summary")
    members_space = SpaceFactory(organisation=organisation, name="SECRET members space", slug="members-space",
                                 visibility=Space.Visibility.MEMBERS)
    PageFactory(space=members_space, author=editor, title="SECRET members page", text="SECRET members text")

    people = {"author": author, "staff": staff, "volunteer": volunteer, "voter": voter, "editor": editor,
              "member": member, "anonymous": AnonymousUser()}
    public = ["PUBLIC Zentrum", "PUBLIC call for ideas", "PUBLIC proposal", "PUBLIC official response",
              "PUBLIC budget", "PUBLIC budget proposal", "PUBLIC progress update", "PUBLIC task",
              "PUBLIC wiki page"]
    return people, public
