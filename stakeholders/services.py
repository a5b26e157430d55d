"""State changes of memberships and invitations. Views, admin and tasks call these."""
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from coproduction.activity import record

from .models import Invitation, Membership
from .events import Verb


class MembershipError(DomainError):
    """A membership change that the rules refuse; the message is shown to the person."""


@transaction.atomic
def membership_request(*, user, organisation, role, message="", is_listed=False):
    """A person asks to join an organisation in a role; staff decide on it."""
    if role not in Membership.REQUESTABLE_ROLES:
        raise MembershipError(_("This role cannot be requested; staff are invited by their organisation."))
    existing = Membership.objects.active().filter(user=user, organisation=organisation, role=role).first()
    if existing is not None:
        raise MembershipError(_duplicate_message(existing))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, message=message, is_listed=is_listed
            )
    except IntegrityError:
        # A simultaneous request for the same role won the race.
        raise MembershipError(_("You have already asked to join in this role.")) from None
    record(actor=user, verb=Verb.REQUESTED, target=membership, organisation=organisation)
    return membership


def _duplicate_message(membership):
    if membership.status == Membership.Status.APPROVED:
        return _("You already hold this role in this organisation.")
    return _("You have already asked to join in this role.")


@transaction.atomic
def membership_decide(*, membership, decided_by, approve):
    """Staff approve or decline a pending request; a decided request stays decided."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.status != Membership.Status.REQUESTED:
        raise MembershipError(_("This request has already been decided."))
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        _sync_back_office_access(membership.user)
    record(actor=decided_by, verb=Verb.APPROVED if approve else Verb.DECLINED,
                    target=membership, organisation=membership.organisation)
    return membership


@transaction.atomic
def membership_leave(*, membership, user):
    """A member gives up a role (or withdraws a pending request)."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.user_id != user.pk:
        raise MembershipError(_("You can only leave your own memberships."))
    if membership.status not in Membership.ACTIVE_STATUSES:
        raise MembershipError(_("This membership has already ended."))
    was_approved = membership.status == Membership.Status.APPROVED
    membership.status = Membership.Status.LEFT
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    _sync_back_office_access(membership.user)
    if was_approved:
        record(actor=user, verb=Verb.LEFT, target=membership, organisation=membership.organisation)
    return membership


@transaction.atomic
def membership_set_multiplier(*, membership, value):
    """Staff mark (or unmark) an approved member as a multiplier (key person)."""
    if membership.status != Membership.Status.APPROVED:
        raise MembershipError(_("Only approved members can be marked as multipliers."))
    membership.is_multiplier = value
    membership.save(update_fields=["is_multiplier"])
    return membership


def _sync_back_office_access(user):
    """Staff of any organisation get into the admin; others (but superusers) do not."""
    if user.is_superuser:
        return
    is_staff = Membership.objects.approved().filter(user=user, role=Membership.Role.STAFF).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def invitation_create(*, organisation, email, role, invited_by):
    """Staff invite someone by email; the email carries a personal link to accept."""
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation))
    return invitation


def _send_invitation_email(invitation):
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL.rstrip("/") + invitation.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation to %(organisation)s") % {"organisation": invitation.organisation.name}
        body = render_to_string("stakeholders/email/invitation.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [invitation.email])


@transaction.atomic
def invitation_accept(*, invitation, user):
    """The invited person takes the role; a pending request for it is approved on the way."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise MembershipError(_("This invitation has expired or has already been used."))
    membership = Membership.objects.active().filter(
        user=user, organisation=invitation.organisation, role=invitation.role
    ).first()
    now = timezone.now()
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            status=Membership.Status.APPROVED,
            decided_at=now,
            decided_by=invitation.invited_by,
        )
    elif membership.status == Membership.Status.REQUESTED:
        membership.status = Membership.Status.APPROVED
        membership.decided_at = now
        membership.decided_by = invitation.invited_by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _sync_back_office_access(user)
    return membership
