"""The site-wide search on the database the tests run on (PostgreSQL in CI, SQLite locally):
German word forms, what each person may find, grouping, pages of one kind, bad input and queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduction.search import kinds, search
from stakeholders.models import Membership
from tests.budgets.factories import add_entry, make_process
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import TaskFactory
from tests.wiki.factories import PageFactory, SpaceFactory, edit, member_of
from wiki.models import Space

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BENCHES = "Neue Bänke im Stadtpark"


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def found(user, query):
    """{kind name: [titles]} of what ``user`` finds."""
    return {group.kind.name: ["".join(text for text, _m in result.title) for result in group.results]
            for group in search(user, query)}


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser
    return AnonymousUser()


def test_the_page_answers_without_a_query_and_lists_what_can_be_searched(client):
    text = results(client, "")
    assert 'name="q"' in text and 'role="search"' in text
    assert "Nothing found" not in text
    for kind in kinds():
        if kind.browse:
            assert kind.browse_url in text


@pytest.mark.parametrize("query", ["Bank", "bank", "Bänken", "Bänke"])
def test_bank_finds_the_proposal_with_benches(client, query):
    proposal = ProposalFactory(title=BENCHES, summary="Zum Ausruhen zwischen den Wegen.", text="Sechs Stück.")
    ProposalFactory(title="Ein Repaircafé", summary="Etwas anderes.", text="Ganz anderes.")
    text = results(client, query)
    assert proposal.get_absolute_url() in text
    assert "<mark>Bänke</mark>" in text
    assert "Repaircafé" not in text


def test_benches_find_the_bank(client):
    proposal = ProposalFactory(title="Eine Bank vor der Bücherei", summary="Zum Lesen in der Sonne.", text="Holz.")
    assert proposal.get_absolute_url() in results(client, "Bänken")


def test_results_are_grouped_by_kind_with_counts(client):
    organisation = OrganisationFactory(name="Bankhaus-Stiftung", purpose="Wir stellen Bänke auf.")
    ProposalFactory(title=BENCHES, organisation=organisation)
    ProposalFactory(title="Bänke für den Schulhof", organisation=organisation)
    CallFactory(title="Wo fehlen Bänke im Viertel?", organisation=organisation)
    TaskFactory(title="Bänke streichen", organisation=organisation)
    space = SpaceFactory(organisation=organisation)
    PageFactory(space=space, title="Bänke reparieren", text="Schleifpapier und Lasur.\n")
    process = make_process(organisation, title="Bürgerhaushalt Bänke", description="Für mehr Sitzplätze.")
    add_entry(process, title="Bank am Teich")
    groups = {group.kind.name: group for group in search(UserFactory(), "Bank")}
    assert {name: group.count for name, group in groups.items()} == {
        "proposals": 3, "calls": 1, "budgets": 1, "budget-proposals": 1, "tasks": 1, "wiki": 1, "organisations": 1,
    }
    text = results(client, "Bank")
    order = [text.index(f'id="search-{name}-heading"') for name in
             ["proposals", "calls", "budgets", "budget-proposals", "tasks", "wiki", "organisations"]]
    assert order == sorted(order)
    assert "3 results" in text


def test_the_first_results_link_to_all_of_one_kind_page_by_page(client):
    for number in range(25):
        ProposalFactory(title=f"Bank Nummer {number}")
    text = results(client, "Bank")
    assert "All 25 results: Proposals" in text
    assert "kind=proposals" in text
    assert text.count('class="search-result"') == 5
    first = results(client, "Bank", kind="proposals")
    assert first.count('class="search-result"') == 20 and "Page 1 of 2" in first
    second = results(client, "Bank", kind="proposals", page=2)
    assert second.count('class="search-result"') == 5
    assert results(client, "Bank", kind="proposals", page="x").count('class="search-result"') == 20
    assert results(client, "Bank", kind="no-such-kind").count('class="search-result"') == 5


def test_more_relevant_first_then_newer_first(anonymous):
    older = ProposalFactory(title="Eine Bank", summary="Bank, Bank, Bank.", text="Bänke überall.")
    ProposalFactory(title="Etwas im Park", summary="Mit einer Bank.", text="Nur nebenbei.")
    newer = ProposalFactory(title="Eine Bank", summary="Bank, Bank, Bank.", text="Bänke überall.")
    titles = [result.row.pk for result in search(anonymous, "Bank")[0].results]
    assert titles[:2] == [newer.pk, older.pk]


def test_a_change_and_a_deletion_reach_the_index(anonymous):
    organisation = OrganisationFactory(name="Stadtteilladen", purpose="Wir helfen.")
    assert "organisations" not in found(anonymous, "Bänke")
    organisation.purpose = "Wir stellen Bänke auf."
    organisation.save()
    assert found(anonymous, "Bank")["organisations"] == ["Stadtteilladen"]
    space = SpaceFactory(organisation=organisation)
    page = PageFactory(space=space, title="Werkzeug", text="Hammer.\n")
    assert "wiki" not in found(anonymous, "Bank")
    edit(page, member_of(space), "Hammer und Bänke.\n")
    assert found(anonymous, "Bank")["wiki"] == ["Werkzeug"]
    page.delete()
    organisation.delete()
    assert found(anonymous, "Bank") == {}


# --- what each person may find ----------------------------------------------------------------

@pytest.fixture
def world():
    """Everything that matches "Bank", visible or not, and the people who look."""
    organisation = OrganisationFactory()
    author, member, staff = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(organisation=organisation, user=member, role=Membership.Role.VOLUNTEER, status="approved")
    MembershipFactory(organisation=organisation, user=staff, role=Membership.Role.STAFF, status="approved")
    ProposalFactory(title="Öffentliche Bank", organisation=organisation)
    ProposalFactory(title="Entwurf einer Bank", organisation=organisation, author=author, draft=True)
    ProposalFactory(title="Versteckte Bank", organisation=organisation, is_hidden=True, hidden_reason="Beleidigend")
    TaskFactory(title="Bänke tragen", organisation=organisation)
    TaskFactory(title="Geplante Bänke", organisation=organisation, draft=True)
    public = SpaceFactory(organisation=organisation)
    secret = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    PageFactory(space=public, title="Bänke im Hof", author=staff)
    PageFactory(space=secret, title="Interne Bänke", author=staff)
    process = make_process(organisation, title="Haushalt für Bänke")
    add_entry(process, title="Budget-Bank")
    hidden = add_entry(process, title="Versteckte Budget-Bank").proposal
    hidden.is_hidden = True
    hidden.save()
    return {"author": author, "member": member, "staff": staff}


def everything(found_by_kind):
    return sorted(title for titles in found_by_kind.values() for title in titles)


def test_a_visitor_finds_only_what_is_public(world, anonymous, client):
    assert found(anonymous, "Bank") == {
        "proposals": ["Budget-Bank", "Öffentliche Bank"],
        "budgets": ["Haushalt für Bänke"],
        "budget-proposals": ["Budget-Bank"],
        "tasks": ["Bänke tragen"],
        "wiki": ["Bänke im Hof"],
    }
    text = results(client, "Bank")
    for secret in ["Entwurf", "Versteckte", "Geplante", "Interne"]:
        assert secret not in text


def test_an_outsider_signed_in_finds_no_more(world, client):
    outsider = UserFactory()
    names = everything(found(outsider, "Bank"))
    for secret in ["Entwurf einer Bank", "Versteckte Bank", "Versteckte Budget-Bank", "Geplante Bänke", "Interne Bänke"]:
        assert secret not in names
    client.force_login(outsider)
    assert "Interne Bänke" not in results(client, "Bank", kind="wiki")


def test_members_find_their_members_only_pages_but_not_others_drafts(world):
    names = everything(found(world["member"], "Bank"))
    assert "Interne Bänke" in names
    for secret in ["Entwurf einer Bank", "Versteckte Bank", "Versteckte Budget-Bank", "Geplante Bänke"]:
        assert secret not in names


def test_authors_find_their_own_drafts(world):
    assert "Entwurf einer Bank" in found(world["author"], "Bank")["proposals"]


def test_staff_find_their_draft_tasks_but_never_hidden_proposals_or_others_drafts(world, client):
    names = everything(found(world["staff"], "Bank"))
    assert {"Geplante Bänke", "Interne Bänke"} <= set(names)
    for secret in ["Entwurf einer Bank", "Versteckte Bank", "Versteckte Budget-Bank"]:
        assert secret not in names
    client.force_login(world["staff"])
    text = results(client, "Bank", kind="proposals")
    assert "Versteckte" not in text and "Entwurf" not in text


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    '"', '""', "*", "Bank*", "NEAR(Bank Café)", "Bank NEAR Café", "-Bank", "Bank OR Café", "!Bank & | :*",
    "Bank:* & x", "'; DROP TABLE proposals_proposal; --", "\\", "%", "_", "()", "<script>alert(1)</script>",
    "x" * 1000, "Bank " * 300, "ä" * 1000, "die der das und",
])
def test_any_query_answers_without_error(client, query):
    ProposalFactory(title=BENCHES)
    text = results(client, query)
    assert "<script>alert(1)</script>" not in text
    for kind in ["proposals", "wiki"]:
        results(client, query, kind=kind, page="2")


def test_a_query_without_words_says_so(client):
    text = results(client, "*** ---")
    assert "Please type at least one word" in text


def test_nothing_found_suggests_what_to_do(client):
    text = results(client, "Unauffindbarkeitswort")
    assert "Nothing found for “Unauffindbarkeitswort”." in text
    assert 'class="empty-state"' in text and "/proposals/" in text


def test_text_and_query_are_escaped(client):
    ProposalFactory(title="Bank <b>fett</b>", summary='Bank <img src=x onerror="alert(1)">', text="…")
    text = results(client, 'Bank "><fett')
    assert "<b>fett</b>" not in text and "<img src=x" not in text and "<script>" not in text
    assert "&lt;b&gt;<mark>fett</mark>&lt;/b&gt;" in text


# --- queries -------------------------------------------------------------------------------------------

def _fill(start, stop, organisation, space, process):
    for number in range(start, stop):
        ProposalFactory(title=f"Bank {number}", organisation=organisation)
        CallFactory(title=f"Wo fehlt eine Bank? {number}", organisation=organisation)
        TaskFactory(title=f"Bänke tragen {number}", organisation=organisation)
        PageFactory(space=space, title=f"Bänke {number}", author=member_of(space))
        add_entry(process, title=f"Budget-Bank {number}")


def test_queries_do_not_grow_with_the_results(client):
    organisation = OrganisationFactory(name="Bank-Initiative")
    space = SpaceFactory(organisation=organisation)
    process = make_process(organisation, title="Bänke-Haushalt")
    user = UserFactory()
    client.force_login(user)
    counts = []
    for start, stop in [(0, 2), (2, 12)]:
        _fill(start, stop, organisation, space, process)
        measured = []
        for params in [{}, {"kind": "proposals"}, {"kind": "wiki", "page": "2"}]:
            with CaptureQueriesContext(connection) as queries:
                results(client, "Bank", **params)
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]
    assert counts[0][0] <= 2 * len(kinds()) + 4  # the keys and the rows of each kind, plus session and person


def test_rebuilding_the_index_finds_what_bulk_writes_left_out(anonymous):
    from django.core.management import call_command

    from proposals.models import Call, Proposal

    organisation = OrganisationFactory()
    Call.objects.bulk_create([Call(organisation=organisation, title="Wo fehlen Bänke?", deadline="2099-01-01")])
    Proposal.objects.bulk_create([Proposal(organisation=organisation, title="Bänke am Ufer", summary="…", text="…",
                                           planning="together", delivery="together", status="published")])
    assert found(anonymous, "Bank") == {}
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert found(anonymous, "Bank")["calls"] == ["Wo fehlen Bänke?"]
    call_command("rebuild_search_index", "--all", stdout=open("/dev/null", "w"))
    assert found(anonymous, "Bank")["proposals"] == ["Bänke am Ufer"]
