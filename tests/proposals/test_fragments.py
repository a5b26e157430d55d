"""The kept parts of the proposal pages never show an old state: the next view after a change shows it.

The list keeps its filter form and each card once rendered, the proposal page each comment and its
forms (``coproduction.fragments``). Each test renders the page first, so the old state is kept, then
changes something through the services a person or the staff use and looks again, as a visitor and
signed in.
"""
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from coproduction import fragments
from proposals import services
from proposals.models import Comment, Proposal
from tests.stakeholders.factories import OrganisationFactory, UserFactory

from .factories import CommentFactory, ProposalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def card(client, proposal, params=None):
    html = client.get("/proposals/", params or {}).content.decode()
    assert f'href="{proposal.get_absolute_url()}"' in html
    start = html.index(f'href="{proposal.get_absolute_url()}"')
    end = html.index("</li>", html.index("</ul>", html.index('class="card-stats"', start))) + len("</li>")
    return html[html.rindex('<li class="card">', 0, start):end]


def test_the_list_is_kept_between_views(viewer, organisation):
    proposal = ProposalFactory(organisation=organisation)
    first = card(viewer, proposal)
    kept = len(fragments.kept)
    assert card(viewer, proposal) == first
    assert len(fragments.kept) == kept


def test_a_support_shows_at_once(viewer, organisation):
    proposal = ProposalFactory(organisation=organisation, title="Bänke am Teich")
    assert "0 supports" in card(viewer, proposal)
    services.proposal_support(proposal=proposal, user=UserFactory())
    assert "1 support" in card(viewer, proposal)


def test_a_comment_and_its_edit_show_at_once(viewer, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    assert "0 comments" in card(viewer, proposal)
    comment = services.comment_create(proposal=proposal, author=person, text="Gute Idee")
    assert "1 comment" in card(viewer, proposal)
    viewer.get(proposal.get_absolute_url())
    services.comment_edit(comment=comment, user=person, text="Noch bessere Idee")
    page = viewer.get(proposal.get_absolute_url()).content.decode()
    assert "Noch bessere Idee" in page and "Gute Idee" not in page


def test_moderation_hiding_a_proposal_or_comment_shows_at_once(viewer, organisation, staff):
    proposal = ProposalFactory(organisation=organisation, title="Werbung für Kredite", summary="Billig!")
    comment = CommentFactory(proposal=proposal, text="Kaufen Sie jetzt")
    assert "Billig!" in card(viewer, proposal)
    assert "Kaufen Sie jetzt" in viewer.get(proposal.get_absolute_url()).content.decode()
    services.content_set_hidden(target=comment, moderator=staff, hidden=True, reason="Werbung")
    assert "Kaufen Sie jetzt" not in viewer.get(proposal.get_absolute_url()).content.decode()
    services.content_set_hidden(target=Proposal.objects.get(pk=proposal.pk), moderator=staff, hidden=True, reason="Werbung")
    hidden = card(viewer, proposal)
    assert "Billig!" not in hidden and "Werbung für Kredite" not in hidden
    assert "Hidden by moderation: Werbung" in hidden


def test_a_status_change_shows_at_once(viewer, organisation, staff):
    proposal = ProposalFactory(organisation=organisation)
    assert "status-published" in card(viewer, proposal)
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=Proposal.Status.UNDER_REVIEW,
                                 response="Wir prüfen das bis Ende des Monats.")
    changed = card(viewer, proposal)
    assert "status-under_review" in changed and "Under review" in changed


def test_a_renamed_organisation_shows_at_once(viewer):
    organisation = OrganisationFactory(name="Stadtteilladen")
    proposal = ProposalFactory(organisation=organisation)
    assert "Stadtteilladen" in card(viewer, proposal)
    organisation.name = "Stadtteilladen Nord"
    organisation.save()
    assert "Stadtteilladen Nord" in card(viewer, proposal)
    assert "Stadtteilladen Nord" in viewer.get("/proposals/").content.decode().split('<ul class="card-list">')[0]


def test_another_language_is_another_page(viewer, organisation):
    proposal = ProposalFactory(organisation=organisation)
    assert "0 supports" in card(viewer, proposal)
    viewer.post("/language/", {"language": "de", "next": "/proposals/"})
    german = card(viewer, proposal)
    assert "0 Unterstützungen" in german and "supports" not in german
    viewer.post("/language/", {"language": "en", "next": "/proposals/"})
    assert "0 supports" in card(viewer, proposal)


def test_the_filter_form_shows_what_was_chosen_and_its_errors(viewer, organisation):
    proposal = ProposalFactory(organisation=organisation, title="Fahrradwerkstatt")
    viewer.get("/proposals/")
    chosen = viewer.get("/proposals/", {"q": "Fahrradwerkstatt"}).content.decode()
    assert 'value="Fahrradwerkstatt"' in chosen
    assert proposal.title in chosen
    refused = viewer.get("/proposals/", {"ordering": "loudest"}).content.decode()
    assert "field-invalid" in refused and "<details class=\"filters-panel\" open>" in refused
    assert "field-invalid" not in viewer.get("/proposals/").content.decode()


def test_a_new_choice_shows_in_the_filter_form(viewer, organisation):
    viewer.get("/proposals/")
    OrganisationFactory(name="Tafel am Markt")
    assert "Tafel am Markt" in viewer.get("/proposals/").content.decode()


def test_a_fragment_body_may_not_read_from_the_database(organisation):
    from django.template import engines

    proposal = Proposal.objects.only("id", "title").get(pk=ProposalFactory(organisation=organisation).pk)
    template = engines["django"].from_string("{% load fragments %}{% fragment proposal %}{{ proposal.summary }}{% endfragment %}")
    with pytest.raises(fragments.FragmentQueried):
        template.render({"proposal": proposal})


def test_values_that_cannot_be_keyed_are_refused():
    with pytest.raises(TypeError):
        fragments.state(object())
    with override("de"):
        assert fragments.state({"a": [1, "x"]}) == fragments.state({"a": (1, "x")})


def test_a_search_with_very_many_matches_says_more_than(viewer, organisation, monkeypatch):
    from proposals.views import lists

    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 3)
    for number in range(5):
        ProposalFactory(organisation=organisation, title=f"Fahrradwerkstatt {number}")
    many = viewer.get("/proposals/", {"q": "Fahrradwerkstatt"}).content.decode()
    assert "More than 3 proposals" in many
    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 5)
    exact = viewer.get("/proposals/", {"q": "Fahrradwerkstatt"}).content.decode()
    assert "5 proposals" in exact and "More than" not in exact


def comment_html(client, comment):
    html = client.get(comment.proposal.get_absolute_url()).content.decode()
    start = html.index(f'id="comment-{comment.pk}"')
    return html[start:html.index("</article>", start)]


def test_the_proposal_page_keeps_its_comments_through_a_support(viewer, organisation):
    proposal = ProposalFactory(organisation=organisation)
    comments = CommentFactory.create_batch(3, proposal=proposal)
    first = comment_html(viewer, comments[0])
    kept = len(fragments.kept)
    services.proposal_support(proposal=proposal, user=UserFactory())
    page = viewer.get(proposal.get_absolute_url()).content.decode()
    assert "1 person supports this proposal." in page
    # The comments and forms were not rendered anew: a support is not part of them.
    assert len(fragments.kept) == kept
    assert comment_html(viewer, comments[0]) == first


def test_a_reply_shows_at_once_and_the_replied_comment_is_unchanged(viewer, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    thread = CommentFactory(proposal=proposal, text="Wann ist das Treffen?")
    viewer.get(proposal.get_absolute_url())
    services.comment_create(proposal=proposal, author=person, text="Am Dienstag um sechs", parent=thread)
    page = viewer.get(proposal.get_absolute_url()).content.decode()
    assert "Am Dienstag um sechs" in page and "Wann ist das Treffen?" in page


def test_the_edit_link_goes_when_the_edit_window_closes(client, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    comment = services.comment_create(proposal=proposal, author=person, text="Ich helfe mit")
    client.force_login(person)
    assert f"/comments/{comment.pk}/edit/" in comment_html(client, comment)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=Comment.EDIT_WINDOW_MINUTES + 1))
    assert f"/comments/{comment.pk}/edit/" not in comment_html(client, comment)
    assert "Ich helfe mit" in comment_html(client, comment)


def test_the_same_comment_is_rendered_for_each_viewer_as_theirs(client, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    comment = services.comment_create(proposal=proposal, author=person, text="Ich helfe mit")
    assert "/report/" not in comment_html(client, comment) and "/edit/" not in comment_html(client, comment)
    client.force_login(UserFactory())
    other = comment_html(client, comment)
    assert f"/comments/{comment.pk}/report/" in other and "/edit/" not in other
    client.force_login(person)
    assert f"/comments/{comment.pk}/edit/" in comment_html(client, comment)
    client.logout()
    assert "/report/" not in comment_html(client, comment) and "/edit/" not in comment_html(client, comment)


def test_the_comments_follow_the_language(viewer, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    comment = services.comment_create(proposal=proposal, author=person, text="Gute Idee")
    services.comment_edit(comment=comment, user=person, text="Sehr gute Idee")
    assert "· edited" in comment_html(viewer, comment)
    viewer.post("/language/", {"language": "de", "next": "/proposals/"})
    assert "· bearbeitet" in comment_html(viewer, comment)
    viewer.post("/language/", {"language": "en", "next": "/proposals/"})
    assert "· edited" in comment_html(viewer, comment)


def test_each_reply_form_is_its_own_and_shows_its_errors(client, organisation, person):
    proposal = ProposalFactory(organisation=organisation)
    first, second = CommentFactory.create_batch(2, proposal=proposal)
    client.force_login(person)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert f'id="id_reply{first.pk}_text"' in page and f'id="id_reply{second.pk}_text"' in page
    refused = client.post(f"/proposals/{proposal.pk}/comments/", {"parent": second.pk, "text": ""})
    assert refused.status_code == 400
    refused_html = refused.content.decode()
    opened = refused_html[refused_html.index("<details open>"):]
    opened = opened[:opened.index("</details>")]
    assert f'id="id_reply{second.pk}_text"' in opened and "field-invalid" in opened
    assert refused_html.count("field-invalid") == 1
    assert "field-invalid" not in client.get(proposal.get_absolute_url()).content.decode()


def test_the_edit_link_is_shown_exactly_where_the_edit_is_accepted(organisation, person, staff):
    from proposals.services import ProposalError

    proposal = ProposalFactory(organisation=organisation)
    own = services.comment_create(proposal=proposal, author=person, text="Ich helfe mit")
    late = services.comment_create(proposal=proposal, author=person, text="Ich auch")
    Comment.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - timedelta(minutes=Comment.EDIT_WINDOW_MINUTES + 1))
    hidden = services.comment_create(proposal=proposal, author=person, text="Werbung")
    services.content_set_hidden(target=hidden, moderator=staff, hidden=True, reason="Werbung")
    entered = services.comment_create(proposal=proposal, author=person, text="Am Telefon gesagt", entered_by=staff,
                                      channel="phone", consent_recorded=True)
    for comment in Comment.objects.filter(pk__in=[own.pk, late.pk, hidden.pk, entered.pk]):
        for user in (person, staff):
            try:
                services.comment_edit(comment=comment, user=user, text=comment.text)
                accepted = True
            except ProposalError:
                accepted = False
            assert comment.editable_by(user) is accepted, (comment.text, user)
    assert Comment.objects.get(pk=own.pk).editable_by(person)
