"""The public proposal pages: HTTP status, rules, what each action changes, query counts, bad input."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from proposals import services
from proposals.models import Comment, Follow, Pledge, Proposal, Report, StatusChange, Support
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import (
    CallFactory, CategoryFactory, CommentFactory, PledgeFactory, ProposalFactory, StatusChangeFactory,
)

pytestmark = pytest.mark.django_db
S = Proposal.Status

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
]


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English, the source language, so assertions survive new German translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def author(db):
    return UserFactory()


@pytest.fixture
def proposal(organisation, author):
    return services.proposal_create(
        author=author, organisation=organisation, title="Reparaturcafé im Hinterhof",
        summary="Wir reparieren gemeinsam.", text="Einmal im Monat.", planning="together", delivery="community",
        publish=True,
    )


@pytest.fixture
def draft(organisation, author):
    return services.proposal_create(
        author=author, organisation=organisation, title="Noch geheim", summary="Entwurf", text="Entwurf.",
        planning="professionals", delivery="together",
    )


def url(proposal, action=""):
    return f"/proposals/{proposal.pk}/{action + '/' if action else ''}"


def new_proposal_data(organisation, /, **extra):
    data = {
        "title": "Lesepatenschaften", "summary": "Ehrenamtliche lesen mit Kindern.",
        "text": "Jeden Dienstag in der Bibliothek.", "organisation": organisation.pk, "district": "Nordstadt",
        "estimated_cost": "120.50", "mode": "together:community", "action": "publish",
    }
    data.update(extra)
    return data


# --- pages render ----------------------------------------------------------------------------

def test_public_pages_render(client, proposal):
    call = CallFactory(organisation=proposal.organisation)
    for address in ["/proposals/", url(proposal), "/proposals/calls/", call.get_absolute_url(), "/coproduction/"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert '<main id="main"' in response.text


def test_signed_in_pages_render(client, proposal, author):
    comment = services.comment_create(proposal=proposal, author=author, text="Ich helfe mit.")
    client.force_login(author)
    for address in ["/proposals/new/", url(proposal, "edit"), url(proposal),
                    f"{url(proposal)}comments/{comment.pk}/edit/", f"{url(proposal)}comments/{comment.pk}/report/"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert 'name="csrfmiddlewaretoken"' in response.text


def test_list_shows_published_not_drafts(client, proposal, draft):
    page = client.get("/proposals/").text
    assert proposal.title in page and draft.title not in page


def test_draft_is_404_for_others_and_200_for_its_author(client, draft, author, person):
    assert client.get(url(draft)).status_code == 404
    client.force_login(person)
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(draft, "edit")).status_code == 404
    assert client.post(url(draft, "comments"), {"text": "Hallo"}).status_code == 404
    client.force_login(author)
    response = client.get(url(draft))
    assert response.status_code == 200 and draft.title in response.text
    assert "Publish proposal" in response.text


def test_unknown_proposal_is_404(client):
    assert client.get("/proposals/999999/").status_code == 404


# --- who may do what -------------------------------------------------------------------------

ACTIONS = ["support", "unsupport", "follow", "unfollow", "comments", "pledges", "report", "status"]


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_post_is_sent_to_sign_in(client, proposal, action):
    response = client.post(url(proposal, action), {"text": "x", "reason": "x", "kind": "skills"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/") and f"next=/proposals/{proposal.pk}/" in response.url
    proposal.refresh_from_db()
    assert (proposal.support_count, proposal.comment_count, proposal.pledge_count) == (0, 0, 0)
    assert not Report.objects.exists()


@pytest.mark.parametrize("address", ["/proposals/new/", "EDIT"])
def test_anonymous_writing_is_sent_to_sign_in(client, proposal, address):
    address = url(proposal, "edit") if address == "EDIT" else address
    response = client.get(address)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["support", "comments", "pledges"])
def test_actions_are_post_only(client, proposal, person, action):
    client.force_login(person)
    assert client.get(url(proposal, action)).status_code == 405


def test_nobody_but_the_author_edits(client, proposal, person, staff, other_staff, superuser):
    data = new_proposal_data(proposal.organisation, title="Übernommen")
    for someone in [person, staff, other_staff, superuser]:
        client.force_login(someone)
        assert client.get(url(proposal, "edit")).status_code == 403
        assert client.post(url(proposal, "edit"), data).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé im Hinterhof"


def test_author_edits_until_review_starts(client, proposal, author, staff):
    client.force_login(author)
    response = client.post(url(proposal, "edit"), new_proposal_data(proposal.organisation, title="Reparaturcafé neu"))
    assert response.status_code == 302 and response.url == url(proposal)
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé neu" and proposal.estimated_cost == Decimal("120.50")
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW, response="Wir prüfen.")
    assert client.get(url(proposal, "edit")).status_code == 403
    response = client.post(url(proposal, "edit"), new_proposal_data(proposal.organisation, title="Zu spät"))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé neu"


def test_edit_form_is_filled_with_the_proposal(client, proposal, author, other_organisation):
    proposal.partner_organisations.add(other_organisation)
    client.force_login(author)
    page = client.get(url(proposal, "edit")).text
    assert 'value="Reparaturcafé im Hinterhof"' in page
    assert f'type="checkbox" name="partner_organisations" value="{other_organisation.pk}"' in page
    assert page.count('name="partner_organisations"') == 2 and page.count("checked") == 2  # partner, mode
    assert 'value="together:community" required' in page


def test_author_keeps_a_closed_call_when_editing(client, author, organisation):
    call = CallFactory(organisation=organisation)
    proposal = services.proposal_create(
        author=author, organisation=organisation, call=call, title="Antwort", summary="s", text="t",
        planning="together", delivery="together", publish=True,
    )
    call.deadline = timezone.localdate() - timedelta(days=3)
    call.save()
    client.force_login(author)
    data = new_proposal_data(organisation, title="Antwort, verbessert", call=call.pk)
    assert client.post(url(proposal, "edit"), data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Antwort, verbessert" and proposal.call == call


def test_supporting_a_draft_is_forbidden(client, draft, author):
    client.force_login(author)
    response = client.post(url(draft, "support"))
    assert response.status_code == 403
    assert "cannot be supported" in response.text
    assert not Support.objects.exists()


def test_someone_else_cannot_edit_my_comment(client, proposal, author, person):
    comment = services.comment_create(proposal=proposal, author=author, text="Meins.")
    client.force_login(person)
    edit = f"{url(proposal)}comments/{comment.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"text": "Geändert"}).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Meins."


def test_comment_of_another_proposal_is_404(client, proposal, person, organisation):
    other = ProposalFactory(organisation=organisation)
    comment = CommentFactory(proposal=other)
    client.force_login(person)
    assert client.get(f"{url(proposal)}comments/{comment.pk}/report/").status_code == 404
    assert client.post(url(proposal, "comments"), {"text": "Antwort", "parent": comment.pk}).status_code == 404


def test_only_the_author_publishes_or_withdraws(client, proposal, draft, author, person, staff):
    for someone in [person, staff]:
        client.force_login(someone)
        assert client.post(url(proposal, "status"), {"to_status": "withdrawn"}).status_code == 403
    client.force_login(author)
    # the author may not take a staff decision either
    assert client.post(url(proposal, "status"), {"to_status": "accepted"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED

    assert client.post(url(draft, "status"), {"to_status": "published"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.published_at
    assert client.post(url(proposal, "status"), {"to_status": "withdrawn"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    assert StatusChange.objects.filter(proposal=proposal, to_status=S.WITHDRAWN).exists()


# --- what the actions change -----------------------------------------------------------------

def test_support_and_withdraw_support(client, proposal, person):
    client.force_login(person)
    response = client.post(url(proposal, "support"))
    assert response.status_code == 302 and response.url == url(proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Follow.objects.filter(user=person, proposal=proposal).exists()
    assert "Withdraw my support" in client.get(url(proposal)).text

    assert client.post(url(proposal, "unsupport")).status_code == 302
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and not Support.objects.exists()
    assert "data-primary-action>Support</button>" in client.get(url(proposal)).text


def test_double_support_is_refused_and_counted_once(client, proposal, person):
    client.force_login(person)
    client.post(url(proposal, "support"))
    response = client.post(url(proposal, "support"))
    assert response.status_code == 400
    assert "You already support this proposal." in response.text
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.count()


def test_withdrawing_support_one_never_gave_is_refused(client, proposal, person):
    client.force_login(person)
    response = client.post(url(proposal, "unsupport"))
    assert response.status_code == 400 and "You do not support this proposal." in response.text
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_rejected_proposal_cannot_be_supported_or_pledged(client, proposal, person, staff):
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.REJECTED, response="Kein Budget.")
    client.force_login(person)
    response = client.post(url(proposal, "support"))
    assert response.status_code == 403 and "cannot be supported" in response.text
    response = client.post(url(proposal, "pledges"), {"kind": "time", "hours": "2"})
    assert response.status_code == 403 and "not open for pledges" in response.text
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and proposal.pledge_count == 0
    assert not Support.objects.exists() and not Pledge.objects.exists()


def test_follow_and_unfollow(client, proposal, person):
    client.force_login(person)
    assert client.post(url(proposal, "follow")).status_code == 302
    assert Follow.objects.filter(user=person, proposal=proposal).exists()
    assert "Stop following" in client.get(url(proposal)).text
    assert client.post(url(proposal, "unfollow")).status_code == 302
    assert not Follow.objects.filter(user=person, proposal=proposal).exists()


def test_comment_and_reply(client, proposal, person, author):
    client.force_login(person)
    response = client.post(url(proposal, "comments"), {"text": "Ich bringe Werkzeug mit."})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url == f"{url(proposal)}#comment-{comment.pk}"
    client.force_login(author)
    response = client.post(url(proposal, "comments"), {"text": "Danke!", "parent": comment.pk})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=comment)
    # a reply to the reply joins the thread: replies stay one level deep
    client.post(url(proposal, "comments"), {"text": "Gern.", "parent": reply.pk})
    assert Comment.objects.filter(parent=comment).count() == 2
    proposal.refresh_from_db()
    assert proposal.comment_count == 3
    page = client.get(url(proposal)).text
    assert page.index("Ich bringe Werkzeug mit.") < page.index("Danke!") < page.index("Gern.")
    assert page.count('class="replies"') == 1


def test_empty_or_overlong_comment_is_refused(client, proposal, person):
    client.force_login(person)
    response = client.post(url(proposal, "comments"), {"text": "   "})
    assert response.status_code == 400 and "field-errors" in response.text
    response = client.post(url(proposal, "comments"), {"text": "x" * 3001})
    assert response.status_code == 400 and "at most 3000 characters" in response.text
    comment = services.comment_create(proposal=proposal, author=person, text="Erster!")
    response = client.post(url(proposal, "comments"), {"text": "y" * 3001, "parent": comment.pk})
    assert response.status_code == 400 and "<details open>" in response.text
    proposal.refresh_from_db()
    assert proposal.comment_count == 1 == Comment.objects.count()


def test_commenting_on_a_hidden_proposal_is_refused(client, proposal, person, staff):
    services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Werbung")
    client.force_login(person)
    response = client.post(url(proposal, "comments"), {"text": "Hallo"})
    assert response.status_code == 403 and "not open for comments" in response.text
    proposal.refresh_from_db()
    assert proposal.comment_count == 0 and not Comment.objects.exists()


def test_replying_to_a_hidden_comment_is_refused(client, proposal, person, staff):
    comment = services.comment_create(proposal=proposal, author=person, text="Unfreundlich.")
    services.content_set_hidden(target=comment, moderator=staff, hidden=True, reason="Beleidigung")
    client.force_login(person)
    response = client.post(url(proposal, "comments"), {"text": "Antwort", "parent": comment.pk})
    assert response.status_code == 400 and "You cannot reply to this comment." in response.text
    assert Comment.objects.count() == 1


def test_edit_own_comment_within_the_window_only(client, proposal, person):
    comment = services.comment_create(proposal=proposal, author=person, text="Tippfeler.")
    client.force_login(person)
    assert f"comments/{comment.pk}/edit/" in client.get(url(proposal)).text
    response = client.post(f"{url(proposal)}comments/{comment.pk}/edit/", {"text": "Tippfehler."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Tippfehler." and comment.edited_at

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    assert f"comments/{comment.pk}/edit/" not in client.get(url(proposal)).text
    response = client.post(f"{url(proposal)}comments/{comment.pk}/edit/", {"text": "Zu spät."})
    assert response.status_code == 400 and "within 15 minutes" in response.text
    comment.refresh_from_db()
    assert comment.text == "Tippfehler."


def test_pledges_are_summed_by_kind(client, proposal, person):
    client.force_login(person)
    assert client.post(url(proposal, "pledges"), {"kind": "time", "hours": "2", "when": "Samstags"}).status_code == 302
    client.force_login(UserFactory())
    client.post(url(proposal, "pledges"), {"kind": "time", "hours": "3.5"})
    client.post(url(proposal, "pledges"), {"kind": "money", "amount": "40"})
    client.post(url(proposal, "pledges"), {"kind": "room", "description": "Unser Gemeinschaftsraum"})
    proposal.refresh_from_db()
    assert proposal.pledge_count == 4
    page = client.get(url(proposal)).text
    assert "5.5 hours" in page or "5,5 hours" in page
    assert "40,00 €" in page or "40.00 €" in page
    assert "Unser Gemeinschaftsraum" in page and "Samstags" in page


@pytest.mark.parametrize("data, message", [
    ({"kind": "time"}, "Say how many hours you would give."),
    ({"kind": "money", "amount": "0"}, "Say how much money you would give."),
    ({"kind": "time", "hours": "-2"}, "greater than or equal to 0"),
    ({"kind": "rocket", "hours": "2"}, "Select a valid choice"),
    ({"kind": "skills", "description": "n" * 301}, "at most 300 characters"),
])
def test_bad_pledges_are_refused(client, proposal, person, data, message):
    client.force_login(person)
    response = client.post(url(proposal, "pledges"), data)
    assert response.status_code == 400
    assert message in response.text and "field-errors" in response.text
    proposal.refresh_from_db()
    assert proposal.pledge_count == 0 and not Pledge.objects.exists()


def test_report_proposal_and_comment(client, proposal, person, author):
    comment = services.comment_create(proposal=proposal, author=author, text="Hm.")
    client.force_login(person)
    assert client.post(url(proposal, "report"), {"reason": "Werbung für eine Firma"}).status_code == 302
    response = client.post(f"{url(proposal)}comments/{comment.pk}/report/", {"reason": "Beleidigend"})
    assert response.status_code == 302
    assert Report.objects.filter(proposal=proposal, comment=None, reason="Werbung für eine Firma").exists()
    assert Report.objects.filter(proposal=proposal, comment=comment, reason="Beleidigend").exists()
    response = client.post(url(proposal, "report"), {"reason": "   "})
    assert response.status_code == 400
    response = client.post(f"{url(proposal)}comments/{comment.pk}/report/", {"reason": "r" * 501})
    assert response.status_code == 400
    assert Report.objects.count() == 2


# --- writing a proposal ----------------------------------------------------------------------

def test_create_as_draft_or_published(client, person, organisation, other_organisation):
    client.force_login(person)
    data = new_proposal_data(organisation, action="draft", partner_organisations=[other_organisation.pk])
    response = client.post("/proposals/new/", data)
    draft = Proposal.objects.get()
    assert response.status_code == 302 and response.url == url(draft)
    assert draft.status == S.DRAFT and draft.author == person
    assert list(draft.partner_organisations.all()) == [other_organisation]
    assert draft.estimated_cost == Decimal("120.50") and (draft.planning, draft.delivery) == ("together", "community")

    client.post("/proposals/new/", new_proposal_data(organisation, title="Sofort öffentlich"))
    published = Proposal.objects.get(title="Sofort öffentlich")
    assert published.status == S.PUBLISHED and published.published_at


def test_create_form_offers_modes_on_the_matrix_with_help(client, person):
    client.force_login(person)
    page = client.get("/proposals/new/").text
    assert page.count('type="radio" name="mode"') == 9
    assert 'href="/coproduction/"' in page
    assert "Full co-production" in page and "Users and staff plan the service together" in page  # explained
    assert 'value="draft"' in page and 'value="publish"' in page


def test_answer_a_call_preselects_call_and_organisation(client, person):
    call = CallFactory()
    client.force_login(person)
    page = client.get(f"/proposals/new/?call={call.pk}").text
    assert f'<option value="{call.pk}" selected>' in page
    assert f'<option value="{call.organisation.pk}" selected>' in page
    response = client.post("/proposals/new/", new_proposal_data(call.organisation, call=call.pk))
    assert response.status_code == 302
    assert Proposal.objects.get().call == call
    assert "Answer this call" in client.get(call.get_absolute_url()).text


@pytest.mark.parametrize("change", [
    {"title": "t" * 161},
    {"summary": "s" * 301},
    {"text": "x" * 10001},
    {"title": ""},
    {"estimated_cost": "-1"},
    {"estimated_cost": "viel"},
    {"mode": "everyone:together"},
    {"mode": ""},
    {"mode": "together"},
    {"organisation": "999999"},
    {"category": "999999"},
    {"partner_organisations": ["999999"]},
    {"call": "CLOSED"},
    {"call": "OTHER"},
])
def test_bad_proposal_input_is_refused_and_nothing_saved(client, person, organisation, change):
    if change.get("call") == "CLOSED":
        change = {"call": CallFactory(organisation=organisation, closed=True).pk}
    elif change.get("call") == "OTHER":
        change = {"call": CallFactory().pk}
    client.force_login(person)
    response = client.post("/proposals/new/", new_proposal_data(organisation, **change))
    assert response.status_code == 400
    assert "field-errors" in response.text
    assert not Proposal.objects.exists()


def test_error_messages_are_clear(client, person, organisation):
    client.force_login(person)
    page = client.post("/proposals/new/", new_proposal_data(
        organisation, estimated_cost="-5", mode="everyone:together", call=CallFactory().pk)).text
    assert "The cost cannot be negative." in page
    assert "Choose one of the nine cells of the matrix." in page
    assert "This call belongs to another organisation." in page
    assert 'aria-invalid="true"' in page


def test_editing_to_bad_input_changes_nothing(client, proposal, author):
    client.force_login(author)
    response = client.post(url(proposal, "edit"), new_proposal_data(proposal.organisation, title="t" * 161))
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé im Hinterhof"


# --- what the pages show ---------------------------------------------------------------------

def test_detail_shows_everything_about_the_proposal(client, author, organisation, other_organisation, staff):
    call = CallFactory(organisation=organisation, title="Wie erreichen wir Menschen zwischen 30 und 60?")
    category = CategoryFactory(name="Nachbarschaft")
    proposal = services.proposal_create(
        author=author, organisation=organisation, partner_organisations=[other_organisation], call=call,
        category=category, district="Wesertor", estimated_cost=Decimal("1500"), title="Feierabendtreff",
        summary="Ein Treff nach der Arbeit.", text="Zeile eins.\n\nZeile zwei, siehe https://example.org",
        planning="together", delivery="together", publish=True,
    )
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW,
                                 response="Wir prüfen das im Team.")
    page = client.get(url(proposal)).text
    for text in [proposal.title, proposal.summary, "<p>Zeile eins.</p>", organisation.name, other_organisation.name,
                 call.title, "Nachbarschaft", "Wesertor", "Full co-production", "Wir prüfen das im Team.",
                 "Under review", 'href="/coproduction/"', 'href="https://example.org"']:
        assert text in page, text


def test_hidden_content_shows_the_reason_instead(client, proposal, person, staff):
    comment = services.comment_create(proposal=proposal, author=person, text="Böser Kommentar")
    services.content_set_hidden(target=comment, moderator=staff, hidden=True, reason="Beleidigung")
    page = client.get(url(proposal)).text
    assert "Böser Kommentar" not in page and "Hidden by moderation: Beleidigung" in page

    services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Werbung")
    page = client.get(url(proposal)).text
    assert "Hidden by moderation: Werbung" in page and proposal.summary not in page
    assert proposal.title not in page and "Hidden proposal" in page
    page = client.get("/proposals/").text
    assert "Hidden by moderation: Werbung" in page and proposal.summary not in page and proposal.title not in page


def test_assisted_contributions_are_marked(client, proposal, staff):
    participant = UserFactory()
    services.comment_create(proposal=proposal, author=participant, text="Am Telefon gesagt.", entered_by=staff,
                            channel="phone", consent_recorded=True)
    assisted = services.proposal_create(
        author=None, organisation=proposal.organisation, title="Vom Papierbogen", summary="s", text="t",
        planning="community", delivery="together", publish=True, entered_by=staff, channel="paper",
        consent_recorded=True,
    )
    page = client.get(url(proposal)).text
    assert "entered by staff on behalf of a participant (" in page
    assert "Entered by staff on behalf of a participant (" in client.get(url(assisted)).text


# --- query counts ----------------------------------------------------------------------------

def fill(size):
    """``size`` published proposals across organisations, calls and categories, with some activity."""
    organisations = OrganisationFactory.create_batch(3)
    categories = CategoryFactory.create_batch(3)
    calls = [CallFactory(organisation=organisation) for organisation in organisations]
    proposals = []
    for index in range(size):
        organisation = organisations[index % 3]
        proposals.append(ProposalFactory(
            organisation=organisation, category=categories[index % 3] if index % 4 else None,
            call=calls[index % 3] if index % 2 else None, support_count=index, comment_count=size - index,
            is_hidden=index % 7 == 0, title=f"Fahrradwerkstatt {index}",
        ))
    return organisations, categories, calls, proposals


LIST_QUERIES = [
    {},
    {"ordering": "newest"},
    {"ordering": "supported"},
    {"ordering": "discussed"},
    {"ordering": "active"},
    {"q": "Fahrradwerkstatt", "ordering": "supported"},
    {"status": "published", "planning": "together", "delivery": "together", "district": "Nord"},
    {"organisation": 0, "call": 0, "category": 0, "ordering": "active", "page": "1"},
]


@pytest.mark.parametrize("size", [3, 45])
@pytest.mark.parametrize("signed_in", [False, True])
def test_list_queries_do_not_grow(client, django_assert_max_num_queries, size, signed_in):
    organisations, categories, calls, _proposals = fill(size)
    if signed_in:
        client.force_login(UserFactory())
    for params in LIST_QUERIES:
        params = dict(params)
        for name, objects in [("organisation", organisations), ("call", calls), ("category", categories)]:
            if name in params:
                params[name] = objects[1].pk
        # session + user, count + rows, 3 choice lists, up to 3 lookups of the chosen filter values
        with django_assert_max_num_queries(10):
            response = client.get("/proposals/", params)
        assert response.status_code == 200, params


@pytest.mark.parametrize("size", [5, 200])
def test_detail_queries_do_not_grow(client, django_assert_max_num_queries, organisation, author, size):
    proposal = ProposalFactory(organisation=organisation, author=author, call=CallFactory(organisation=organisation),
                               category=CategoryFactory())
    proposal.partner_organisations.add(*OrganisationFactory.create_batch(3))
    people = UserFactory.create_batch(5)
    threads = [CommentFactory(proposal=proposal, author=people[index % 5]) for index in range(size // 2)]
    for index in range(size - len(threads)):
        CommentFactory(proposal=proposal, author=people[index % 5], parent=threads[index % len(threads)],
                       is_hidden=index % 9 == 0, hidden_reason="Spam")
    for index in range(size):
        PledgeFactory(proposal=proposal, user=people[index % 5], kind=["time", "money", "skills"][index % 3])
    StatusChangeFactory.create_batch(3, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=size)  # as the services keep it
    # On PostgreSQL, two more set and reset the join order around the proposal's query (joins_as_written).
    planning = 2 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(6 + planning):
        assert client.get(url(proposal)).status_code == 200
    client.force_login(people[0])
    # + session, user
    with django_assert_max_num_queries(8 + planning):
        response = client.get(url(proposal))
    assert response.status_code == 200
    # All five, or the first page: twenty threads with one reply each.
    assert response.text.count('class="comment"') == {5: 5, 200: 40}[size]


# --- bad input stays inert -------------------------------------------------------------------

@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_are_rendered_inert_everywhere(client, organisation, payload, staff):
    author = UserFactory()
    call = CallFactory(organisation=organisation, title=f"Frage {payload}", description=f"Hintergrund {payload}")
    OrganisationFactory(city=organisation.city, district=f"Ort {payload}")  # a district of the town
    client.force_login(author)
    response = client.post("/proposals/new/", new_proposal_data(
        organisation, title=f"Titel {payload}", summary=f"Kurz {payload}", text=f"Text {payload}",
        district=f"Ort {payload}", call=call.pk,
    ))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    client.post(url(proposal, "comments"), {"text": f"Kommentar {payload}"})
    comment = Comment.objects.get()
    client.post(url(proposal, "comments"), {"text": f"Antwort {payload}", "parent": comment.pk})
    client.post(url(proposal, "pledges"), {"kind": "skills", "description": f"Notiz {payload}"})
    client.post(url(proposal, "report"), {"reason": f"Grund {payload}"})
    client.post(f"{url(proposal)}comments/{comment.pk}/report/", {"reason": f"Grund {payload}"})
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW,
                                 response=f"Antwort {payload}")
    assert Comment.objects.count() == 2 and Pledge.objects.count() == 1 and Report.objects.count() == 2
    hidden_comment = services.comment_create(proposal=proposal, author=author, text="weg")
    services.content_set_hidden(target=hidden_comment, moderator=staff, hidden=True, reason=f"Grund {payload}")

    pages = [url(proposal), "/proposals/", f"/proposals/?q={payload}", call.get_absolute_url(), "/proposals/calls/",
             "/coproduction/", f"{url(proposal)}comments/{comment.pk}/report/",
             f"{url(proposal)}comments/{comment.pk}/edit/"]
    for address in pages:
        page = client.get(address).text
        assert "<script>alert" not in page, address
        assert "<img src=x" not in page and "<svg onload" not in page, address
        assert 'href="javascript:' not in page.lower() and "href='javascript:" not in page.lower(), address
        assert "onerror=alert(1)>" not in page.replace("onerror=alert(1)&gt;", ""), address
    detail = client.get(url(proposal)).text
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for text in [f"Titel {escaped}", f"Kurz {escaped}", f"Ort {escaped}", f"Kommentar {escaped}",
                 f"Notiz {escaped}", f"Grund {escaped}", f"Frage {escaped}"]:
        assert text in detail, text
    # a proposal that was hidden shows its reason, escaped, in place of the text
    services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason=f"Grund {payload}")
    page = client.get(url(proposal)).text
    assert f"Grund {escaped}" in page and "<script>alert" not in page


def test_overlong_filter_and_search_input_is_harmless(client, proposal):
    response = client.get("/proposals/", {"q": "x" * 5000, "organisation": "abc", "ordering": "evil"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 0 if response.context.get("paginator") else True


# --- filters, search and ordering ------------------------------------------------------------

def titles(response):
    return [proposal.title for proposal in response.context["proposals"]]


def test_each_filter_narrows_the_list(client, organisation, other_organisation):
    call = CallFactory(organisation=organisation)
    category = CategoryFactory()
    match = ProposalFactory(organisation=organisation, call=call, category=category, district="Wesertor",
                            planning="community", delivery="professionals", status=S.ACCEPTED, title="Kletterwand")
    ProposalFactory(organisation=other_organisation, title="Daneben")
    for params in [{"organisation": organisation.pk}, {"call": call.pk}, {"category": category.pk},
                   {"district": "weser"}, {"planning": "community"}, {"delivery": "professionals"},
                   {"status": "accepted"}, {"q": "Kletterwand"}]:
        assert titles(client.get("/proposals/", params)) == ["Kletterwand"], params
    assert len(titles(client.get("/proposals/"))) == 2
    assert match.title in client.get("/proposals/", {"planning": "community", "delivery": "professionals"}).text


def test_filters_stay_in_the_pagination_links(client, organisation):
    ProposalFactory.create_batch(21, organisation=organisation, planning="community")
    response = client.get("/proposals/", {"planning": "community", "ordering": "supported"})
    assert len(response.context["proposals"]) == 20
    assert "planning=community&amp;ordering=supported&amp;page=2" in response.text
    assert len(client.get("/proposals/", {"planning": "community", "page": 2}).context["proposals"]) == 1


def test_search_finds_words_in_title_summary_and_text(client):
    ProposalFactory(title="Fahrradwerkstatt", summary="Reparieren", text="Jeden Samstag")
    ProposalFactory(title="Mittagstisch", summary="Gemeinsam essen", text="Für Seniorinnen und Senioren")
    assert titles(client.get("/proposals/", {"q": "fahrradwerkstatt"})) == ["Fahrradwerkstatt"]
    assert titles(client.get("/proposals/", {"q": "essen"})) == ["Mittagstisch"]
    assert titles(client.get("/proposals/", {"q": "Senioren"})) == ["Mittagstisch"]
    assert titles(client.get("/proposals/", {"q": "Schwimmbad"})) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL full-text search")
def test_german_search_finds_word_forms(client):
    ProposalFactory(title="Reparaturtreff", text="Wir reparieren alte Fahrräder für Kinder.")
    ProposalFactory(title="Sprachcafé", text="Deutsch lernen beim Kaffee.")
    assert titles(client.get("/proposals/", {"q": "Fahrrad"})) == ["Reparaturtreff"]
    assert titles(client.get("/proposals/", {"q": "Kind -Kaffee"})) == ["Reparaturtreff"]


def test_orderings(client):
    now = timezone.now()
    old = ProposalFactory(title="Alt", published_at=now - timedelta(days=3), support_count=9, comment_count=1,
                          last_activity_at=now)
    middle = ProposalFactory(title="Mitte", published_at=now - timedelta(days=2), support_count=1, comment_count=7,
                             last_activity_at=now - timedelta(days=2))
    new = ProposalFactory(title="Neu", published_at=now - timedelta(days=1), support_count=5, comment_count=3,
                          last_activity_at=now - timedelta(days=1))
    assert titles(client.get("/proposals/")) == [new.title, middle.title, old.title]
    assert titles(client.get("/proposals/", {"ordering": "newest"})) == ["Neu", "Mitte", "Alt"]
    assert titles(client.get("/proposals/", {"ordering": "supported"})) == ["Alt", "Neu", "Mitte"]
    assert titles(client.get("/proposals/", {"ordering": "discussed"})) == ["Mitte", "Neu", "Alt"]
    assert titles(client.get("/proposals/", {"ordering": "active"})) == ["Alt", "Neu", "Mitte"]


# --- calls for ideas -------------------------------------------------------------------------

def test_calls_list_open_first(client, organisation):
    closed = CallFactory(organisation=organisation, closed=True, title="Vorbei")
    later = CallFactory(organisation=organisation, title="Später",
                        deadline=timezone.localdate() + timedelta(days=60))
    soon = CallFactory(organisation=organisation, title="Bald", deadline=timezone.localdate() + timedelta(days=5))
    ProposalFactory(call=soon, organisation=organisation)
    ProposalFactory(call=soon, organisation=organisation, draft=True)
    response = client.get("/proposals/calls/")
    assert [call.title for call in response.context["calls"]] == [soon.title, later.title, closed.title]
    assert "1 proposal" in response.text


def test_call_page_shows_question_and_answers(client, organisation):
    call = CallFactory(organisation=organisation, description="Wir wollen 30- bis 60-Jährige erreichen.")
    answer = ProposalFactory(call=call, organisation=organisation, title="Feierabendtreff")
    draft = ProposalFactory(call=call, organisation=organisation, title="Geheimer Entwurf", draft=True)
    page = client.get(call.get_absolute_url()).text
    assert call.title in page and call.description in page and organisation.name in page
    assert answer.title in page and draft.title not in page
    assert f'href="/proposals/new/?call={call.pk}"' in page
    closed = CallFactory(organisation=organisation, closed=True)
    assert "/proposals/new/?call=" not in client.get(closed.get_absolute_url()).text


def test_closed_call_is_not_preselected(client, person):
    call = CallFactory(closed=True)
    client.force_login(person)
    page = client.get(f"/proposals/new/?call={call.pk}").text
    assert call.title not in page and " selected>" not in page.replace("<option value=\"\" selected>", "")


@pytest.mark.parametrize("size", [2, 30])
def test_call_pages_queries_do_not_grow(client, django_assert_max_num_queries, organisation, size):
    calls = CallFactory.create_batch(size, organisation=organisation)
    for call in calls:
        ProposalFactory(call=call, organisation=organisation)
    ProposalFactory.create_batch(size, call=calls[0], organisation=organisation)
    with django_assert_max_num_queries(2):
        assert client.get("/proposals/calls/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(calls[0].get_absolute_url()).status_code == 200


def test_staff_member_is_not_the_author(client, proposal, organisation):
    """Staff of the owning organisation decide in the back office; they do not edit a citizen's words."""
    staff_member = MembershipFactory(organisation=organisation, role="staff").user
    client.force_login(staff_member)
    assert client.get(url(proposal, "edit")).status_code == 403


def test_the_list_total_comes_from_kept_counts_and_stays_true(client, staff, organisation, superuser,
                                                              django_capture_on_commit_callbacks):
    from django.test import Client

    from proposals import services as proposal_services

    together = [ProposalFactory(organisation=organisation, planning="together", delivery="community")
                for _ in range(2)]
    ProposalFactory(organisation=organisation, planning="professionals", delivery="community")
    ProposalFactory(organisation=organisation, draft=True)

    def total(query=""):
        return client.get(f"/proposals/{query}").context["page_obj"].paginator.count

    assert total() == 3
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.content_set_hidden(target=together[0], moderator=staff, hidden=True, reason="Werbung")
    assert total() == 3  # the list keeps a hidden proposal's place, without its content
    assert total("?planning=together") == 2
    assert total("?planning=together&organisation=%d" % organisation.pk) == 2
    operator = Client()
    operator.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):  # deleted in the back office
        operator.post(f"/admin/proposals/proposal/{together[1].pk}/delete/", {"post": "yes"})
    assert not Proposal.objects.filter(pk=together[1].pk).exists()
    assert total() == total("?ordering=supported") == 2
    assert total("?planning=everyone") == 0  # a refused filter lists nothing
