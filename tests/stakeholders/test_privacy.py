"""The privacy page and the download of one's own data (Art. 15 DSGVO)."""
import datetime
import json
import re
from decimal import Decimal
from itertools import count

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets import services as budget_services
from budgets.models import Phase
from notifications.models import Activity, Delivery, Notification, Preference
from proposals.models import Evaluation, Implementation, ImplementationUpdate, Proposal
from stakeholders.models import Invitation, Membership
from stakeholders import erasure, privacy
from stakeholders.privacy import EXPORTED, LEFT_OUT, personal_data, privacy_contracts
from tests.budgets.factories import add_entry, make_process, move_to, vote
from tests.coproduction.pictures import make_picture
from tests.proposals.factories import CommentFactory, FollowFactory, PledgeFactory, ProposalFactory, ReportFactory, \
    SupportFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, SkillFactory, TaskFactory, sign_up
from tests.wiki.factories import PageFactory, SpaceFactory, edit
from volunteering import services as volunteering_services
from volunteering.models import BriefingRead, Certificate, VolunteerProfile
from wiki.models import Watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

_codes = count(1)


def user_references():
    """"app_label.Model.field" of every concrete reference to the user model in the project."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_user_reference_is_exported_or_left_out_with_a_reason():
    references = user_references()
    forgotten = references - set(EXPORTED) - set(LEFT_OUT)
    assert not forgotten, (
        f"These models refer to a person but are neither in the data download nor listed in the LEFT_OUT of "
        f"their app's privacy.py with a reason: {sorted(forgotten)}"
    )
    assert not set(EXPORTED) & set(LEFT_OUT)
    assert all(reason.strip() for reason in LEFT_OUT.values())
    stale = (set(EXPORTED) | set(LEFT_OUT)) - references
    assert not stale, f"Listed but no longer a user reference: {sorted(stale)}"


def test_each_app_speaks_for_its_own_models_and_names_each_reference_once():
    seen = {(name, reference): "stakeholders" for name, own in (
        ("EXPORTED", privacy.OWN_EXPORTED), ("LEFT_OUT", privacy.OWN_LEFT_OUT), ("ERASURE", erasure.OWN_ERASURE))
        for reference in own}
    for config, contract in privacy_contracts():
        for name in ("EXPORTED", "LEFT_OUT", "ERASURE"):
            for reference in getattr(contract, name, {}):
                assert reference.startswith(f"{config.label}."), f"{config.name}.privacy.{name} names {reference}"
                assert (name, reference) not in seen, f"{reference} is in the {name} of two apps"
                seen[name, reference] = config.name


def populate(user, tag, size=1):
    """Data of every kind for ``user``; every text written by them carries ``tag``."""
    organisation = OrganisationFactory(name=f"Zentrum {tag}")
    MembershipFactory(user=user, organisation=organisation, message=f"Ich möchte helfen {tag}")
    Invitation.objects.create(organisation=organisation, email=f"guest-{tag}@example.org", role="volunteer",
                              token=f"token-{tag}-{next(_codes)}", invited_by=user,
                              expires_at=timezone.now() + datetime.timedelta(days=7))
    content_type = ContentType.objects.get_for_model(Proposal)
    process = make_process(organisation, title=f"Budget {tag}")
    budget_services.process_follow(process=process, user=user)
    entries = [add_entry(process, author=user, title=f"Budgetidee {tag} {n}") for n in range(size)]
    move_to(process, Phase.VOTING)
    vote(process, user, entries[:1])
    space = SpaceFactory(organisation=organisation)
    for n in range(size):
        proposal = ProposalFactory(author=user, organisation=organisation, title=f"Vorschlag {tag} {n}",
                                   text=f"Langer Text {tag} {n}", image=make_picture(user=user, alt=f"Bild {tag} {n}"))
        other_proposal = ProposalFactory(organisation=organisation)
        CommentFactory(proposal=other_proposal, author=user, text=f"Kommentar {tag} {n}")
        SupportFactory(proposal=other_proposal, user=user)
        FollowFactory(proposal=other_proposal, user=user)
        PledgeFactory(proposal=other_proposal, user=user, note=f"Zusage {tag} {n}")
        ReportFactory(proposal=other_proposal, reporter=user, reason=f"Meldung {tag} {n}")
        implementation = Implementation.objects.create(proposal=proposal)
        ImplementationUpdate.objects.create(implementation=implementation, author=user, text=f"Fortschritt {tag} {n}",
                                            status=Implementation.Status.PLANNED, progress=10)
        Evaluation.objects.create(implementation=implementation, user=user, rating=4, comment=f"Bewertung {tag} {n}")
        task = TaskFactory(organisation=organisation, title=f"Aufgabe {tag} {n}")
        sign_up(ShiftFactory(task=task, starts_in=72 + 24 * n), user=user)
        BriefingRead.objects.create(task=task, user=user)
        Certificate.objects.create(user=user, organisation=organisation, period_start=datetime.date(2026, 1, 1),
                                   period_end=datetime.date(2026, 6, 30), holder_name=user.display_name,
                                   organisation_name=organisation.name, hours=Decimal("3"),
                                   tasks=[task.title], verification_code=f"CODE{next(_codes):06d}")
        page = PageFactory(space=space, author=user, title=f"Wikiseite {tag} {n}")
        edit(page, user, f"Neuer Text {tag}", summary=f"Zusammenfassung {tag} {n}")
        Watch.objects.create(user=user, page=page)
        activity = Activity.objects.create(actor=user, verb="proposal.created", organisation=organisation,
                                           target_type=content_type, target_id=proposal.pk,
                                           title=f"Aktivität {tag} {n}")
        delivery = Delivery.objects.create(recipient=user, kind=Delivery.Kind.IMMEDIATE, period=f"p{n}",
                                           status=Delivery.Status.SENT, sent_at=timezone.now(),
                                           subject=f"Betreff {tag} {n}")
        Notification.objects.create(recipient=user, activity=activity, organisation=organisation,
                                    category="proposals", channel="immediate", delivery=delivery)
    volunteering_services.volunteer_profile_update(
        user=user, skills=[SkillFactory(name=f"Kochen {tag}", slug=f"kochen-{tag.lower()}")],
        availability=[(1, datetime.time(9), datetime.time(12))])
    volunteering_services.calendar_token_rotate(user=user)
    Preference.objects.update_or_create(user=user, category="wiki", defaults={"channel": "weekly"})
    return user


@pytest.fixture
def person():
    return populate(UserFactory(email="anna@example.org", display_name="Anna Adler", bio="Über Anna"), "AAA")


@pytest.fixture
def other():
    return populate(UserFactory(email="bert@example.org", display_name="Bert Berg", phone="0999 999",
                                bio="Über Bert"), "BBB")


def test_the_export_holds_the_persons_own_data_of_every_kind(person):
    data = personal_data(person)
    assert data["profile"]["email"] == "anna@example.org"
    assert data["profile"]["bio"] == "Über Anna"
    assert data["email_addresses"][0]["email"] == "anna@example.org"
    assert data["memberships"][0]["organisation"] == "Zentrum AAA"
    assert data["invitations_sent"][0]["organisation"] == "Zentrum AAA"
    assert "guest-AAA@example.org" not in json.dumps(data)  # the invited person's address is theirs
    assert {p["title"] for p in data["proposals"]} >= {"Vorschlag AAA 0", "Budgetidee AAA 0"}
    assert data["comments"][0]["text"] == "Kommentar AAA 0"
    assert len(data["supports"]) == 1 and len(data["follows"]) >= 1
    assert data["pledges"][0]["note"] == "Zusage AAA 0"
    assert data["reports"][0]["reason"] == "Meldung AAA 0"
    assert data["budget_entries"][0]["proposal"] == "Budgetidee AAA 0"
    assert data["budget_ballots"][0]["picks"][0]["proposal"] == "Budgetidee AAA 0"
    assert data["budget_follows"][0]["process"] == "Budget AAA"
    assert data["budget_evaluations"][0]["comment"] == "Bewertung AAA 0"
    assert data["budget_implementation_updates"][0]["text"] == "Fortschritt AAA 0"
    volunteering = data["volunteering"]
    assert volunteering["profile"]["skills"] == ["Kochen AAA"]
    assert volunteering["profile"]["availability"][0]["start_time"] == "09:00:00"
    assert volunteering["profile"]["calendar_feed"] is True
    assert volunteering["signups"][0]["task"] == "Aufgabe AAA 0"
    assert volunteering["certificates"][0]["hours"] == "3.00"
    assert volunteering["briefings_read"][0]["task"] == "Aufgabe AAA 0"
    wiki = data["wiki"]
    assert wiki["pages_created"][0]["title"] == "Wikiseite AAA 0"
    assert {r["summary"] for r in wiki["revisions"]} >= {"Zusammenfassung AAA 0"}
    assert wiki["watches"][0]["page"] == "Wikiseite AAA 0"
    assert "Aktivität AAA 0" in {n["title"] for n in data["notifications"]}
    assert {"category": "wiki", "channel": "weekly"}.items() <= data["notification_preferences"][0].items()
    assert data["emails_sent"][0]["subject"] == "Betreff AAA 0"
    assert "Aktivität AAA 0" in {a["title"] for a in data["activities"]}
    picture = Proposal.objects.get(title="Vorschlag AAA 0").image
    assert data["pictures_uploaded"] == [{
        "description": "Bild AAA 0", "url": f"{settings.SITE_URL.rstrip('/')}/media/{picture.file}", "width": 800,
        "height": 600, "uploaded_at": picture.created_at.isoformat()}]


def test_the_calendar_secret_is_not_in_the_export(person):
    token = VolunteerProfile.objects.get(user=person).calendar_token
    assert token
    body = json.dumps(personal_data(person), ensure_ascii=False, default=str)
    assert token not in body


def test_the_export_holds_nothing_of_another_person(person, other):
    # The other person also acts on Anna's own proposal.
    proposal = Proposal.objects.get(title="Vorschlag AAA 0")
    CommentFactory(proposal=proposal, author=other, text="Geheimer Kommentar BBB")
    SupportFactory(proposal=proposal, user=other)
    ReportFactory(comment=CommentFactory(proposal=proposal, author=other, text="Gemeldeter Kommentar BBB"),
                  proposal=proposal, reporter=person, reason="Unfreundlich")
    body = json.dumps(personal_data(person), ensure_ascii=False, default=str)
    assert "anna@example.org" in body
    for secret in ("bert@example.org", "Bert Berg", "0999 999", "Über Bert", "BBB"):
        assert secret not in body


def test_download_is_an_attachment_that_is_not_cached(client, person):
    client.force_login(person)
    response = client.get(reverse("stakeholders:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    today = timezone.localdate().isoformat()
    assert re.fullmatch(rf'attachment; filename="koproduktion-my-data-{today}\.json"', response["Content-Disposition"])
    data = json.loads(response.content.decode("utf-8"))
    assert data["profile"]["email"] == "anna@example.org"
    assert "Über Anna" in response.content.decode("utf-8")  # written as UTF-8, not escaped
    datetime.datetime.fromisoformat(data["profile"]["date_joined"])
    datetime.datetime.fromisoformat(data["proposals"][0]["created_at"])
    datetime.date.fromisoformat(data["volunteering"]["certificates"][0]["period_start"])


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("stakeholders:my_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_queries_do_not_grow_with_the_data(django_assert_max_num_queries):
    small = populate(UserFactory(), "SMALL", size=1)
    large = populate(UserFactory(), "LARGE", size=3)
    with CaptureQueriesContext(connection) as queries:
        personal_data(small)
    with django_assert_max_num_queries(len(queries)):
        data = personal_data(large)
    assert len(data["comments"]) == 3 and len(data["wiki"]["revisions"]) >= 6


def test_profile_links_to_the_download_and_the_privacy_page(client, person):
    client.force_login(person)
    content = client.get(reverse("stakeholders:profile")).content.decode()
    assert reverse("stakeholders:my_data") in content
    assert reverse("privacy") in content


def test_privacy_page_explains_and_offers_the_download(client, person):
    response = client.get(reverse("privacy"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "What we store and why" in content and "Your rights" in content
    assert reverse("stakeholders:my_data") not in content
    client.force_login(person)
    assert reverse("stakeholders:my_data") in client.get(reverse("privacy")).content.decode()


def test_the_footer_links_to_the_privacy_page(client):
    assert f'href="{reverse("privacy")}"' in client.get(reverse("accessibility")).content.decode()
