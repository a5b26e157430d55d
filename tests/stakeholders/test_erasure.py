"""Deleting one's own account (Art. 17 DSGVO): the map of decisions, the service, the page, and who may not."""
import datetime
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from budgets import services as budget_services
from budgets.models import Ballot, Entry, Phase, Pick, Process
from budgets.services.results import results_compute
from notifications.messaging import message_send
from notifications.models import Activity, Delivery, Notification, Preference
from notifications.wording import actor_name
from proposals import services as proposal_services
from proposals.models import Comment, Evaluation, Implementation, ImplementationUpdate, Pledge, Proposal, Support
from stakeholders import erasure, services as stakeholder_services
from stakeholders.erasure import ERASURE, ErasureError, erase_account
from stakeholders.models import Invitation, Membership, Organisation, User
from coproduction.images import PictureInput, prepare
from tests.budgets.factories import add_entry, make_process, move_to, publish
from tests.coproduction.pictures import make_picture, png, upload
from tests.proposals.factories import CallFactory
from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.stakeholders.test_privacy import populate, user_references
from tests.volunteering.factories import BriefingLinkFactory, ShiftFactory, TaskFactory, counts, move_shift, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit
from volunteering import services as volunteering_services
from volunteering.models import Certificate, Shift, SignUp, VolunteerProfile
from wiki.models import Page, Revision
from wiki.services import people as wiki_people

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

KINDS = ("delete", "unlink", "keep as deleted user")


def _field(reference):
    label, name = reference.rsplit(".", 1)
    model = apps.get_model(label)
    return model, model._meta.get_field(name)


def test_every_user_reference_has_an_erasure_decision_with_a_reason():
    references = user_references()
    forgotten = references - set(ERASURE)
    assert not forgotten, (
        f"These models refer to a person but no ERASURE (in their app's privacy.py, collected in "
        f"stakeholders.erasure.ERASURE) says what deleting an account does with them: {sorted(forgotten)}"
    )
    stale = set(ERASURE) - references
    assert not stale, f"Listed in ERASURE but no longer a user reference: {sorted(stale)}"
    for reference, decision in ERASURE.items():
        kind, _colon, reason = decision.partition(":")
        assert kind in KINDS and reason.strip(), f"{reference}: say delete, unlink or keep as deleted user, and why"


def test_what_stays_without_a_person_survives_the_deletion_of_the_user_row():
    for reference, decision in ERASURE.items():
        if decision.startswith(("unlink", "keep as deleted user")):
            _model, field = _field(reference)
            assert field.null and field.remote_field.on_delete is models.SET_NULL, (
                f"{reference} is to stay without a person, but its on_delete would remove it")


def references_of(user):
    """{reference: [row pks]} of every row that points at ``user``."""
    rows = {}
    for reference in ERASURE:
        model, field = _field(reference)
        rows[reference] = sorted(model._default_manager.filter(**{field.name: user.pk}).values_list("pk", flat=True))
    return rows


def counters_hold(*organisations):
    """The kept counters of the organisations' proposals, shifts, implementations and budgets equal their rows."""
    for proposal in Proposal.objects.filter(organisation__in=organisations):
        assert proposal.support_count == Support.objects.filter(proposal=proposal).count(), proposal.title
        assert proposal.pledge_count == Pledge.objects.filter(proposal=proposal).count(), proposal.title
        assert proposal.comment_count == Comment.objects.filter(proposal=proposal).count(), proposal.title
    for shift in Shift.objects.filter(task__organisation__in=organisations):
        counts(shift)
    for implementation in Implementation.objects.filter(proposal__organisation__in=organisations):
        ratings = Evaluation.objects.filter(implementation=implementation)
        assert implementation.evaluation_count == ratings.count()
        assert implementation.rating_sum == sum(ratings.values_list("rating", flat=True))
    for process in Process.objects.filter(organisation__in=organisations):
        assert process.ballot_count == process.ballots.filter(status=Ballot.Status.CONFIRMED).count()


def build():
    """Anna takes part everywhere: as volunteer and client of the Lindenhof, and as the only staff of a club."""
    now = timezone.now()
    lindenhof = OrganisationFactory(name="Zentrum Lindenhof")
    club = OrganisationFactory(name="Solo-Verein")
    sam = MembershipFactory(organisation=lindenhof, role="staff", user__is_staff=True,
                            user__display_name="Sam Staff").user
    anna = UserFactory(email="anna@example.org", display_name="Anna Adler", bio="Über Anna", phone="0561 111")
    EmailAddress.objects.create(user=anna, email="anna.alt@example.org", verified=False, primary=False)
    bert = MembershipFactory(organisation=lindenhof, user__email="bert@example.org", user__display_name="Bert Berg",
                             user__language="en").user
    membership = MembershipFactory(user=anna, organisation=lindenhof, role="volunteer", message="Ich helfe gern")
    stakeholder_services.membership_request(user=anna, organisation=lindenhof, role="client", message="Bitte")
    MembershipFactory(user=anna, organisation=club, role="staff")
    request = stakeholder_services.membership_request(user=bert, organisation=club, role="client")
    stakeholder_services.membership_decide(membership=request, decided_by=anna, approve=True)
    guest = Invitation.objects.create(organisation=club, email="gast@example.org", role="volunteer", invited_by=anna,
                                      expires_at=now + datetime.timedelta(days=7))
    Invitation.objects.create(organisation=lindenhof, email="ANNA@example.org", role="volunteer", invited_by=sam,
                              accepted_by=anna, accepted_at=now, expires_at=now + datetime.timedelta(days=7))
    Invitation.objects.create(organisation=lindenhof, email="anna.alt@example.org", role="citizen", invited_by=sam,
                              expires_at=now + datetime.timedelta(days=7))
    LogEntry.objects.create(user=anna, content_type=ContentType.objects.get_for_model(Organisation),
                            object_id=str(club.pk), object_repr=club.name, action_flag=CHANGE, change_message="[]")
    about_anna = LogEntry.objects.create(
        user=sam, content_type=ContentType.objects.get_for_model(Membership), object_id=str(membership.pk),
        object_repr=str(membership), action_flag=CHANGE, change_message="[]")

    # Proposals: her own, a draft, and what she does on Bert's.
    mode = {"summary": "Kurz gesagt.", "text": "Ausführlich.", "planning": "together", "delivery": "community"}
    own = proposal_services.proposal_create(author=anna, organisation=lindenhof, title="Annas Idee", publish=True,
                                            image=PictureInput(prepared=prepare(upload(png())), alt="Annas Foto"),
                                            **mode)
    own_picture = own.image
    draft = proposal_services.proposal_create(author=anna, organisation=lindenhof, title="Annas Entwurf", **mode)
    berts = proposal_services.proposal_create(author=bert, organisation=lindenhof, title="Berts Idee", publish=True,
                                              **mode)
    proposal_services.proposal_support(proposal=berts, user=anna)
    proposal_services.proposal_support(proposal=berts, user=sam)
    comment = proposal_services.comment_create(proposal=berts, author=anna, text="Kommentar von Anna")
    reply = proposal_services.comment_create(proposal=berts, author=bert, text="Antwort an Anna", parent=comment)
    on_own = proposal_services.comment_create(proposal=own, author=bert, text="Gute Idee, Anna")
    for kind, hours in (("time", Decimal("3")), ("skills", None)):
        proposal_services.pledge_create(proposal=berts, user=anna, kind=kind, hours=hours, note="Zusage von Anna")
    proposal_services.pledge_create(proposal=berts, user=bert, kind="room", note="Mein Keller")
    proposal_services.report_create(reporter=anna, reason="Meldung von Anna", proposal=berts, comment=reply)
    # What she did as staff of the club: entries for participants, status, moderation, a call.
    assisted = {"entered_by": anna, "channel": "phone", "consent_recorded": True}
    clubs = proposal_services.proposal_create(author=None, organisation=club, title="Telefonidee", publish=True,
                                              **mode, **assisted)
    proposal_services.proposal_support(proposal=clubs, user=None, **assisted)
    proposal_services.comment_create(proposal=clubs, author=None, text="Am Telefon gesagt", **assisted)
    proposal_services.pledge_create(proposal=clubs, user=None, kind="room", note="Gemeinderaum", **assisted)
    proposal_services.proposal_set_status(proposal=clubs, actor=anna, to_status="under_review", response="Wir prüfen.")
    report = proposal_services.report_create(reporter=bert, reason="Passt nicht", proposal=clubs)
    proposal_services.report_decide(report=report, moderator=anna, hide=False)
    CallFactory(organisation=club, created_by=anna)
    club_logo = make_picture(user=anna, alt="Logo des Vereins")  # uploaded as the club's staff
    Organisation.objects.filter(pk=club.pk).update(logo=club_logo)
    proposal_services.proposal_set_status(proposal=clubs, actor=anna, to_status="accepted", response="Machen wir.")
    proposal_services.implementation_update_post(proposal=clubs, actor=anna, text="Raum gebucht",
                                               status="in_progress", progress=40)
    proposal_services.proposal_set_status(proposal=berts, actor=sam, to_status="accepted", response="Gut so.")
    proposal_services.implementation_update_post(proposal=berts, actor=sam, text="Fertig", status="completed",
                                               progress=100)
    implementation = Implementation.objects.get(proposal=berts)
    proposal_services.evaluation_create(implementation=implementation, user=anna, rating=4, comment="Hat geholfen")
    proposal_services.evaluation_create(implementation=implementation, user=bert, rating=2)

    # Budgets: a counted vote with published results, and an unconfirmed one in a running vote.
    counted = make_process(lindenhof, title="Budget Lindenhof")
    annas_entry = add_entry(counted, author=anna, title="Annas Budgetidee", cost=Decimal("3000"))
    berts_entry = add_entry(counted, author=bert, title="Berts Budgetidee", cost=Decimal("2000"))
    other_entry = add_entry(counted, author=sam, title="Sams Budgetidee", cost=Decimal("9000"))
    move_to(counted, Phase.VOTING)
    budget_services.ballot_set_picks(process=counted, user=anna, entry_ids=[annas_entry.pk, berts_entry.pk])
    budget_services.ballot_confirm(process=counted, user=anna)
    for voter in (bert, sam):
        budget_services.ballot_set_picks(process=counted, user=voter, entry_ids=[berts_entry.pk])
        budget_services.ballot_confirm(process=counted, user=voter)
    budget_services.ballot_set_picks(process=counted, user=UserFactory(), entry_ids=[other_entry.pk])
    publish(counted)
    running = make_process(club, title="Budget Verein")  # Anna is the club's staff: she reviews its entries
    Process.objects.filter(pk=running.pk).update(created_by=anna)
    club_entry = add_entry(running, author=bert, title="Vereinsidee")
    move_to(running, Phase.VOTING)
    budget_services.ballot_set_picks(process=running, user=anna, entry_ids=[club_entry.pk])
    budget_services.ballot_set_picks(process=running, user=bert, entry_ids=[club_entry.pk])
    budget_services.ballot_confirm(process=running, user=bert)
    budget_services.process_follow(process=running, user=anna)

    # Volunteering: hours in the past, places to come, a waitlist, a shift under way.
    task = TaskFactory(organisation=lindenhof, title="Tafel")
    BriefingLinkFactory(task=task)
    past = ShiftFactory(task=task, starts_in=72)
    attended = sign_up(past, anna)
    move_shift(past, starts_at=now - datetime.timedelta(days=2))
    volunteering_services.attendance_mark(sign_up=attended, actor=sam, attended=True)
    volunteering_services.certificate_issue(user=anna, organisation=lindenhof, period_start=timezone.localdate()
                                            - datetime.timedelta(days=7), period_end=timezone.localdate())
    full = ShiftFactory(task=task, starts_in=96, capacity=1)
    sign_up(full, anna)
    berts_wait = sign_up(full, bert)
    queue = ShiftFactory(task=task, starts_in=120, capacity=1)
    sign_up(queue, sam)
    sign_up(queue, anna)
    under_way = ShiftFactory(task=task, starts_in=150, capacity=2)
    kept_place = sign_up(under_way, anna)
    move_shift(under_way, starts_at=now - datetime.timedelta(hours=1))
    volunteering_services.briefing_confirm_read(task=task, user=anna)
    volunteering_services.volunteer_profile_update(user=anna, availability=[(2, datetime.time(9), datetime.time(12))])
    volunteering_services.calendar_token_rotate(user=anna)
    club_task = TaskFactory(organisation=club, created_by=anna)
    cancelled_for_bert = sign_up(ShiftFactory(task=club_task), bert)
    volunteering_services.shift_cancel_sign_up(sign_up=cancelled_for_bert, actor=anna)
    berts_past = ShiftFactory(task=club_task, starts_in=80)
    berts_hours = sign_up(berts_past, bert)
    move_shift(berts_past, starts_at=now - datetime.timedelta(days=1))
    volunteering_services.attendance_mark(sign_up=berts_hours, actor=anna, attended=True)
    volunteering_services.shift_cancel(shift=ShiftFactory(task=club_task, starts_in=200), actor=anna)

    # Wiki: pages she wrote and looks after, one that Bert edited since, and watches.
    space = SpaceFactory(organisation=lindenhof)
    page = PageFactory(space=space, author=anna, title="Übergabe Tafel", text="So geht die Ausgabe.")
    handed = PageFactory(space=space, author=anna, title="Schlüsselliste")
    edit(handed, bert, "Neue Liste", summary="Bert ergänzt")
    wiki_people.page_watch(page=page, user=anna)
    wiki_people.page_watch(page=page, user=bert)
    edit(page, anna, "So geht die Ausgabe, mit Kühlschrank.", summary="Anna ergänzt")

    # Notifications: what Anna was told, and an email to Bert that named her.
    Preference.objects.create(user=anna, category="wiki", channel="weekly")
    Delivery.objects.create(recipient=anna, kind=Delivery.Kind.DAILY, period="2026-01-01",
                            status=Delivery.Status.SENT, sent_at=now, subject="Your daily summary: 3 new")
    about_comment = Notification.objects.get(recipient=bert, activity__verb="comment.created",
                                             activity__actor=anna)
    berts_email = Delivery.objects.create(recipient=bert, kind=Delivery.Kind.IMMEDIATE, period=str(about_comment.pk),
                                          status=Delivery.Status.SENT, sent_at=now,
                                          subject="Anna Adler commented on “Berts Idee”.")
    Notification.objects.filter(pk=about_comment.pk).update(delivery=berts_email)
    assert Notification.objects.filter(recipient=anna).exists()
    # A message she wrote to the club's volunteers: it stays in the club's record of who was told what.
    message_send(author=anna, value=f"role-volunteer:{club.pk}", subject="Treffen am Freitag", body="Bis dann!",
                 key=uuid.uuid4())

    carla = populate(UserFactory(email="carla@example.org", display_name="Carla Klein"), "CCC")
    return SimpleNamespace(**locals())


@pytest.fixture
def world():
    return build()


def test_erasure_deletes_personal_data_and_keeps_what_others_rely_on(world):
    w = world
    before = references_of(w.anna)
    assert all(before.values()), f"the test world lacks rows for {[k for k, v in before.items() if not v]}"
    carla_before, bert_before = references_of(w.carla), references_of(w.bert)
    results_before = results_compute(w.counted)[0]
    stored_results = sorted(Entry.objects.filter(process=w.counted).values_list("pk", "vote_count", "is_funded",
                                                                                 "result_rank"))
    ballots_before = {p.pk: p.ballot_count for p in Process.objects.all()}
    hours_before = SignUp.objects.in_organisation(w.lindenhof).hours_total()
    token = VolunteerProfile.objects.get(user=w.anna).calendar_token
    code = Certificate.objects.get(user=w.anna).verification_code
    ratings_before = Implementation.objects.values_list("evaluation_count", "rating_sum").get(pk=w.implementation.pk)

    erase_account(user=w.anna, actor=w.anna)

    assert not User.objects.filter(pk=w.anna.pk).exists()
    exceptions = {"proposals.Proposal.author": {w.draft.pk},
                  # The picture of her own proposal goes with its files; the club's logo stays, unlinked.
                  "coproduction.Picture.uploaded_by": {w.own_picture.pk},
                  "budgets.Ballot.user": set(Ballot.objects.filter(pk__in=before["budgets.Ballot.user"])
                                             .values_list("pk", flat=True)) ^ set(before["budgets.Ballot.user"])}
    assert exceptions["budgets.Ballot.user"], "the unconfirmed ballot is deleted"
    for reference, decision in ERASURE.items():
        model, field = _field(reference)
        rows = model._default_manager.filter(pk__in=before[reference])
        if decision.startswith("delete"):
            assert not rows.exists(), f"{reference}: {decision}"
        else:
            expected = set(before[reference]) - exceptions.get(reference, set())
            assert set(rows.values_list("pk", flat=True)) == expected, f"{reference}: {decision}"
            assert not rows.exclude(**{f"{field.name}__isnull": True}).exists(), reference

    # Other people's data is untouched; Bert only gains the offer of Anna's freed place.
    assert references_of(w.carla) == carla_before
    bert_after = references_of(w.bert)
    assert len(bert_after.pop("notifications.Notification.recipient")) > len(
        bert_before.pop("notifications.Notification.recipient"))
    assert bert_after == bert_before
    counters_hold(w.lindenhof, w.club)

    # Proposals and comments stay; supports and pledges are withdrawn with their counts.
    w.berts.refresh_from_db()
    assert (w.berts.support_count, w.berts.pledge_count, w.berts.comment_count) == (1, 1, 2)
    assert Comment.objects.get(pk=w.reply.pk).parent_id == w.comment.pk
    assert Comment.objects.get(pk=w.comment.pk).text == "Kommentar von Anna"
    assert Proposal.objects.get(pk=w.own.pk).author is None
    assert Proposal.objects.get(pk=w.own.pk).image is None
    assert Organisation.objects.get(pk=w.club.pk).logo == w.club_logo
    assert not Proposal.objects.filter(pk=w.draft.pk).exists()
    clubs = Proposal.objects.get(pk=w.clubs.pk)
    assert clubs.entered_by is None and clubs.channel == "phone"
    assert Support.objects.get(proposal=clubs).consent_recorded

    # Ballots: counted ones stay counted, results do not change; the unconfirmed one is gone with its picks.
    assert results_compute(w.counted)[0] == results_before
    assert sorted(Entry.objects.filter(process=w.counted).values_list("pk", "vote_count", "is_funded",
                                                                      "result_rank")) == stored_results
    assert {p.pk: p.ballot_count for p in Process.objects.all()} == ballots_before
    assert not Pick.objects.filter(ballot__process=w.running, ballot__user__isnull=True).exists()
    assert Ballot.objects.filter(process=w.counted, user__isnull=True).count() == 1
    assert Implementation.objects.values_list("evaluation_count", "rating_sum").get(
        pk=w.implementation.pk) == ratings_before
    assert ImplementationUpdate.objects.get(text="Raum gebucht").author is None

    # Volunteering: places freed through the services, the waitlist moved on, hours still counted.
    assert SignUp.objects.get(pk=w.berts_wait.pk).status == SignUp.Status.OFFERED
    assert (w.full.refresh_from_db() or w.full.confirmed_count, w.full.offered_count) == (0, 1)
    assert w.queue.refresh_from_db() or w.queue.waitlist_count == 0
    kept = SignUp.objects.get(pk=w.kept_place.pk)
    assert kept.status == SignUp.Status.CONFIRMED and kept.user is None
    attended = SignUp.objects.get(pk=w.attended.pk)
    assert attended.user is None and attended.hours == Decimal("2.00")
    assert SignUp.objects.in_organisation(w.lindenhof).hours_total() == hours_before
    assert VolunteerProfile.objects.by_calendar_token(token) is None
    assert Certificate.objects.by_code(code) is None

    # Wiki: pages and history stay without names; the pages she looked after wait for a new owner.
    page = Page.objects.get(pk=w.page.pk)
    assert page.owner is None and page.created_by is None and page.last_edited_by is None
    assert Revision.objects.filter(page=page, author__isnull=True).count() == 2
    assert Page.objects.get(pk=w.handed.pk).last_edited_by == w.bert

    # The activity log keeps what happened, names nobody, and others read "Deleted user".
    erased = Activity.objects.filter(data__actor_erased=True)
    assert erased.count() == len(before["notifications.Activity.actor"]) + 2  # two cancellations on the way
    assert actor_name(erased.get(verb="comment.created", target_id=w.comment.pk)) == "Deleted user"
    assert actor_name(Activity.objects.get(verb="signup.offered", target_id=w.berts_wait.pk)) == "Koproduktion"
    for secret in ("Anna Adler", "anna@example.org", "0561 111"):
        assert not Activity.objects.filter(title__contains=secret).exists()
        assert not any(secret in str(data) for data in Activity.objects.values_list("data", flat=True))
        assert not Delivery.objects.filter(subject__contains=secret).exists()
    assert Delivery.objects.get(pk=w.berts_email.pk).subject == "Deleted user commented on “Berts Idee”."
    with translation.override(settings.LANGUAGE_CODE):
        assert LogEntry.objects.get(pk=w.about_anna.pk).object_repr == gettext("deleted user")

    # Invitations holding her addresses go; the one she sent stays valid.
    assert Invitation.objects.get(pk=w.guest.pk).invited_by is None
    assert not Invitation.objects.filter(email__iexact="anna@example.org").exists()
    assert not Invitation.objects.filter(email__iexact="anna.alt@example.org").exists()
    assert not EmailAddress.objects.filter(email__in=["anna@example.org", "anna.alt@example.org"]).exists()


def test_erasure_removes_the_files_of_the_pictures_of_own_proposals(world, django_capture_on_commit_callbacks):
    own, logo = world.own_picture.names, world.club_logo.names
    assert all(default_storage.exists(name) for name in own + logo)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=world.anna, actor=world.anna)
    assert not any(default_storage.exists(name) for name in own)
    assert all(default_storage.exists(name) for name in logo)


def test_the_address_signs_up_again_after_erasure(world, client, mailoutbox):
    erase_account(user=world.anna, actor=world.anna)
    response = client.post(reverse("account_signup"), {
        "email": "anna@example.org", "display_name": "Anna Neu", "language": "de",
        "password1": "ein-neues-langes-Passwort-7", "password2": "ein-neues-langes-Passwort-7",
    })
    assert response.status_code == 302
    again = User.objects.get(email="anna@example.org")
    assert again.pk != world.anna.pk and again.display_name == "Anna Neu"
    assert not again.memberships.exists() and not again.shift_sign_ups.exists() and not again.ballots.exists()
    assert mailoutbox and mailoutbox[-1].to == ["anna@example.org"]


def test_a_failure_midway_leaves_everything_as_it_was(world, monkeypatch):
    w = world
    before = references_of(w.anna), references_of(w.bert)
    states = sorted(SignUp.objects.values_list("pk", "status", "user_id"))
    shifts = sorted(Shift.objects.values_list("pk", "confirmed_count", "offered_count", "waitlist_count"))
    proposals = sorted(Proposal.objects.values_list("pk", "support_count", "pledge_count", "author_id"))
    activities = sorted(Activity.objects.values_list("pk", "actor_id", "data"))

    def crash(user):
        raise RuntimeError("the database went away")

    # The last step before the user row goes: by then places are freed and supports withdrawn.
    monkeypatch.setattr(erasure, "_invitations_of", crash)
    with pytest.raises(RuntimeError):
        erase_account(user=w.anna, actor=w.anna)

    assert User.objects.filter(pk=w.anna.pk).exists()
    assert (references_of(w.anna), references_of(w.bert)) == before
    assert sorted(SignUp.objects.values_list("pk", "status", "user_id")) == states
    assert sorted(Shift.objects.values_list("pk", "confirmed_count", "offered_count", "waitlist_count")) == shifts
    assert sorted(Proposal.objects.values_list("pk", "support_count", "pledge_count", "author_id")) == proposals
    assert sorted(Activity.objects.values_list("pk", "actor_id", "data")) == activities
    counters_hold(w.lindenhof, w.club)


def test_erasing_a_staff_member_keeps_contributions_they_entered_for_participants(organisation, staff):
    proposal = proposal_services.proposal_create(
        author=None, organisation=organisation, title="Per Telefon", summary="Kurz.", text="Lang.",
        planning="together", delivery="community", publish=True, entered_by=staff, channel="phone",
        consent_recorded=True)
    support = proposal_services.proposal_support(proposal=proposal, user=None, entered_by=staff, channel="paper",
                                                 consent_recorded=True)
    erase_account(user=staff, actor=staff)
    support.refresh_from_db()
    proposal.refresh_from_db()
    assert support.entered_by is None and support.user is None and proposal.support_count == 1


# Who may erase whom.

def test_nobody_erases_someone_else_unless_a_platform_operator(person, superuser):
    other = UserFactory()
    with pytest.raises(ErasureError, match="only delete your own account"):
        erase_account(user=other, actor=person)
    with pytest.raises(ErasureError, match="Sign in first"):
        erase_account(user=other, actor=None)
    assert User.objects.filter(pk=other.pk).exists()
    erase_account(user=other, actor=superuser)
    assert not User.objects.filter(pk=other.pk).exists()


def test_a_platform_operator_cannot_erase_themselves(superuser):
    with pytest.raises(ErasureError, match="Another platform operator"):
        erase_account(user=superuser, actor=superuser)
    assert User.objects.filter(pk=superuser.pk).exists()
    other_operator = UserFactory(is_staff=True, is_superuser=True)
    erase_account(user=superuser, actor=other_operator)
    assert not User.objects.filter(pk=superuser.pk).exists()


# The page.

URL = "/profile/delete/"


def test_the_page_lives_at_its_address():
    assert reverse("stakeholders:account_delete") == URL


def test_anonymous_people_are_sent_to_sign_in(client, person):
    for response in (client.get(URL), client.post(URL, {"password": PASSWORD})):
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert User.objects.filter(pk=person.pk).exists()


def test_the_page_explains_and_looking_deletes_nothing(client, world):
    client.force_login(world.anna)
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("What is deleted", "What stays, without your name", "deleted user", "Your current password",
                 "You are the only staff member of Solo-Verein", "Your vote in “Budget Verein” is not confirmed",
                 "You have 1 draft.", "You have 2 upcoming sign-ups."):
        assert text in content, text
    assert reverse("stakeholders:my_data") in content
    assert User.objects.filter(pk=world.anna.pk).exists()


@pytest.mark.parametrize("password, message", [
    ("", "Enter your current password to confirm. Nothing has been deleted."),
    ("falsch-falsch-falsch", "This is not your current password. Nothing has been deleted."),
])
def test_a_wrong_or_empty_password_deletes_nothing_and_says_why_at_the_field(client, person, password, message):
    client.force_login(person)
    response = client.post(URL, {"password": password})
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert 'id="id_password_error"' in content and 'aria-invalid="true"' in content
    assert "id_password_error" in content.split('name="password"')[1].split(">")[0]  # tied to the field
    assert User.objects.filter(pk=person.pk).exists()
    assert client.get(reverse("stakeholders:profile")).status_code == 200  # still signed in


def test_the_right_password_deletes_the_account_and_signs_out(client, person):
    email = person.email
    client.force_login(person)
    response = client.post(URL, {"password": PASSWORD, "user": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("stakeholders:account_deleted")
    assert "Your account has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=person.pk).exists()
    assert client.get(reverse("stakeholders:profile")).status_code == 302
    assert not Client().login(email=email, password=PASSWORD)


def test_only_ones_own_account_is_deleted_whatever_the_form_says(client, person):
    other = UserFactory()
    client.force_login(person)
    client.post(URL, {"password": PASSWORD, "user": other.pk, "pk": other.pk})
    assert User.objects.filter(pk=other.pk).exists()
    assert not User.objects.filter(pk=person.pk).exists()


def test_deleting_needs_a_post_with_the_csrf_token(client, person):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(person)
    assert guarded.post(URL, {"password": PASSWORD}).status_code == 403
    client.force_login(person)
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
    assert User.objects.filter(pk=person.pk).exists()


def test_guessing_the_password_is_rate_limited(client, person):
    client.force_login(person)
    for _attempt in range(10):
        assert client.post(URL, {"password": "geraten"}).status_code == 400
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 400 and "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_a_platform_operator_is_told_to_ask_another_operator(client, superuser):
    client.force_login(superuser)
    content = client.get(URL).content.decode()
    assert "Another platform operator deletes it in the back office" in content
    assert 'name="password"' not in content
    assert client.post(URL, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_the_done_page_is_for_those_signed_out(client, person):
    assert client.get(reverse("stakeholders:account_deleted")).status_code == 200
    client.force_login(person)
    assert client.get(reverse("stakeholders:account_deleted"))["Location"] == reverse("me")


def test_profile_and_privacy_page_lead_to_the_deletion(client, person):
    client.force_login(person)
    assert URL in client.get(reverse("stakeholders:profile")).content.decode()
    privacy = client.get(reverse("privacy")).content.decode()
    assert URL in privacy and "contact the operators" not in privacy
    assert "When you delete your account" in privacy


def test_the_page_does_not_query_more_for_a_busier_person(client, django_assert_max_num_queries):
    small = populate(UserFactory(), "KLEIN", size=1)
    large = populate(UserFactory(), "GROSS", size=3)
    client.force_login(small)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    client.force_login(large)
    with django_assert_max_num_queries(len(queries)):
        assert client.get(URL).status_code == 200


# What others see afterwards.

def test_others_see_a_deleted_user_where_contributions_stay(client, world):
    w = world
    erase_account(user=w.anna, actor=w.anna)
    client.force_login(w.bert)
    pages = {
        "proposal": client.get(reverse("proposals:detail", args=[w.own.pk])),
        "comments": client.get(reverse("proposals:detail", args=[w.berts.pk])),
        "progress": client.get(reverse("proposals:detail", args=[w.clubs.pk])),
        "history": client.get(w.page.url("history")),
        "notifications": client.get(reverse("notifications:list")),
    }
    for name, response in pages.items():
        content = response.content.decode()
        assert response.status_code == 200, name
        assert "Anna Adler" not in content, name
        assert "deleted user" in content.lower(), name
    assert "Deleted user commented on" in pages["notifications"].content.decode()
    client.force_login(w.sam)
    roster = client.get(reverse("volunteering:roster", args=[w.under_way.pk]))
    assert roster.status_code == 200 and "deleted user" in roster.content.decode()
    csv = client.get(reverse("volunteering:roster_csv", args=[w.under_way.pk])).content.decode("utf-8-sig")
    assert "deleted user" in csv and "anna@example.org" not in csv


def test_operators_deleting_a_person_in_the_back_office_erase_the_account_like_the_person_would(client, superuser):
    person = UserFactory(email="weg@example.org")
    proposal = proposal_services.proposal_create(
        author=UserFactory(), organisation=OrganisationFactory(), title="Lesecafé", summary="Bücher und Kaffee",
        text="Einmal im Monat", planning="together", delivery="community", publish=True)
    proposal_services.proposal_support(proposal=proposal, user=person)
    client.force_login(superuser)
    response = client.post(reverse("admin:stakeholders_user_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count() == 0


def test_operators_may_not_delete_their_own_account_in_the_back_office(client, superuser):
    client.force_login(superuser)
    assert client.post(reverse("admin:stakeholders_user_delete", args=[superuser.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:stakeholders_user_changelist"),
                {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"})
    assert User.objects.filter(pk=superuser.pk).exists()
