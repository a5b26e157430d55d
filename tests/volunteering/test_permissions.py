"""Who may do what in volunteering: each role × each rule × each state, and every "may not".

Roles: anonymous, members of the organisation in other roles (client, citizen, supporter and a
volunteer who is not the one signed up), the person signed up ("owner"), staff of this and of
another organisation, and a platform superuser. The matrix checks the named rules themselves
(rules.has_perm); each list rule is then compared with its twin QuerySet.
"""
from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.stakeholders.factories import MembershipFactory, UserFactory
from volunteering import services
from volunteering.models import Certificate, Shift, SignUp, Task

from .factories import ShiftFactory, TaskFactory, expire_offer, hours_from_now, move_shift, sign_up

pytestmark = pytest.mark.django_db

MEMBERS = ["client", "citizen", "supporter", "volunteer"]
ROLES = ["anonymous", *MEMBERS, "owner", "staff", "other_staff", "superuser"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MANAGERS = {"staff", "superuser"}


def actor(role, organisation, other_organisation, owner):
    if role == "anonymous":
        return AnonymousUser()
    if role == "owner":
        return owner
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "staff":
        return MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    if role == "other_staff":
        return MembershipFactory(organisation=other_organisation, role="staff", user__is_staff=True).user
    return MembershipFactory(organisation=organisation, role=role).user


# Tasks and shifts -------------------------------------------------------------------------------

TASK_STATES = ["draft", "published", "cancelled"]
TASK_EXPECTED = {
    "view_task": {"draft": MANAGERS, "published": EVERYONE, "cancelled": EVERYONE},
    "change_task": {state: MANAGERS for state in TASK_STATES},
}

SHIFT_STATES = ["open", "full", "closed", "cancelled", "draft_task", "over"]
SHIFT_EXPECTED = {
    "view_shift": {**{state: EVERYONE for state in SHIFT_STATES}, "draft_task": MANAGERS},
    "change_shift": {state: MANAGERS for state in SHIFT_STATES},
    "view_roster_shift": {state: MANAGERS for state in SHIFT_STATES},
    "sign_up_shift": {"open": SIGNED_IN, "full": SIGNED_IN},  # a full shift still has its waitlist
}


def task_in(state, organisation):
    return TaskFactory(organisation=organisation, **({state: True} if state != "published" else {}))


def shift_in(state, organisation, staff=None):
    task = TaskFactory(organisation=organisation, **({"draft": True} if state == "draft_task" else {}))
    shift = ShiftFactory(task=task, capacity=1)
    if state == "full":
        sign_up(shift)
    elif state == "closed":
        move_shift(shift, starts_at=hours_from_now(1))
    elif state == "over":
        move_shift(shift, starts_at=hours_from_now(-5))
    elif state == "cancelled":
        Shift.objects.filter(pk=shift.pk).update(cancelled_at=timezone.now())
        shift.refresh_from_db()
    return shift


@pytest.mark.parametrize("state", TASK_STATES)
@pytest.mark.parametrize("role", ROLES)
def test_task_matrix(role, state, organisation, other_organisation):
    task = task_in(state, organisation)
    user = actor(role, organisation, other_organisation, UserFactory())
    granted = {perm: rules.has_perm(f"volunteering.{perm}", user, task) for perm in TASK_EXPECTED}
    assert granted == {perm: role in by_state[state] for perm, by_state in TASK_EXPECTED.items()}


@pytest.mark.parametrize("role", ROLES)
def test_adding_tasks_is_for_the_organisations_staff(role, organisation, other_organisation):
    user = actor(role, organisation, other_organisation, UserFactory())
    assert rules.has_perm("volunteering.add_task", user, organisation) == (role in MANAGERS)


@pytest.mark.parametrize("state", SHIFT_STATES)
@pytest.mark.parametrize("role", ROLES)
def test_shift_matrix(role, state, organisation, other_organisation):
    shift = shift_in(state, organisation)
    user = actor(role, organisation, other_organisation, UserFactory())
    granted = {perm: rules.has_perm(f"volunteering.{perm}", user, shift) for perm in SHIFT_EXPECTED}
    assert granted == {perm: role in by_state.get(state, set()) for perm, by_state in SHIFT_EXPECTED.items()}


# Sign-ups -------------------------------------------------------------------------------------------

SIGNUP_STATES = ["confirmed", "waitlisted", "offered", "offer_ran_out", "cancelled", "started"]
OWN_OR_MANAGER = {"owner", *MANAGERS}
SIGNUP_EXPECTED = {
    "view_signup": {state: OWN_OR_MANAGER for state in SIGNUP_STATES},
    "view_contact_signup": {state: MANAGERS for state in SIGNUP_STATES},
    # An offer that ran out but was not yet swept may still be declined.
    "cancel_signup": {state: OWN_OR_MANAGER for state in ["confirmed", "waitlisted", "offered", "offer_ran_out"]},
    "confirm_signup": {"offered": {"owner"}},
    "mark_attendance_signup": {"started": MANAGERS},
}


def sign_up_in(state, organisation, owner):
    # Each state on its own day, so one owner never holds overlapping shifts.
    shift = ShiftFactory(task=TaskFactory(organisation=organisation), capacity=1,
                         starts_in=72 + 24 * SIGNUP_STATES.index(state))
    if state in ("confirmed", "cancelled", "started"):
        record = sign_up(shift, owner)
        if state == "cancelled":
            record = services.shift_cancel_sign_up(sign_up=record, actor=owner)
        if state == "started":
            move_shift(shift, starts_at=hours_from_now(-1))
        return SignUp.objects.get(pk=record.pk)
    holder = sign_up(shift)
    record = sign_up(shift, owner)
    if state in ("offered", "offer_ran_out"):
        services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    if state == "offer_ran_out":
        expire_offer(record)
    return SignUp.objects.get(pk=record.pk)


@pytest.mark.parametrize("state", SIGNUP_STATES)
@pytest.mark.parametrize("role", ROLES)
def test_sign_up_matrix(role, state, organisation, other_organisation):
    owner = MembershipFactory(organisation=organisation, role="volunteer").user
    record = sign_up_in(state, organisation, owner)
    user = actor(role, organisation, other_organisation, owner)
    granted = {perm: rules.has_perm(f"volunteering.{perm}", user, record) for perm in SIGNUP_EXPECTED}
    assert granted == {perm: role in by_state.get(state, set()) for perm, by_state in SIGNUP_EXPECTED.items()}


@pytest.mark.parametrize("role", ROLES)
def test_certificates_and_profiles_are_the_holders(role, organisation, other_organisation):
    owner = UserFactory()
    certificate = Certificate.objects.create(
        user=owner, organisation=organisation, period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate(), holder_name="Hans", organisation_name=organisation.name, hours=3,
    )
    profile = services.volunteer_profile_get(user=owner)
    user = actor(role, organisation, other_organisation, owner)
    assert rules.has_perm("volunteering.view_certificate", user, certificate) == (
        role in {"owner", "staff", "superuser"})
    assert rules.has_perm("volunteering.issue_certificate", user, organisation) == (role in SIGNED_IN)
    assert rules.has_perm("volunteering.change_volunteerprofile", user, profile) == (role == "owner")
    assert set(Certificate.objects.visible_to(user)) == (
        {certificate} if rules.has_perm("volunteering.view_certificate", user, certificate) else set()
    )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "superuser"])
def test_user_has_perm_asks_the_rules(role, organisation, other_organisation):
    """The authentication backend wiring: views asking user.has_perm get the rule's answer."""
    owner = MembershipFactory(organisation=organisation, role="volunteer").user
    user = actor(role, organisation, other_organisation, owner)
    record = sign_up_in("offered", organisation, owner)
    for perm in SIGNUP_EXPECTED:
        assert user.has_perm(f"volunteering.{perm}", record) == rules.has_perm(f"volunteering.{perm}", user, record)
    for perm in SHIFT_EXPECTED:
        assert user.has_perm(f"volunteering.{perm}", record.shift) == rules.has_perm(
            f"volunteering.{perm}", user, record.shift)


# Twin QuerySets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_task_and_shift_querysets_are_the_twins_of_the_rules(role, organisation, other_organisation):
    tasks = [task_in(state, organisation) for state in TASK_STATES]
    tasks.append(TaskFactory(organisation=other_organisation, draft=True))  # someone else's draft
    shifts = [shift_in(state, organisation) for state in SHIFT_STATES]
    shifts.append(ShiftFactory(task=TaskFactory(organisation=other_organisation, draft=True)))
    user = actor(role, organisation, other_organisation, UserFactory())
    all_tasks = tasks + [shift.task for shift in shifts]

    def allowed(perm, objects):
        return {obj.pk for obj in objects if rules.has_perm(perm, user, obj)}

    assert set(Task.objects.visible_to(user).values_list("pk", flat=True)) == allowed("volunteering.view_task",
                                                                                     all_tasks)
    assert set(Task.objects.manageable_by(user).values_list("pk", flat=True)) == allowed("volunteering.change_task",
                                                                                        all_tasks)
    assert set(Shift.objects.visible_to(user).values_list("pk", flat=True)) == allowed("volunteering.view_shift",
                                                                                      shifts)
    assert set(Shift.objects.manageable_by(user).values_list("pk", flat=True)) == allowed(
        "volunteering.view_roster_shift", shifts)
    if user.is_authenticated:
        assert set(Shift.objects.open_for_sign_up().values_list("pk", flat=True)) == allowed(
            "volunteering.sign_up_shift", shifts)


@pytest.mark.parametrize("role", ROLES)
def test_sign_up_querysets_are_the_twins_of_the_rules(role, organisation, other_organisation):
    owner = MembershipFactory(organisation=organisation, role="volunteer").user
    records = [sign_up_in(state, organisation, owner) for state in SIGNUP_STATES]
    records.append(sign_up(ShiftFactory(task=TaskFactory(organisation=other_organisation))))  # elsewhere
    user = actor(role, organisation, other_organisation, owner)
    everyone_signed_up = SignUp.objects.filter(pk__in=[r.pk for r in SignUp.objects.all()])

    def allowed(perm):
        return {r.pk for r in everyone_signed_up.select_related("shift__task") if rules.has_perm(perm, user, r)}

    assert set(SignUp.objects.visible_to(user).values_list("pk", flat=True)) == allowed("volunteering.view_signup")
    assert set(SignUp.objects.contact_visible_to(user).values_list("pk", flat=True)) == allowed(
        "volunteering.view_contact_signup")


def test_superuser_passes_has_perm_but_services_still_refuse(organisation, superuser):
    """Django lets an active superuser pass every has_perm; the services still check the state."""
    shift = shift_in("closed", organisation)
    assert superuser.has_perm("volunteering.sign_up_shift", shift)
    with pytest.raises(services.VolunteeringError):
        services.shift_sign_up(shift=shift, user=superuser)
    record = sign_up_in("waitlisted", organisation, UserFactory())
    with pytest.raises(services.VolunteeringError):
        services.offer_confirm(sign_up=record, user=superuser)
