"""The proposals back office: scoping, status changes, moderation queue and assisted entries."""
import pytest

from notifications.models import Activity
from proposals import services
from proposals.models import Call, Comment, Proposal, Report, StatusChange, Support
from tests.admin_support import changelist_scoping_tests
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import CallFactory, CategoryFactory, PledgeFactory, ProposalFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status
ADMIN = "/admin/proposals"


def action(client, model, name, objects, query="", **data):
    """Posts an admin action on the changelist, as its own second page does ("apply")."""
    return client.post(
        f"{ADMIN}/{model}/{query}",
        {"action": name, "_selected_action": [obj.pk for obj in objects], "apply": "1", **data},
        follow=True, HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def own(organisation):
    proposal = ProposalFactory(organisation=organisation, title="Leihladen im Souterrain")
    comment = services.comment_create(proposal=proposal, author=UserFactory(), text="Ich hätte eine Bohrmaschine.")
    report = services.report_create(reporter=UserFactory(), reason="Eigener Meldegrund", proposal=proposal,
                                    comment=comment)
    call = CallFactory(organisation=organisation, title="Eigene Frage an das Viertel")
    return {"proposal": proposal, "comment": comment, "report": report, "call": call}


@pytest.fixture
def foreign(other_organisation):
    proposal = ProposalFactory(organisation=other_organisation, title="Fremder Vorschlag zum Bolzplatz")
    comment = services.comment_create(proposal=proposal, author=UserFactory(), text="Fremder Kommentar hier.")
    report = services.report_create(reporter=UserFactory(), reason="Fremder Meldegrund", proposal=proposal,
                                    comment=comment)
    call = CallFactory(organisation=other_organisation, title="Fremde Frage an das Viertel")
    return {"proposal": proposal, "comment": comment, "report": report, "call": call}


LISTS = [("proposal", "Leihladen im Souterrain", "Fremder Vorschlag zum Bolzplatz"),
         ("comment", "Ich hätte eine Bohrmaschine.", "Fremder Kommentar hier."),
         ("report", "Eigener Meldegrund", "Fremder Meldegrund"),
         ("call", "Eigene Frage an das Viertel", "Fremde Frage an das Viertel")]


# Scoping -----------------------------------------------------------------------------------

test_staff_lists_show_only_own_organisations_objects, test_superuser_sees_all = changelist_scoping_tests(ADMIN, LISTS)


@pytest.mark.parametrize("model", ["proposal", "comment", "report", "call"])
@pytest.mark.parametrize("view", ["change", "history"])
def test_staff_cannot_open_another_organisations_object_by_url(client, staff, foreign, model, view):
    client.force_login(staff)
    response = client.get(f"{ADMIN}/{model}/{foreign[model].pk}/{view}/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == "/admin/"
    assert "Fremd" not in response.text


def test_staff_cannot_change_another_organisations_call_by_post(client, staff, foreign, organisation):
    client.force_login(staff)
    call = foreign["call"]
    client.post(f"{ADMIN}/call/{call.pk}/change/",
                {"organisation": organisation.pk, "title": "Übernommen", "deadline": "2030-01-01"})
    call.refresh_from_db()
    assert call.title == "Fremde Frage an das Viertel" and call.organisation == foreign["call"].organisation


def test_staff_forged_actions_on_another_organisation_change_nothing(client, staff, foreign):
    client.force_login(staff)
    action(client, "proposal", "change_status", [foreign["proposal"]], to_status="rejected", response="Nein.")
    action(client, "proposal", "hide", [foreign["proposal"]], reason="Weg damit.")
    action(client, "comment", "hide", [foreign["comment"]], reason="Weg damit.")
    action(client, "report", "dismiss", [foreign["report"]])
    action(client, "report", "hide_content", [foreign["report"]], reason="Weg damit.")
    for obj in foreign.values():
        obj.refresh_from_db()
    assert foreign["proposal"].status == S.PUBLISHED and not foreign["proposal"].is_hidden
    assert not foreign["comment"].is_hidden
    assert foreign["report"].status == Report.Status.OPEN
    assert not StatusChange.objects.exists()


def test_drafts_stay_private_in_the_back_office(client, staff, superuser, organisation):
    draft = ProposalFactory(organisation=organisation, draft=True, title="Noch geheimer Entwurf")
    client.force_login(staff)
    assert draft.title not in client.get(f"{ADMIN}/proposal/").text
    assert client.get(f"{ADMIN}/proposal/{draft.pk}/change/").status_code == 302
    client.force_login(superuser)
    assert draft.title in client.get(f"{ADMIN}/proposal/").text


@pytest.mark.parametrize("model", ["proposal", "comment", "report", "call", "support", "pledge", "statuschange",
                                   "category"])
def test_anonymous_and_participants_are_sent_to_login(client, person, model):
    assert "/admin/login/" in client.get(f"{ADMIN}/{model}/").url
    client.force_login(person)
    assert "/admin/login/" in client.get(f"{ADMIN}/{model}/").url


@pytest.mark.parametrize("model", ["proposal", "comment", "report", "call", "support", "pledge", "statuschange",
                                   "category"])
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_lists_with_search_and_filters_work(client, request, own, model, who):
    PledgeFactory(proposal=own["proposal"])
    StatusChangeFactory(proposal=own["proposal"])
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{ADMIN}/{model}/", {"q": "a"}).status_code == 200


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_proposal_list_filters(client, request, own, foreign, who):
    client.force_login(request.getfixturevalue(who))
    for params in [{"status__exact": "published"}, {"planning__exact": "together", "delivery__exact": "together"},
                   {"channel__exact": "online"}, {"is_hidden__exact": "0"}]:
        page = client.get(f"{ADMIN}/proposal/", params).text
        assert own["proposal"].title in page
        assert (foreign["proposal"].title in page) is (who == "superuser")
    page = client.get(f"{ADMIN}/proposal/", {"status__exact": "accepted"}).text
    assert own["proposal"].title not in page
    organisation_filter = f"organisation__id__exact={foreign['proposal'].organisation_id}"
    assert (organisation_filter in client.get(f"{ADMIN}/proposal/").text) is (who == "superuser")


def test_proposal_change_form_is_read_only(client, staff, own):
    client.force_login(staff)
    proposal = own["proposal"]
    assert client.get(f"{ADMIN}/proposal/{proposal.pk}/change/").status_code == 200
    response = client.post(f"{ADMIN}/proposal/{proposal.pk}/change/", {"title": "Umgeschrieben", "status": "accepted"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Leihladen im Souterrain" and proposal.status == S.PUBLISHED


def test_staff_may_view_but_not_edit_categories(client, staff, superuser):
    category = CategoryFactory(name="Nachbarschaft", slug="nachbarschaft")
    client.force_login(staff)
    assert "Nachbarschaft" in client.get(f"{ADMIN}/category/").text
    assert client.get(f"{ADMIN}/category/add/").status_code == 403
    client.post(f"{ADMIN}/category/{category.pk}/change/", {"name": "Umbenannt", "slug": "umbenannt"})
    category.refresh_from_db()
    assert category.name == "Nachbarschaft"
    client.force_login(superuser)
    assert client.get(f"{ADMIN}/category/add/").status_code == 200


def test_staff_creates_calls_only_for_own_organisation(client, staff, organisation, other_organisation):
    client.force_login(staff)
    data = {"title": "Was fehlt im Viertel?", "description": "", "deadline": "2030-06-30"}
    response = client.post(f"{ADMIN}/call/add/", {**data, "organisation": other_organisation.pk})
    assert response.status_code == 200 and not Call.objects.exists()
    response = client.post(f"{ADMIN}/call/add/", {**data, "organisation": organisation.pk})
    assert response.status_code == 302
    call = Call.objects.get()
    assert call.organisation == organisation and call.created_by == staff


# Status changes ------------------------------------------------------------------------------

def test_status_action_first_shows_a_form(client, staff, own):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/proposal/", {"action": "change_status", "index": "0",
                                                  "_selected_action": [own["proposal"].pk]},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Public response" in response.text and own["proposal"].title in response.text
    own["proposal"].refresh_from_db()
    assert own["proposal"].status == S.PUBLISHED


def test_status_action_without_response_changes_nothing(client, staff, own):
    client.force_login(staff)
    response = action(client, "proposal", "change_status", [own["proposal"]], to_status="under_review", response="")
    assert "This field is required" in response.text
    own["proposal"].refresh_from_db()
    assert own["proposal"].status == S.PUBLISHED and not StatusChange.objects.exists()


def test_bulk_status_change_applies_legal_moves_and_refuses_illegal_ones(client, staff, organisation):
    first = ProposalFactory(organisation=organisation)
    second = ProposalFactory(organisation=organisation)
    rejected = ProposalFactory(organisation=organisation, status=S.REJECTED, title="Schon abgelehnt")
    client.force_login(staff)
    response = action(client, "proposal", "change_status", [first, second, rejected],
                      to_status="under_review", response="Wir prüfen das bis Ende Mai.")
    for proposal in (first, second, rejected):
        proposal.refresh_from_db()
    assert first.status == second.status == S.UNDER_REVIEW and rejected.status == S.REJECTED
    assert "Schon abgelehnt: A proposal cannot move from “Rejected” to “Under review”." in response.text
    assert "2 proposals changed." in response.text
    history = StatusChange.objects.filter(to_status=S.UNDER_REVIEW)
    assert {c.proposal_id for c in history} == {first.pk, second.pk}
    assert {c.response for c in history} == {"Wir prüfen das bis Ende Mai."} and {c.actor for c in history} == {staff}
    assert Activity.objects.filter(verb="proposal.status_changed", actor=staff).count() == 2


def test_staff_cannot_move_a_proposal_for_its_author(client, staff, own):
    client.force_login(staff)
    response = action(client, "proposal", "change_status", [own["proposal"]], to_status="withdrawn", response="X")
    assert "Select a valid choice" in response.text
    own["proposal"].refresh_from_db()
    assert own["proposal"].status == S.PUBLISHED


# Moderation --------------------------------------------------------------------------------

def test_moderation_queue_shows_open_reports_by_default(client, staff, own, organisation):
    dismissed = services.report_create(reporter=UserFactory(), reason="Längst erledigt", proposal=own["proposal"])
    services.report_decide(report=dismissed, moderator=staff, hide=False)
    client.force_login(staff)
    page = client.get(f"{ADMIN}/report/").text
    assert "Eigener Meldegrund" in page and "Längst erledigt" not in page
    assert "Ich hätte eine Bohrmaschine." in page  # the reported content's excerpt
    assert "Längst erledigt" in client.get(f"{ADMIN}/report/", {"status": "all"}).text


def test_hiding_reported_content_keeps_it_in_the_database(client, staff, own):
    client.force_login(staff)
    action(client, "report", "hide_content", [own["report"]], reason="Ausgeblendet: Werbung.")
    own["report"].refresh_from_db()
    comment = Comment.objects.get(pk=own["comment"].pk)
    assert own["report"].status == Report.Status.HIDDEN and own["report"].decided_by == staff
    assert comment.is_hidden and comment.hidden_reason == "Werbung."  # the page says "hidden" itself
    assert comment.text == "Ich hätte eine Bohrmaschine."
    assert Activity.objects.filter(verb="content.hidden", actor=staff).exists()


def test_dismissing_and_a_decided_report_cannot_be_decided_again(client, staff, own):
    client.force_login(staff)
    response = action(client, "report", "dismiss", [own["report"]])
    assert "1 report decided." in response.text
    own["report"].refresh_from_db()
    assert own["report"].status == Report.Status.DISMISSED
    response = action(client, "report", "hide_content", [own["report"]], reason="Doch ausblenden.")
    assert "This report has already been dealt with." in response.text
    own["report"].refresh_from_db()
    own["comment"].refresh_from_db()
    assert own["report"].status == Report.Status.DISMISSED and not own["comment"].is_hidden


@pytest.mark.parametrize("model", ["proposal", "comment"])
def test_hide_and_unhide(client, staff, own, model):
    target = own[model]
    client.force_login(staff)
    response = action(client, model, "hide", [target], reason="")
    assert "This field is required" in response.text
    target.refresh_from_db()
    assert not target.is_hidden
    action(client, model, "hide", [target], reason="Persönliche Daten.")
    target.refresh_from_db()
    assert target.is_hidden and target.hidden_reason == "Persönliche Daten."
    action(client, model, "unhide", [target])
    target.refresh_from_db()
    assert not target.is_hidden and target.hidden_reason == ""
    assert type(target).objects.filter(pk=target.pk).exists()


# Assisted participation ---------------------------------------------------------------------

def test_assisted_support_records_channel_consent_and_staff(client, staff, own):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/support/add/",
                           {"proposal": own["proposal"].pk, "channel": "phone", "consent_recorded": "on"})
    assert response.status_code == 302
    support = Support.objects.get()
    assert support.user is None and support.entered_by == staff
    assert support.channel == "phone" and support.consent_recorded
    own["proposal"].refresh_from_db()
    assert own["proposal"].support_count == 1
    assert Activity.objects.get(verb="proposal.supported").actor == staff
    page = client.get(f"{ADMIN}/support/").text
    assert "Phone" in page or "Telefon" in page


def test_assisted_entries_are_refused_without_consent(client, staff, own, organisation):
    client.force_login(staff)
    for url, data in [
        (f"{ADMIN}/support/add/", {"proposal": own["proposal"].pk, "channel": "paper"}),
        (f"{ADMIN}/comment/add/", {"proposal": own["proposal"].pk, "channel": "paper", "text": "Gut so."}),
        (f"{ADMIN}/proposal/add/", {"organisation": organisation.pk, "title": "Bänke", "summary": "Bänke.",
                                    "text": "Mehr Bänke.", "planning": "community", "delivery": "professionals",
                                    "channel": "paper"}),
    ]:
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "Record that the participant agreed" in response.text
    assert not Support.objects.exists()
    assert Comment.objects.count() == 1 and Proposal.objects.count() == 1


def test_assisted_comment(client, staff, own):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/comment/add/", {"proposal": own["proposal"].pk, "channel": "drop_in",
                                                     "consent_recorded": "on", "text": "Sie würde mithelfen."})
    assert response.status_code == 302
    comment = Comment.objects.get(text="Sie würde mithelfen.")
    assert comment.author is None and comment.entered_by == staff and comment.channel == "drop_in"
    assert comment.consent_recorded
    assert Activity.objects.get(verb="comment.created", target_id=comment.pk).actor == staff


def test_assisted_proposal_is_published_without_author(client, staff, organisation):
    call = CallFactory(organisation=organisation)
    client.force_login(staff)
    response = client.post(f"{ADMIN}/proposal/add/", {
        "organisation": organisation.pk, "title": "Sitzbänke am Markt", "summary": "Drei Bänke.",
        "text": "Vom Runden Tisch.", "planning": "community", "delivery": "professionals", "call": call.pk,
        "channel": "round_table", "consent_recorded": "on", "estimated_cost": "1200",
    })
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == S.PUBLISHED and proposal.author is None and proposal.call == call
    assert proposal.entered_by == staff and proposal.channel == "round_table" and proposal.consent_recorded
    assert Activity.objects.get(verb="proposal.published").actor == staff
    assert "Sitzbänke am Markt" in client.get(f"{ADMIN}/proposal/").text


def test_assisted_entries_only_for_own_organisation(client, staff, foreign, other_organisation):
    client.force_login(staff)
    data = {"proposal": foreign["proposal"].pk, "channel": "phone", "consent_recorded": "on"}
    assert client.post(f"{ADMIN}/support/add/", data).status_code == 200  # not a valid choice
    assert client.post(f"{ADMIN}/comment/add/", {**data, "text": "Hallo"}).status_code == 200
    response = client.post(f"{ADMIN}/proposal/add/", {
        "organisation": other_organisation.pk, "title": "Fremd", "summary": "Fremd.", "text": "Fremd.",
        "planning": "community", "delivery": "community", "channel": "phone", "consent_recorded": "on",
    })
    assert response.status_code == 200
    assert not Support.objects.exists() and Comment.objects.count() == 1 and Proposal.objects.count() == 1


def test_assisted_support_refused_by_the_service_is_shown(client, staff, organisation):
    proposal = ProposalFactory(organisation=organisation)
    client.force_login(staff)
    services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Spam.")
    # hidden proposals are not offered; a stale form posting one is refused, nothing saved
    response = client.post(f"{ADMIN}/support/add/", {"proposal": proposal.pk, "channel": "phone",
                                                     "consent_recorded": "on"})
    assert response.status_code == 200 and not Support.objects.exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(client, staff, organisation, other_organisation):
    MembershipFactory(organisation=other_organisation, user=staff, role="staff")
    foreign_call = CallFactory(organisation=other_organisation)
    client.force_login(staff)
    response = client.post(f"{ADMIN}/proposal/add/", {
        "organisation": organisation.pk, "call": foreign_call.pk, "title": "Bänke", "summary": "Bänke.",
        "text": "Mehr Bänke.", "planning": "community", "delivery": "professionals", "channel": "paper",
        "consent_recorded": "on",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This call for ideas is closed or belongs to another organisation." in response.text
    assert not Proposal.objects.exists()


def test_other_staff_may_not_add_assisted_entries_for_them(client, other_staff, own):
    client.force_login(other_staff)
    response = client.post(f"{ADMIN}/support/add/", {"proposal": own["proposal"].pk, "channel": "phone",
                                                     "consent_recorded": "on"})
    assert response.status_code == 200 and not Support.objects.exists()


def test_proposal_page_links_to_prefilled_assisted_entries(client, staff, own):
    client.force_login(staff)
    proposal = own["proposal"]
    page = client.get(f"{ADMIN}/proposal/{proposal.pk}/change/").text
    assert f"{ADMIN}/support/add/?proposal={proposal.pk}" in page
    assert f"{ADMIN}/comment/add/?proposal={proposal.pk}" in page
    page = client.get(f"{ADMIN}/support/add/", {"proposal": proposal.pk}).text
    assert f'value="{proposal.pk}"' in page and proposal.title in page


def test_assisted_form_does_not_name_another_organisations_proposal(client, staff, foreign, organisation):
    draft = ProposalFactory(organisation=organisation, draft=True, title="Fremder Entwurf im eigenen Haus")
    client.force_login(staff)
    for proposal in (foreign["proposal"], draft):
        page = client.get(f"{ADMIN}/support/add/", {"proposal": proposal.pk}).text
        assert proposal.title not in page
        page = client.post(f"{ADMIN}/comment/add/", {"proposal": proposal.pk, "text": "Hallo", "channel": "phone",
                                                     "consent_recorded": "on"}).text
        assert proposal.title not in page
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("model", ["pledge", "statuschange", "report"])
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_rows_only_services_write_have_no_add_page(client, request, who, model):
    """Pledges come from the site, status changes from the answer form, reports from readers."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/admin/proposals/{model}/add/").status_code == 403
    changelist = client.get(f"/admin/proposals/{model}/")
    assert changelist.status_code == 200
    assert f"/admin/proposals/{model}/add/" not in changelist.content.decode()
