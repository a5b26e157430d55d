"""Typed events: every verb the apps record is declared, with a description, and nothing else is recorded.

TARGETS names a target for every declared verb; a verb declared without an entry here fails, so a
new verb is described (title and address in the activity log) before it ships.
"""
import ast
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from notifications import registry
from notifications.models import Activity, Message, Notification
from notifications.services import activity_record
from proposals.models import Implementation, ImplementationUpdate
from tests.budgets.factories import make_process
from tests.proposals.factories import CommentFactory, ProposalFactory, ReportFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up as signed_up
from tests.wiki.factories import PageFactory
from volunteering.models import Certificate

pytestmark = pytest.mark.django_db
APPS = ["stakeholders", "proposals", "budgets", "volunteering", "wiki"]


def proposal():
    return ProposalFactory()


def comment():
    return CommentFactory()


def report():
    reported = CommentFactory()
    return ReportFactory(proposal=reported.proposal, comment=reported)


def membership():
    return MembershipFactory()


def process():
    return make_process(OrganisationFactory())


def implementation_update():
    implementation = Implementation.objects.create(proposal=ProposalFactory())
    return ImplementationUpdate.objects.create(implementation=implementation, text="Begonnen.", status="started",
                                               progress=10)


def task():
    return TaskFactory()


def shift():
    return ShiftFactory()


def sign_up():
    record = signed_up(ShiftFactory())
    record.offer_expires_at = timezone.now() + timedelta(hours=12)  # as when a freed place is offered
    return record


def certificate():
    organisation = OrganisationFactory()
    return Certificate.objects.create(user=UserFactory(), organisation=organisation, period_start=date(2030, 1, 1),
                                      period_end=date(2030, 3, 31), holder_name="Aylin Demir",
                                      organisation_name=organisation.name, hours=Decimal("12.50"))


def page():
    return PageFactory()


TARGETS = {
    "membership.requested": membership, "membership.approved": membership, "membership.declined": membership,
    "proposal.published": proposal, "proposal.status_changed": proposal, "proposal.supported": proposal,
    "proposal.pledged": proposal, "comment.created": comment, "report.created": report,
    "content.hidden": comment, "content.unhidden": proposal,
    "budget.phase_changed": process, "budget.results_published": process, "implementation.updated": implementation_update,
    "task.published": task, "task.changed": task, "task.cancelled": task, "briefing.read": task,
    "shift.created": shift, "shift.changed": shift, "shift.capacity_changed": shift, "shift.cancelled": shift,
    "signup.confirmed": sign_up, "signup.waitlisted": sign_up, "signup.offered": sign_up,
    "signup.offer_confirmed": sign_up, "signup.offer_expired": sign_up, "signup.offer_withdrawn": sign_up,
    "signup.waitlist_closed": sign_up, "signup.cancelled": sign_up, "signup.cancelled_by_organisation": sign_up,
    "signup.reminder_due": sign_up, "signup.attendance_marked": sign_up, "certificate.issued": certificate,
    "page.created": page, "page.edited": page, "page.reverted": page, "page.handed_over": page,
    "membership.left": lambda: MembershipFactory(status="left"),
    "message.sent": lambda: Message.objects.create(
        organisation=OrganisationFactory(), audience="role-staff", object_id=1, audience_label="Alle", subject="Hallo",
        body="Text", key=uuid.uuid4()),
}


def test_every_declared_verb_has_a_target_here():
    assert set(registry.EVENTS) == set(TARGETS)


@pytest.mark.parametrize("verb", sorted(TARGETS))
def test_every_declared_verb_describes_its_target_with_a_title_and_an_address(verb):
    title, url, *more = registry.event_for(verb).describe(TARGETS[verb]())
    assert title.strip(), verb
    assert url.startswith("/"), verb
    assert len(more) <= 1 and all(isinstance(extra, dict) for extra in more), verb


def test_a_verb_supported_without_a_rule_is_recorded_with_its_title_and_address():
    supported = ProposalFactory(title="Bänke am Spielplatz")
    activity = activity_record(actor=UserFactory(), verb="proposal.supported", target=supported)
    assert (activity.title, activity.url) == ("Bänke am Spielplatz", supported.get_absolute_url())


def test_recording_an_undeclared_verb_is_an_error_and_writes_nothing():
    with pytest.raises(registry.UndeclaredVerb, match="proposal.suported"):
        activity_record(actor=UserFactory(), verb="proposal.suported", target=ProposalFactory())
    assert not Activity.objects.exists() and not Notification.objects.exists()


def test_a_rule_for_an_undeclared_verb_or_a_second_declaration_is_refused():
    before = dict(registry.RULES), dict(registry.EVENTS)
    with pytest.raises(registry.UndeclaredVerb):
        registry.rule("proposal.suported", "proposals", recipients=list, message=str)
    with pytest.raises(ValueError, match="Two declarations"):
        registry.event("proposal.supported", describe=str)
    assert (dict(registry.RULES), dict(registry.EVENTS)) == before


def test_a_category_is_declared_once_with_a_known_channel():
    before = dict(registry.CATEGORIES)
    with pytest.raises(ValueError, match="Two notification categories"):
        registry.category("wiki", "Wiki", default_channel="daily", order=1)
    with pytest.raises(ValueError, match="Unknown channel"):
        registry.category("gardening", "Gardening", default_channel="pigeon", order=1)
    assert registry.CATEGORIES == before


def _literal_verbs(path):
    """(line, verb) of every ``verb="..."`` keyword argument written as a string in this file."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "verb" and isinstance(keyword.value, ast.Constant):
                    yield node.lineno, keyword.value.value


def test_services_record_the_declared_constants_and_no_literal_names_an_undeclared_verb():
    base = Path(settings.BASE_DIR)
    literals, undeclared = [], []
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, verb in _literal_verbs(path):
                where = f"{path.relative_to(base)}:{line}"
                if "services" in path.parts or path.name == "services.py":
                    literals.append(f"{where} {verb}")
                if verb not in registry.EVENTS:
                    undeclared.append(f"{where} {verb}")
    assert literals == [], "services name verbs by their app's Verb constants"
    assert undeclared == []
