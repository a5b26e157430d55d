"""Messages to groups: staff write to the volunteers of a shift or a task, the members of a role, the
followers of a proposal or the participants of a budget; they see how many it reaches, never who; it
goes out once, through each person's chosen channel; only within their own organisations."""
import uuid
from collections import Counter

import pytest
from django.db import connection

from notifications import messaging
from notifications.models import Message, Notification, Preference
from proposals.models import Follow
from tests.budgets.factories import add_entry, make_process, vote
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up

pytestmark = pytest.mark.usefixtures("english")
COMPOSE = "/admin/notifications/message/add/"


def compose(client, value, step="preview", subject="Treffpunkt geändert", body="Wir treffen uns am Hintereingang.",
            key=None):
    return client.post(COMPOSE, {"audience": value, "subject": subject, "body": body,
                                 "key": key or uuid.uuid4(), step: "1"})


@pytest.fixture
def shift(organisation):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel am Dienstag"))
    for _ in range(3):
        sign_up(shift)
    return shift


@pytest.mark.django_db
def test_staff_see_how_many_a_message_reaches_never_who(client, staff, shift):
    client.force_login(staff)
    response = compose(client, f"shift:{shift.pk}")
    assert response.status_code == 200 and 'data-reach="3"' in response.text
    for person in shift.sign_ups.all():
        assert person.user.email not in response.text and person.user.display_name not in response.text
    assert not Message.objects.exists()  # nothing is sent before “Send now”


@pytest.mark.django_db(transaction=True)
def test_a_sent_message_reaches_each_volunteer_once_by_their_channel(client, staff, shift, mailoutbox):
    people = [record.user for record in shift.sign_ups.all()]
    Preference.objects.create(user=people[0], category="messages", channel="app")
    client.force_login(staff)
    key = uuid.uuid4()
    response = compose(client, f"shift:{shift.pk}", step="send", key=key)
    assert response.status_code == 302 and response.url == "/admin/notifications/message/"
    compose(client, f"shift:{shift.pk}", step="send", key=key)  # the same form sent again
    message = Message.objects.get()
    assert (message.reach, message.author, message.organisation) == (3, staff, shift.task.organisation)
    told = Counter(Notification.objects.filter(category="messages").values_list("recipient_id", flat=True))
    assert told == {person.pk: 1 for person in people}
    sent = [m for m in mailoutbox if "Treffpunkt geändert" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in people[1:])  # the first: only here
    assert "Wir treffen uns am Hintereingang." in sent[0].body


@pytest.mark.django_db
def test_the_message_page_is_for_its_recipients_and_the_staff(client, staff, shift, person, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        compose(client, f"shift:{shift.pk}", step="send", body="Mehr hier: https://tafel.example/plan <script>x</script>")
    message = Message.objects.get()
    page = client.get(f"/notifications/messages/{message.pk}/").text
    assert '<a href="https://tafel.example/plan"' in page and "<script>x</script>" not in page
    assert "&lt;script&gt;" in page
    client.force_login(shift.sign_ups.first().user)
    assert client.get(f"/notifications/messages/{message.pk}/").status_code == 200
    client.force_login(person)
    assert client.get(f"/notifications/messages/{message.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["task", "role", "followers", "budget"])
def test_every_kind_of_group_counts_its_members(client, staff, organisation, group):
    if group == "task":
        task = TaskFactory(organisation=organisation)
        for _ in range(2):
            sign_up(ShiftFactory(task=task))
        value, expected = f"task:{task.pk}", 2
    elif group == "role":
        for _ in range(4):
            MembershipFactory(organisation=organisation, role="volunteer")
        MembershipFactory(organisation=organisation, role="volunteer", status="requested")
        value, expected = f"role-volunteer:{organisation.pk}", 4
    elif group == "followers":
        proposal = ProposalFactory(organisation=organisation)
        Follow.objects.bulk_create([Follow(user=UserFactory(), proposal=proposal) for _ in range(5)])
        value, expected = f"followers:{proposal.pk}", 5
    else:
        process = make_process(organisation)
        add_entry(process), add_entry(process)
        value, expected = f"budget:{process.pk}", 2
    client.force_login(staff)
    assert f'data-reach="{expected}"' in compose(client, value).text


@pytest.mark.django_db
def test_staff_may_not_write_to_another_organisations_groups(client, other_staff, organisation, shift):
    task = shift.task
    proposal = ProposalFactory(organisation=organisation)
    process = make_process(organisation)
    client.force_login(other_staff)
    for value in [f"shift:{shift.pk}", f"task:{task.pk}", f"followers:{proposal.pk}", f"budget:{process.pk}",
                  f"role-volunteer:{organisation.pk}"]:
        response = compose(client, value, step="send")
        assert response.status_code == 200 and "Select a valid choice" in response.text, value
        with pytest.raises(messaging.MessageError):
            messaging.message_send(author=other_staff, value=value, subject="S", body="B", key=uuid.uuid4())
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_members_and_visitors_may_not_write_to_groups(client, organisation, shift):
    client.force_login(MembershipFactory(organisation=organisation, role="volunteer").user)
    assert compose(client, f"shift:{shift.pk}", step="send").status_code == 302  # to the sign-in
    client.logout()
    assert compose(client, f"shift:{shift.pk}", step="send").status_code == 302
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_operator_may_write_to_any_group(client, superuser, shift):
    client.force_login(superuser)
    assert compose(client, f"shift:{shift.pk}", step="send").status_code == 302
    assert Message.objects.get().reach == 3


@pytest.mark.django_db
@pytest.mark.parametrize("data, error", [
    ({"subject": ""}, "This field is required."),
    ({"body": ""}, "This field is required."),
    ({"audience": "nonsense:1"}, "Select a valid choice"),
    ({"audience": "shift:999999"}, "Select a valid choice"),
    ({"body": "x" * 5001}, "Ensure this value has at most 5000 characters"),
])
def test_bad_input_sends_nothing(client, staff, shift, data, error):
    client.force_login(staff)
    fields = {"audience": f"shift:{shift.pk}", "subject": "Betreff", "body": "Text", "key": uuid.uuid4(), "send": "1",
              **data}
    response = client.post(COMPOSE, fields)
    assert response.status_code == 200 and error in response.text
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_organisation_may_send_only_so_many_messages_a_day(client, staff, shift, settings):
    settings.NOTIFICATIONS_MESSAGES_PER_DAY = 2
    client.force_login(staff)
    for _ in range(2):
        assert compose(client, f"shift:{shift.pk}", step="send").status_code == 302
    refused = compose(client, f"shift:{shift.pk}", step="send")
    assert refused.status_code == 200 and "2 messages in the last 24 hours" in refused.text
    assert Message.objects.count() == 2


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_sends_one_message(staff, shift):
    key = uuid.uuid4()
    results, errors = run_simultaneously(3, lambda: messaging.message_send(
        author=staff, value=f"shift:{shift.pk}", subject="Heute", body="Bitte pünktlich.", key=key)[1])
    assert errors == [] and sorted(results) == [False, False, True]
    assert Message.objects.count() == 1
    assert Notification.objects.filter(category="messages").count() == 3


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_daily_limit_holds_when_many_send_at_once(staff, shift, settings):
    settings.NOTIFICATIONS_MESSAGES_PER_DAY = 2
    results, errors = run_simultaneously(4, lambda: messaging.message_send(
        author=staff, value=f"shift:{shift.pk}", subject="Heute", body="Text", key=uuid.uuid4())[1])
    assert Message.objects.count() == 2 and len(errors) == 2
    assert all(isinstance(error, messaging.MessageError) for error in errors)
