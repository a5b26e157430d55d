"""The proposal page puts what decides first, agrees with itself, and pages through long conversations;
its forms ask for what belongs together and refuse the rest."""
import importlib
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals import services
from proposals.models import Comment, Implementation, Pledge, Proposal, Support
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

from .factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status
I = Implementation.Status


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def proposal(organisation):
    return services.proposal_create(
        author=UserFactory(), organisation=organisation, title="Reparaturcafé im Hinterhof",
        summary="Wir reparieren gemeinsam.", text="Einmal im Monat, samstags.", planning="together",
        delivery="community", publish=True,
    )


def url(proposal, action=""):
    return f"/proposals/{proposal.pk}/{action + '/' if action else ''}"


def position(page, needle):
    index = page.find(needle)
    assert index != -1, needle
    return index


# --- order ---------------------------------------------------------------------------------------

def test_what_decides_comes_first_then_the_text_pledges_history_progress_comments(client, proposal, person, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Wir machen das.")
    services.comment_create(proposal=proposal, author=person, text="Ich bringe Werkzeug mit.")
    client.force_login(person)
    page = client.get(url(proposal)).text
    order = [
        'id="proposal-title"', 'class="status status-accepted"', "Community delivers a jointly planned service",
        proposal.organisation.name, "data-primary-action", 'href="#pledge-form"', 'href="#comment-form"',
        proposal.summary, proposal.text, 'id="pledges-heading"', 'id="history-heading"', 'id="progress-heading"',
        'id="comments-heading"', "Ich bringe Werkzeug mit.",
    ]
    positions = [position(page, needle) for needle in order]
    assert positions == sorted(positions), [needle for needle, at in zip(order, positions)]
    actions = page[page.index('class="sticky-actions'):]
    actions = actions[:actions.index("</div>")]
    assert "data-primary-action>Support</button>" in actions and ">Follow</button>" in actions


def test_status_pill_names_the_shared_state(client, proposal, staff):
    assert 'class="status status-open">Published<' in client.get(url(proposal)).text
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.REJECTED, response="Zu teuer.")
    assert 'class="status status-rejected">Rejected<' in client.get(url(proposal)).text


def test_visitors_get_the_same_actions_as_ways_to_sign_in_and_come_back(client, proposal):
    page = client.get(url(proposal)).text
    links = dict(re.findall(r'<a class="button[^"]*"(?: data-primary-action)? href="([^"]+)">([^<]+)</a>', page))
    by_label = {label: href.replace("&amp;", "&") for href, label in links.items()}
    assert set(by_label) == {"Support", "Follow", "Pledge", "Comment"}
    assert 'data-primary-action href="/accounts/login/?next=' in page
    for label, anchor, verb in [("Support", "actions", "support"), ("Pledge", "pledge-form", "pledge"),
                                ("Comment", "comment-form", "comment"), ("Follow", "actions", "follow")]:
        address = urlsplit(by_label[label])
        assert address.path == "/accounts/login/"
        assert parse_qs(address.query)["next"] == [f"{url(proposal)}?do={verb}#{anchor}"]
    assert "<form" not in page[page.index('class="sticky-actions'):page.index("proposal-text")]


def test_visitor_signs_in_and_lands_on_the_support_button(client, proposal):
    person = UserFactory()
    login = client.get(url(proposal)).text
    next_url = f"{url(proposal)}?do=support#actions"
    assert "next=" in login
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response.url == next_url
    page = client.get(f"{url(proposal)}?do=support").text
    # (signing in switches to the person's own language, German here)
    assert "Noch ein Klick auf „Unterstützen“, und Ihre Unterstützung zählt." in page
    assert 'data-primary-action aria-describedby="returned">Unterstützen</button>' in page
    assert not Support.objects.exists(), "coming back writes nothing; the click does"
    assert client.post(url(proposal, "support")).status_code == 302
    assert Support.objects.filter(proposal=proposal, user=person).count() == 1


def test_unknown_return_action_is_ignored(client, proposal, person):
    client.force_login(person)
    assert "One more click" not in client.get(f"{url(proposal)}?do=<script>").text


def test_a_closed_proposal_offers_visitors_only_what_is_still_open(client, proposal, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.REJECTED, response="Nein.")
    page = client.get(url(proposal)).text
    assert "data-primary-action" not in page and "?do=support" not in page and "?do=pledge" not in page
    assert "do%3Dfollow" in page and "do%3Dcomment" in page


# --- status and progress agree -------------------------------------------------------------------

@pytest.mark.parametrize("path, step, progress", [
    ([S.ACCEPTED], I.PLANNED, 0),
    ([S.ACCEPTED, S.IN_DELIVERY], I.IN_PROGRESS, 0),
    ([S.ACCEPTED, S.COMPLETED], I.COMPLETED, 100),
    ([S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED], I.COMPLETED, 100),
])
def test_the_implementation_follows_the_status_staff_set(client, proposal, staff, path, step, progress):
    for status in path:
        services.proposal_set_status(proposal=proposal, actor=staff, to_status=status, response="Weiter.")
    implementation = Implementation.objects.get(proposal=proposal)
    assert (implementation.status, implementation.progress) == (step, progress)
    page = client.get(url(proposal)).text
    assert f"{progress} % done" in page
    if step == I.COMPLETED:
        assert implementation.completed_at and implementation.started_at
        assert "current step" not in page and "still to come" not in page


def test_progress_reported_at_60_is_kept_when_delivery_starts_and_becomes_100_when_completed(proposal, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Ja.")
    services.implementation_update_post(proposal=proposal, actor=staff, text="Läuft.", status=I.IN_PROGRESS,
                                        progress=60)
    proposal.refresh_from_db()
    assert proposal.status == S.IN_DELIVERY
    implementation = Implementation.objects.get(proposal=proposal)
    assert (implementation.status, implementation.progress) == (I.IN_PROGRESS, 60)
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.COMPLETED, response="Fertig.")
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress) == (I.COMPLETED, 100)


def test_an_implementation_reported_complete_completes_the_proposal(proposal, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Ja.")
    services.implementation_update_post(proposal=proposal, actor=staff, text="Fertig.", status=I.COMPLETED,
                                        progress=30)
    proposal.refresh_from_db()
    implementation = Implementation.objects.get(proposal=proposal)
    assert (proposal.status, implementation.status, implementation.progress) == (S.COMPLETED, I.COMPLETED, 100)


def test_records_left_behind_before_take_the_step_of_their_status(proposal, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Ja.")
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.COMPLETED, response="Fertig.")
    other = ProposalFactory(organisation=proposal.organisation)
    services.proposal_set_status(proposal=other, actor=staff, to_status=S.ACCEPTED, response="Ja.")
    services.proposal_set_status(proposal=other, actor=staff, to_status=S.IN_DELIVERY, response="Los.")
    # As they were before the record followed the status:
    Implementation.objects.update(status=I.PLANNED, progress=0, started_at=None, completed_at=None)
    migration = importlib.import_module("proposals.migrations.0011_implementation_follows_status")
    migration.follow_status(apps, connection.schema_editor())
    done, going = Implementation.objects.get(proposal=proposal), Implementation.objects.get(proposal=other)
    assert (done.status, done.progress) == (I.COMPLETED, 100) and done.completed_at is not None
    assert (going.status, going.progress) == (I.IN_PROGRESS, 0) and going.started_at is not None


# --- hidden reasons and the summary --------------------------------------------------------------

@pytest.mark.parametrize("reason", ["Ausgeblendet: persönlicher Angriff.", "Hidden: persönlicher Angriff.",
                                    "Von der Moderation ausgeblendet – persönlicher Angriff.",
                                    "persönlicher Angriff."])
def test_a_hidden_comment_says_hidden_once(client, settings, proposal, person, staff, reason):
    comment = services.comment_create(proposal=proposal, author=person, text="Böse Worte")
    services.content_set_hidden(target=comment, moderator=staff, hidden=True, reason=reason)
    comment.refresh_from_db()
    assert comment.hidden_reason == "persönlicher Angriff."
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(url(proposal)).text
    assert "Von der Moderation ausgeblendet: persönlicher Angriff." in page
    assert page.lower().count("ausgeblendet") == 1 and "Böse Worte" not in page


def test_a_reason_stored_with_its_prefix_is_shown_without_it(client, proposal, person):
    CommentFactory(proposal=proposal, author=person, is_hidden=True, hidden_reason="Ausgeblendet: Werbung.")
    page = client.get(url(proposal)).text
    assert "Hidden by moderation: Werbung." in page and "Ausgeblendet" not in page


def test_the_summary_is_shown_once_even_when_the_text_repeats_it(client, organisation):
    summary = "Eine Mappe mit allen wichtigen Unterlagen, gemeinsam ausgefüllt."
    proposal = services.proposal_create(
        author=UserFactory(), organisation=organisation, title="Notfallmappe", summary=summary,
        text=f"{summary}\n\nWir laden zu drei Workshops ein.", planning="together", delivery="together", publish=True,
    )
    page = client.get(url(proposal)).text
    assert page.count(summary) == 1 and "Wir laden zu drei Workshops ein." in page
    same = ProposalFactory(organisation=organisation, summary=summary, text=summary)
    assert client.get(url(same)).text.count(summary) == 1


# --- comments a page at a time -------------------------------------------------------------------

def threads(proposal, count, replies=1):
    start = timezone.now() - timedelta(days=1)
    made = []
    for index in range(count):
        thread = CommentFactory(proposal=proposal, text=f"Faden {index + 1}.")
        Comment.objects.filter(pk=thread.pk).update(created_at=start + timedelta(minutes=index))
        made.append(thread)
        for number in range(replies):
            reply = CommentFactory(proposal=proposal, parent=thread, text=f"Antwort {index + 1}.{number + 1}")
            Comment.objects.filter(pk=reply.pk).update(created_at=start + timedelta(minutes=index, seconds=number + 1))
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=count * (1 + replies))
    return made


def test_long_conversations_come_twenty_threads_a_page_oldest_first(client, proposal):
    threads(proposal, 45)
    first = client.get(url(proposal)).text
    assert "Faden 1." in first and "Faden 20." in first and "Faden 21." not in first and "Antwort 20.1" in first
    assert 'href="?comments=2#comments" rel="next"' in first and 'href="?comments=3#comments"' in first
    last = client.get(url(proposal), {"comments": "3"}).text
    assert "Faden 41." in last and "Faden 45." in last and "Faden 40." not in last
    assert 'rel="prev"' in last and 'rel="next"' not in last and 'aria-current="page" href="?comments=3#comments"' in last
    assert "Conversations 41 to 45 of 45, oldest first." in last
    for wrong in ["0", "abc", "-1", "99999999999"]:
        assert "Faden 1." in client.get(url(proposal), {"comments": wrong}).text, wrong
    assert "Faden 45." in client.get(url(proposal), {"comments": "9"}).text  # past the end: the last page


def test_a_short_conversation_has_no_page_links(client, proposal):
    threads(proposal, 3)
    page = client.get(url(proposal)).text
    assert "Faden 3." in page and 'aria-label="Pages of comments"' not in page


def test_a_kept_comment_count_that_lags_shows_more_on_one_page_never_fewer(client, proposal):
    threads(proposal, 25)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=12)  # changed outside the services
    for number in ["1", "2"]:
        page = client.get(url(proposal), {"comments": number}).text
        assert "Faden 1." in page and "Faden 25." in page and "Antwort 25.1" in page, number
        assert 'aria-label="Pages of comments"' not in page
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=50)
    assert "Faden 21." not in client.get(url(proposal)).text


def test_a_comment_or_reply_leads_to_the_page_it_stands_on(client, proposal, person):
    made = threads(proposal, 41)
    client.force_login(person)
    response = client.post(url(proposal, "comments"), {"text": "Ganz neu."})
    comment = Comment.objects.get(text="Ganz neu.")
    assert response.url == f"{url(proposal)}?comments=3#comment-{comment.pk}"
    response = client.post(url(proposal, "comments"), {"text": "Spät geantwortet.", "parent": made[25].pk})
    reply = Comment.objects.get(text="Spät geantwortet.")
    assert response.url == f"{url(proposal)}?comments=2#comment-{reply.pk}"
    assert "Spät geantwortet." in client.get(url(proposal), {"comments": "2"}).text


def test_a_notification_of_a_comment_finds_its_page_however_long_the_discussion_grew(client, proposal, person):
    from notifications.models import Activity

    made = threads(proposal, 30)
    client.force_login(person)
    client.post(url(proposal, "comments"), {"text": "Spät geantwortet.", "parent": made[25].pk})
    reply = Comment.objects.get(text="Spät geantwortet.")
    address = f"/proposals/{proposal.pk}/comments/{reply.pk}/"
    assert Activity.objects.get(verb="comment.created", target_id=reply.pk).url == address
    response = client.get(address)
    assert response.status_code == 302 and response.url == f"{url(proposal)}?comments=2#comment-{reply.pk}"
    # the comment of another proposal, or none at all, is not found under this one
    assert client.get(f"/proposals/{ProposalFactory().pk}/comments/{reply.pk}/").status_code == 404
    assert client.get(f"/proposals/{proposal.pk}/comments/{reply.pk + 100000}/").status_code == 404


@pytest.mark.parametrize("page", ["1", "2"])
def test_comment_pages_ask_the_same_number_of_queries_however_long(client, organisation, person, page):
    counts = []
    for size in (25, 120):
        proposal = ProposalFactory(organisation=organisation)
        threads(proposal, size, replies=2)
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(proposal), {"comments": page}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- the proposal form ----------------------------------------------------------------------------

def proposal_data(organisation, **extra):
    data = {"title": "Lesepaten", "summary": "Ehrenamtliche lesen vor.", "text": "Dienstags in der Bücherei.",
            "organisation": organisation.pk, "district": "", "mode": "together:community", "action": "publish"}
    data.update(extra)
    return data


def test_the_form_lists_partners_as_checkboxes_and_districts_by_town(client, person, organisation):
    OrganisationFactory(city="Göttingen", district="Grone")
    OrganisationFactory(city="Kassel", district="Wesertor")
    client.force_login(person)
    page = client.get("/proposals/new/").text
    assert page.count('type="checkbox" name="partner_organisations"') == 3
    assert '<optgroup label="Göttingen">' in page and '<optgroup label="Kassel">' in page
    assert '<option value="Wesertor">' in page and '<option value="Nordstadt">' in page
    assert 'data-partner-filter' in page and "hidden data-partner-filter" in page  # the script shows the filter
    assert page.count('type="radio" name="mode"') == 9
    matrix = page[page.index('class="mode-matrix'):page.index("</fieldset>", page.index('class="mode-matrix'))]
    assert "<legend>Who plans, who delivers</legend>" in matrix
    # each radio's label names who plans and who delivers
    assert "Planned together · Community delivers" in matrix and "Professionals plan · Professionals deliver" in matrix


def test_a_district_of_the_organisations_town_and_partners_are_saved(client, person, organisation):
    partner = OrganisationFactory(city="Kassel", district="Wesertor")
    client.force_login(person)
    response = client.post("/proposals/new/", proposal_data(organisation, district="Wesertor",
                                                            partner_organisations=[partner.pk]))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.district == "Wesertor" and list(proposal.partner_organisations.all()) == [partner]
    assert (proposal.planning, proposal.delivery) == ("together", "community")


@pytest.mark.parametrize("change, message", [
    ({"mode": ""}, "Choose one cell of the matrix: who plans it and who delivers it."),
    ({"mode": "together:nobody"}, "Choose one of the nine cells of the matrix."),
    ({"partner_organisations": ["SELF"]}, "The organisation you address cannot also be its partner."),
    ({"partner_organisations": ["999999"]}, "Choose partners from the list of organisations."),
    ({"district": "Grone"}, "Grone is not a district of Kassel, where"),
    ({"district": "Mars"}, "Select a valid choice."),
])
def test_bad_proposal_form_input_is_refused_with_a_clear_message(client, person, organisation, change, message):
    OrganisationFactory(city="Göttingen", district="Grone")
    if change.get("partner_organisations") == ["SELF"]:
        change = {"partner_organisations": [organisation.pk]}
    client.force_login(person)
    response = client.post("/proposals/new/", proposal_data(organisation, **change))
    assert response.status_code == 400
    assert message in response.text and "field-errors" in response.text
    assert not Proposal.objects.exists()


def test_editing_keeps_a_district_written_before_the_list(client, organisation):
    author = UserFactory()
    proposal = services.proposal_create(
        author=author, organisation=organisation, title="Alt", summary="s", text="t", planning="together",
        delivery="together", district="Am alten Bahnhof", publish=True,
    )
    client.force_login(author)
    assert '<option value="Am alten Bahnhof" selected>' in client.get(url(proposal, "edit")).text
    data = proposal_data(organisation, title="Alt, besser", district="Am alten Bahnhof")
    assert client.post(url(proposal, "edit"), data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.district) == ("Alt, besser", "Am alten Bahnhof")
    other = ProposalFactory(organisation=organisation, author=author, district="")
    assert client.post(url(other, "edit"), proposal_data(organisation, district="Am alten Bahnhof")).status_code == 400


# --- pledges follow their kind --------------------------------------------------------------------

def test_the_pledge_form_shows_the_kinds_first_and_a_fieldset_per_kind(client, proposal, person):
    client.force_login(person)
    page = client.get(url(proposal)).text
    form = page[page.index('id="pledge-form"'):page.index("</form>", page.index('id="pledge-form"'))]
    assert position(form, 'name="kind"') < position(form, 'name="hours"')
    assert form.count('type="radio" name="kind"') == 5
    for kinds, field in [("time", "hours"), ("money", "amount"), ("skills contacts room", "description")]:
        assert position(form, f'data-kinds="{kinds}"') < position(form, f'name="{field}"')
    assert "js/proposal-pledge.js" in page


@pytest.mark.parametrize("data, field, message", [
    ({}, "kind", "Choose what you would bring."),
    ({"kind": "time"}, "hours", "Say how many hours you would give."),
    ({"kind": "time", "amount": "20"}, "hours", "Say how many hours you would give."),
    ({"kind": "money", "hours": "3"}, "amount", "Say how much money you would give."),
    ({"kind": "money", "amount": "-5"}, "amount", "greater than or equal to 0"),
    ({"kind": "skills"}, "description", "Say what exactly you would bring."),
    ({"kind": "room", "hours": "2"}, "description", "Say what exactly you would bring."),
])
def test_a_pledge_needs_exactly_the_fields_of_its_kind(client, proposal, person, data, field, message):
    client.force_login(person)
    response = client.post(url(proposal, "pledges"), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text and message in response.text
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("data, saved", [
    ({"kind": "money", "amount": "25", "hours": "3", "description": "Kuchen"}, ("money", None, Decimal("25"), "")),
    ({"kind": "time", "hours": "2.5", "amount": "oops", "when": "samstags"}, ("time", Decimal("2.5"), None, "samstags")),
    ({"kind": "contacts", "description": "Ich kenne den Vermieter.", "hours": "-1"},
     ("contacts", None, None, "Ich kenne den Vermieter.")),
])
def test_fields_of_another_kind_are_left_out(client, proposal, person, data, saved):
    client.force_login(person)
    assert client.post(url(proposal, "pledges"), data).status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.kind, pledge.hours, pledge.amount, pledge.note) == saved
