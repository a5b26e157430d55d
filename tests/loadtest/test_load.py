"""The load run's arithmetic and its checks: each invariant check finds a violation planted in the database
(on PostgreSQL where the check is about rows a constraint would otherwise refuse), and passes on clean data."""
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from budgets.models import Ballot, Phase
from loadtest import figures, invariants
from loadtest.browser import Fields, Record
from loadtest.traffic import Confirmed
from notifications.models import Delivery
from proposals.models import Proposal
from tests.budgets.factories import add_entry, make_process, move_to, vote
from tests.proposals.factories import CommentFactory, ProposalFactory, SupportFactory
from tests.stakeholders.factories import UserFactory
from tests.volunteering.factories import ShiftFactory, sign_up
from volunteering.models import SignUp
from wiki.models import Revision
from wiki.services import page_create, page_save_revision

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def record(kind="page", status=200, started=0.0, seconds=0.01, short_page=True):
    return Record(kind, status, started, seconds, "test", short_page)


# --- figures ---------------------------------------------------------------------------------

def test_percentiles_interpolate_between_the_nearest_ranks():
    values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]  # any order
    assert figures.percentile(values, 0) == 1
    assert figures.percentile(values, 50) == pytest.approx(5.5)
    assert figures.percentile(values, 95) == pytest.approx(9.55)
    assert figures.percentile(values, 99) == pytest.approx(9.91)
    assert figures.percentile(values, 100) == 10
    assert figures.percentile([42], 99) == 42
    assert figures.percentile([], 50) is None


def test_the_summary_has_a_row_per_kind_most_requested_first_and_one_for_all():
    records = [record("list", 200, seconds=s / 1000) for s in (10, 20, 30, 40)] + [
        record("support", 302, seconds=0.1), record("support", 503, seconds=0.3), record("support", 0, seconds=10)]
    rows = figures.summary(records)
    assert [row[0] for row in rows] == ["list", "support", "all"]
    kind, count, p50, p95, p99, statuses = rows[0]
    assert (count, p50, p95) == (4, pytest.approx(25), pytest.approx(38.5))
    assert rows[1][5] == {302: 1, 503: 1, 0: 1}
    assert rows[2][1] == 7 and rows[2][2] == pytest.approx(40)


def test_the_table_counts_errors_by_status_apart_from_the_refusals_the_site_words():
    records = [record(status=200), record(status=302), record(status=400), record(status=409),
               record(status=503), record(status=503), record(status=500), record(status=0)]
    first, header, *rows = figures.table(records, 4)
    assert first.startswith("requests: 8 in 4 s = 2.0 per second; errors: 4 (503: 2, 500: 1, no answer: 1)")
    assert "refusals worded by the site: 2 (400: 1, 409: 1)" in first
    assert "p99 ms" in header and rows[-1].startswith("all")


def test_outage_figures_measure_from_the_fault_and_from_the_return_of_the_service():
    records = [
        record(status=200, started=99.0, seconds=0.1),
        record(status=503, started=100.5, seconds=0.1),  # the first failure, answered 0.6 s after the fault
        record(status=0, started=101.0, seconds=1.0),
        record(status=503, started=103.5, seconds=0.5, short_page=False),  # ends 4.0 s after: 1.0 s after return
        record(status=500, started=102.0, seconds=0.2),
        record(status=200, started=104.2, seconds=0.3),  # the first success after the last failure
    ]
    outage = figures.outage(records, fault_started=100.0, service_back=103.0)
    assert outage["during"] == {"503": 1, "no answer": 1, "500": 1}
    assert outage["failures"] == 4
    assert outage["first_failure"] == pytest.approx(0.6)
    assert outage["last_failure"] == pytest.approx(4.0)
    assert outage["recovered_after"] == pytest.approx(1.0)
    assert outage["first_success_after"] == pytest.approx(1.5)
    assert outage["server_errors_500"] == 1 and outage["long_503_pages"] == 1
    lines = figures.outage_lines(outage, service="PostgreSQL", down_for=3.0)
    assert lines[0].startswith("PostgreSQL away for 3.0 s; requests started meanwhile: 3")


def test_an_outage_nobody_noticed_recovers_at_once():
    outage = figures.outage([record(status=200, started=101.0)], fault_started=100.0, service_back=102.0)
    assert outage["failures"] == 0 and outage["recovered_after"] == 0.0
    assert figures.outage_lines(outage, service="Redis", down_for=2.0)[1] == (
        "failed answers (5xx or none): 0; 500s: 0; 503s that were not the short page: 0")


def test_form_fields_are_read_from_the_page():
    page = ('<form><input type="hidden" name="csrfmiddlewaretoken" value="abc">'
            '<input name="title" value="Tafel &amp; Co"><textarea name="text">Zeile 1\n&lt;b&gt;</textarea>'
            '<input name="base_revision" type="hidden" value="3"></form><input name="title" value="other">')
    assert Fields(page).values == {"csrfmiddlewaretoken": "abc", "title": "Tafel & Co", "text": "Zeile 1\n<b>",
                                   "base_revision": "3"}


# --- the invariant checks --------------------------------------------------------------------

@pytest.mark.django_db
def test_a_counter_off_by_one_is_found():
    proposal = ProposalFactory()
    SupportFactory(proposal=proposal)
    CommentFactory(proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=1, comment_count=1)
    assert invariants.counters() == []
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=2)
    problems = invariants.counters()
    assert len(problems) == 1
    assert problems[0].startswith("comments of proposals: 1 differ")
    assert f"#{proposal.pk}: kept 2, rows 1" in problems[0]


@pytest.mark.django_db
def test_a_shift_over_its_capacity_is_found_from_the_rows():
    shift = ShiftFactory(capacity=1)
    sign_up(shift)
    assert invariants.shifts() == [] and invariants.counters() == []
    # A second confirmed place written past the services: the counters still say one, the rows say two.
    SignUp.objects.create(shift=shift, user=UserFactory(), status=SignUp.Status.CONFIRMED, confirmed_at=timezone.now())
    assert invariants.shifts() == [f"1 shifts with more people holding a place than places: #{shift.pk}: 2 on 1"]
    assert any(p.startswith("confirmed people of shifts: 1 differ") for p in invariants.counters())


@postgresql_only
@pytest.mark.django_db
def test_two_ballots_of_one_person_are_found(organisation):
    process = make_process(organisation, phase=Phase.COLLECTING, total=Decimal("10000"))
    entry = add_entry(process, cost=Decimal("1000"))
    move_to(process, Phase.VOTING)
    person = UserFactory()
    vote(process, person, [entry])
    assert invariants.ballots() == [] and invariants.counters() == []
    with connection.cursor() as cursor:  # only inside this test's transaction, rolled back after it
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'ALTER TABLE "{Ballot._meta.db_table}" DROP CONSTRAINT budget_one_ballot_per_person')
    Ballot.objects.create(process=process, user=person, budget=process.total_amount)
    assert invariants.ballots() == [f"more than one ballot per person and budget: budget #{process.pk}, "
                                    f"person #{person.pk}: 2"]


@pytest.mark.django_db
def test_a_lost_wiki_revision_is_found(organisation):
    from wiki.models import Space

    space = Space.objects.create(organisation=organisation, name="Wissen", slug="wissen",
                                 editors=Space.Editors.SIGNED_IN)
    author = UserFactory()
    page = page_create(space=space, author=author, title="Ablauf", text="Erst so.")
    page_save_revision(page=page, author=author, text="Dann so.", base_number=1, summary="Lastlauf 1-1")
    saved = Confirmed(wiki_saves=[(author.pk, "wissen", page.slug, "Lastlauf 1-1")])
    assert invariants.wiki() == [] and invariants.confirmed(saved) == []
    Revision.objects.filter(page=page, number=2).update(number=3)
    assert invariants.wiki() == [f"wiki pages with a gap in their revision numbers: #{page.pk}: 2 revisions, "
                                 "the highest 3"]
    Revision.objects.filter(page=page, number=3).delete()
    assert invariants.confirmed(saved) == [f"1 confirmed wiki saves are not revisions: {saved.wiki_saves}"]


@pytest.mark.django_db
def test_something_confirmed_but_missing_is_found():
    proposal = ProposalFactory()
    person = UserFactory()
    SupportFactory(proposal=proposal, user=person)
    record = Confirmed(supports=[(person.pk, proposal.pk)])
    assert invariants.confirmed(record) == []
    record.supports.append((person.pk, proposal.pk + 1000))
    record.comments.append((person.pk, proposal.pk, "Lastlauf load: nie gespeichert (1-1)."))
    assert invariants.confirmed(record) == [
        f"1 confirmed supports are missing: {[(person.pk, proposal.pk + 1000)]}",
        f"1 confirmed comments are missing: {[(person.pk, proposal.pk, 'Lastlauf load: nie gespeichert (1-1).')]}",
    ]


def send_email(delivery, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    message_id = f"<daily.2026-12-04.{delivery.recipient_id}.{delivery.pk}@example>"
    mail.EmailMessage("Ihre Zusammenfassung", "…", to=[delivery.recipient.email],
                      headers={"Message-ID": message_id}).send()


@pytest.mark.django_db
def test_an_email_sent_twice_or_not_marked_is_found(settings, tmp_path):
    person = UserFactory()
    delivery = Delivery.objects.create(recipient=person, kind="daily", period="2026-12-04",
                                       status=Delivery.Status.SENT, sent_at=timezone.now())
    send_email(delivery, settings, tmp_path)
    assert invariants.sent_emails(tmp_path) == [(f"<daily.2026-12-04.{person.pk}.{delivery.pk}@example>",
                                                 person.email)]
    assert invariants.emails(tmp_path) == []
    send_email(delivery, settings, tmp_path)  # the same email once more
    assert invariants.emails(tmp_path) == [
        f"1 emails left more than once: <daily.2026-12-04.{person.pk}.{delivery.pk}@example> ×2"]
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)
    assert invariants.emails(tmp_path)[1] == (
        f"1 emails left but are not marked sent (they would go out again): [{delivery.pk}]")


@pytest.mark.django_db
def test_an_email_marked_sent_that_never_left_is_found(tmp_path):
    delivery = Delivery.objects.create(recipient=UserFactory(), kind="immediate", period="7",
                                       status=Delivery.Status.SENT, sent_at=timezone.now())
    assert invariants.emails(tmp_path) == [f"1 emails are marked sent but never left: [{delivery.pk}]"]
    assert invariants.message_id_key(f"<immediate.7.1.{delivery.pk}@example>") == delivery.pk
    assert invariants.message_id_key("<something-else@example>") is None
