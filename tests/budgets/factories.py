"""Test data for participatory budgets, made through the services so every counter is kept.

    process = make_process(organisation, phase="collecting", total=Decimal("10000"))
    entry = add_entry(process, cost=Decimal("2500"))             # feasible, final cost = cost
    pending = add_entry(process, feasible=None)                   # not reviewed yet
    no = add_entry(process, feasible=False, reason="Kein Platz.")  # not feasible, with public reason
    move_to(process, "voting")
    vote(process, UserFactory(), [entry])                          # picks and confirms
    publish(process)                                               # results phase: results are published

``make_process`` can start in any phase; ``add_entry`` works in any phase (it opens the process for
proposals for a moment, so the real services write the entry), though entries added after the
results are published have no place in them.
"""
from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from budgets import services
from budgets.models import PHASE_ORDER, Entry, Phase, Process
from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, UserFactory

_numbers = count(1)


def process_staff(process):
    """An approved staff member of the process's organisation (made if there is none)."""
    membership = (Membership.objects.approved().filter(organisation_id=process.organisation_id,
                                                       role=Membership.Role.STAFF)
                  .select_related("user").order_by("pk").first())
    if membership is not None:
        return membership.user
    return MembershipFactory(organisation=process.organisation, role=Membership.Role.STAFF,
                             user__is_staff=True).user


def make_process(organisation, phase=Phase.COLLECTING, *, total=Decimal("10000"),
                 eligibility=Process.Eligibility.VERIFIED, districts="", partners=(), slug=None, title=None,
                 description="Ideen für das Viertel: Was fehlt? Schickt eure Vorschläge.", days=None):
    """A process in ``phase``, moved there by phase_move from collecting (so later dates are now or past).

    ``days``: the five phase starts as days from now, if a test needs a particular schedule.
    """
    number = next(_numbers)
    now = timezone.now()
    if days is None:
        days = [10, 20, 30, 40, 50] if phase == Phase.ANNOUNCED else [-1, 20, 30, 40, 50]
    starts = [now + timedelta(days=d) for d in days]
    process = Process.objects.create(
        organisation=organisation, title=title or f"Stadtteilbudget {number}", slug=slug or f"budget-{number}",
        description=description, total_amount=Decimal(total), eligibility=eligibility, districts=districts,
        collecting_starts=starts[0], review_starts=starts[1], voting_starts=starts[2], results_starts=starts[3],
        implementation_starts=starts[4], phase=Phase.ANNOUNCED if phase == Phase.ANNOUNCED else Phase.COLLECTING,
    )
    if partners:
        process.partner_organisations.set(partners)
    if PHASE_ORDER.index(phase) > PHASE_ORDER.index(Phase.COLLECTING):
        move_to(process, phase)
    return process


def move_to(process, phase):
    """Staff move the process on to ``phase`` (publishing the results on the way to results)."""
    services.phase_move(process=process, actor=process_staff(process), to_phase=phase)
    process.refresh_from_db()
    return process


def publish(process):
    """Ends voting: the results are computed and stored."""
    return move_to(process, Phase.RESULTS)


def add_entry(process, author=None, cost=Decimal("1000"), feasible=True, *, final_cost=None, reason="",
              title=None, summary="Ein kurzer Vorschlag für alle.", district=None, planning="together",
              delivery="community"):
    """A proposal sent into the process with services.entry_submit, then reviewed with entry_review.

    feasible=True: feasible at ``final_cost`` (default ``cost``); False: not feasible with ``reason``;
    None: left unreviewed.
    """
    number = next(_numbers)
    author = author or UserFactory()
    if district is None:
        district = process.district_list[0] if process.district_list else ""
    phase = Process.objects.filter(pk=process.pk).values_list("phase", flat=True).get()
    if phase != Phase.COLLECTING:
        Process.objects.filter(pk=process.pk).update(phase=Phase.COLLECTING)
    try:
        entry = services.entry_submit(
            process=process, author=author, title=title or f"Vorschlag {number}", summary=summary,
            text="Was passieren soll, für wen und warum.", planning=planning, delivery=delivery,
            estimated_cost=Decimal(cost), district=district,
        )
        if feasible is not None:
            services.entry_review(entry=entry, actor=process_staff(process), feasible=feasible,
                                  reason=reason or ("" if feasible else "Das ist hier leider nicht möglich."),
                                  final_cost=Decimal(final_cost if final_cost is not None else cost)
                                  if feasible else None)
    finally:
        if phase != Phase.COLLECTING:
            Process.objects.filter(pk=process.pk).update(phase=phase)
    process.refresh_from_db()
    return Entry.objects.select_related("proposal").get(pk=entry.pk)


def vote(process, user, entries, district=""):
    """``user`` picks ``entries`` and confirms the ballot (the process must be in voting)."""
    services.ballot_set_picks(process=process, user=user, entry_ids=[entry.pk for entry in entries],
                              district=district)
    ballot = services.ballot_confirm(process=process, user=user)
    process.refresh_from_db()
    return ballot
