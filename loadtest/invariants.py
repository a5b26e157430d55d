"""What must hold in the database after any load and any fault; each check returns its violations as
sentences (an empty list when it holds).

- Kept counters equal their rows: a proposal's supports, comments and pledges; a budget's confirmed
  ballots and proposals, each budget proposal's votes; a shift's confirmed, offered and waiting people; a
  wiki space's pages; a person's unread notifications.
- One ballot per person and budget, confirmed ballots within their budget and costing what their picks
  cost; no shift with more people holding a place than it has places (counted from the rows, which no
  constraint guards, not from the counters, which one does); each wiki page's revisions numbered 1, 2, 3 …
  without a gap or a twin, the page showing the last.
- Everything the site confirmed to a client is in the database (``confirmed``).
- Each email left once (``emails``): no Message-ID twice among the sent files, every email marked sent
  has its file, and no file is of an email the database does not hold as sent (it would go out again).
"""
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import Ballot, Entry, Pick, Process
from notifications.channels import Channel
from notifications.models import Delivery, Notification
from proposals.models import Comment, Pledge, Proposal, Support
from stakeholders.models import User
from volunteering.models import Shift, SignUp
from wiki.models import Page, Revision, Space

SHOWN = 5  # examples named per violated check
SEPARATOR = b"-" * 79  # between the emails of one file (Django's file backend)
SU = SignUp.Status


def _rows_count(model, link, **conditions):
    """A subquery: how many ``model`` rows point at the outer row through ``link``."""
    rows = model.objects.filter(**{link: OuterRef("pk")}, **conditions).order_by().values(link)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))


def _mismatches(queryset, kept, counted, label):
    """Violations where the field ``kept`` differs from the annotation ``counted``."""
    wrong = list(queryset.annotate(counted=counted).exclude(**{kept: F("counted")})
                 .values_list("pk", kept, "counted").order_by("pk"))
    if not wrong:
        return []
    examples = ", ".join(f"#{pk}: kept {k}, rows {c}" for pk, k, c in wrong[:SHOWN])
    return [f"{label}: {len(wrong)} differ from their rows ({examples})"]


def counters():
    problems = []
    proposals = Proposal.objects.all()
    problems += _mismatches(proposals, "support_count", _rows_count(Support, "proposal"), "supports of proposals")
    problems += _mismatches(proposals, "comment_count", _rows_count(Comment, "proposal"), "comments of proposals")
    problems += _mismatches(proposals, "pledge_count", _rows_count(Pledge, "proposal"), "pledges of proposals")
    processes = Process.objects.all()
    problems += _mismatches(processes, "ballot_count", _rows_count(Ballot, "process", status=Ballot.Status.CONFIRMED),
                            "confirmed ballots of budgets")
    problems += _mismatches(processes, "proposal_count", _rows_count(Entry, "process"), "proposals of budgets")
    problems += _mismatches(Entry.objects.all(), "vote_count",
                            _rows_count(Pick, "entry", ballot__status=Ballot.Status.CONFIRMED),
                            "votes of budget proposals")
    shifts = Shift.objects.all()
    problems += _mismatches(shifts, "confirmed_count", _rows_count(SignUp, "shift", status=SU.CONFIRMED),
                            "confirmed people of shifts")
    problems += _mismatches(shifts, "offered_count", _rows_count(SignUp, "shift", status=SU.OFFERED),
                            "offered places of shifts")
    problems += _mismatches(shifts, "waitlist_count", _rows_count(SignUp, "shift", status=SU.WAITLISTED),
                            "waitlists of shifts")
    problems += _mismatches(Space.objects.all(), "page_count", _rows_count(Page, "space"), "pages of wiki spaces")
    problems += _mismatches(User.objects.all(), "unread_notifications",
                            _rows_count(Notification, "recipient", read_at__isnull=True),
                            "unread notifications of people")
    return problems


def ballots():
    problems = []
    twins = list(Ballot.objects.order_by().values("process", "user").annotate(n=Count("pk")).filter(n__gt=1)
                 .values_list("process", "user", "n")[:SHOWN + 1])
    if twins:
        problems.append("more than one ballot per person and budget: "
                        + ", ".join(f"budget #{p}, person #{u}: {n}" for p, u, n in twins[:SHOWN]))
    over = Ballot.objects.filter(total__gt=F("budget")).count()
    if over:
        problems.append(f"{over} ballots cost more than their budget")
    costs = Pick.objects.filter(ballot=OuterRef("pk")).order_by().values("ballot").annotate(s=Sum("cost")).values("s")
    picked = Coalesce(Subquery(costs), Value(0), output_field=Ballot._meta.get_field("total"))
    wrong = list(Ballot.objects.annotate(picked=picked)
                 .exclude(total=F("picked")).values_list("pk", "total", "picked")[:SHOWN + 1])
    if wrong:
        problems.append("ballots whose total is not what their picks cost: "
                        + ", ".join(f"#{pk}: {total} ≠ {picked}" for pk, total, picked in wrong[:SHOWN]))
    return problems


def shifts():
    holding = _rows_count(SignUp, "shift", status__in=SignUp.HOLDING_STATUSES)
    over = list(Shift.objects.annotate(holding=holding).filter(holding__gt=F("capacity"))
                .values_list("pk", "capacity", "holding").order_by("pk"))
    if not over:
        return []
    return [f"{len(over)} shifts with more people holding a place than places: "
            + ", ".join(f"#{pk}: {h} on {c}" for pk, c, h in over[:SHOWN])]


def wiki():
    problems = []
    twins = Revision.objects.order_by().values("page", "number").annotate(n=Count("pk")).filter(n__gt=1).count()
    if twins:
        problems.append(f"{twins} wiki revision numbers given twice on one page")
    pages = Page.objects.annotate(revision_total=Count("revisions"), highest=Coalesce(_max_number(), Value(0)))
    gaps = list(pages.exclude(revision_total=F("highest")).values_list("pk", "revision_total", "highest")[:SHOWN + 1])
    if gaps:
        problems.append("wiki pages with a gap in their revision numbers: "
                        + ", ".join(f"#{pk}: {n} revisions, the highest {h}" for pk, n, h in gaps[:SHOWN]))
    stale = Page.objects.exclude(current_revision__number=Coalesce(_max_number(), Value(0))).count()
    if stale:
        problems.append(f"{stale} wiki pages do not show their last revision")
    return problems


def _max_number():
    highest = Revision.objects.filter(page=OuterRef("pk")).order_by("-number").values("number")[:1]
    return Subquery(highest)


def confirmed(record):
    """Everything in ``record`` (a traffic.Confirmed) must be in the database."""
    problems = []
    supports = set(Support.objects.values_list("user_id", "proposal_id"))
    missing = [pair for pair in record.supports if pair not in supports]
    if missing:
        problems.append(f"{len(missing)} confirmed supports are missing: {missing[:SHOWN]}")
    comments = set(Comment.objects.filter(text__startswith="Lastlauf").values_list("author_id", "proposal_id", "text"))
    missing = [c for c in record.comments if c not in comments]
    if missing:
        problems.append(f"{len(missing)} confirmed comments are missing: {missing[:SHOWN]}")
    held = set(SignUp.objects.filter(status__in=SignUp.ACTIVE_STATUSES).values_list("user_id", "shift_id"))
    missing = [pair for pair in record.sign_ups if pair not in held]
    if missing:
        problems.append(f"{len(missing)} confirmed sign-ups are missing: {missing[:SHOWN]}")
    voted = {}
    for ballot_user, entry in Pick.objects.filter(ballot__status=Ballot.Status.CONFIRMED).values_list(
            "ballot__user_id", "entry_id"):
        voted.setdefault(ballot_user, set()).add(entry)
    missing = [(person, picks) for person, picks in record.ballots if voted.get(person) != set(picks)]
    if missing:
        problems.append(f"{len(missing)} confirmed ballots are missing or differ: {missing[:SHOWN]}")
    saved = set(Revision.objects.filter(summary__startswith="Lastlauf").values_list(
        "author_id", "page__space__slug", "page__slug", "summary"))
    missing = [save for save in record.wiki_saves if save not in saved]
    if missing:
        problems.append(f"{len(missing)} confirmed wiki saves are not revisions: {missing[:SHOWN]}")
    return problems


# --- emails ----------------------------------------------------------------------------------

def sent_emails(folder):
    """[(Message-ID, To)] of every email in the files of ``folder`` (Django's file backend), in any order."""
    found = []
    for path in sorted(Path(folder).glob("*")):
        for chunk in path.read_bytes().split(b"\n" + SEPARATOR + b"\n"):
            if chunk.strip():
                message = message_from_bytes(chunk.lstrip(b"\n"))
                found.append((message["Message-ID"], message["To"]))
    return found


def message_id_key(message_id):
    """The Delivery id a Message-ID names (``<kind.period.recipient.delivery@host>``), or None."""
    try:
        return int(message_id.strip("<>").split("@", 1)[0].rsplit(".", 1)[1])
    except (AttributeError, IndexError, ValueError):
        return None


def emails(folder):
    problems = []
    sent = sent_emails(folder)
    times = Counter(message_id for message_id, _to in sent)
    twice = {message_id: n for message_id, n in times.items() if n > 1}
    if twice:
        problems.append(f"{len(twice)} emails left more than once: "
                        + ", ".join(f"{m} ×{n}" for m, n in list(twice.items())[:SHOWN]))
    in_files = {message_id_key(message_id) for message_id in times}
    marked = set(Delivery.objects.filter(status=Delivery.Status.SENT).values_list("pk", flat=True))
    unsent = marked - in_files
    if unsent:
        problems.append(f"{len(unsent)} emails are marked sent but never left: {sorted(unsent)[:SHOWN]}")
    unmarked = in_files - marked
    if unmarked:
        problems.append(f"{len(unmarked)} emails left but are not marked sent (they would go out again): "
                        f"{sorted(unmarked, key=str)[:SHOWN]}")
    per_period = Counter(Delivery.objects.values_list("recipient_id", "kind", "period"))
    doubled = [key for key, n in per_period.items() if n > 1]
    if doubled:
        problems.append(f"{len(doubled)} people have two emails for one period: {doubled[:SHOWN]}")
    return problems


def emails_waiting(older_than=None):
    """(notifications due by email right away without an email yet, emails still being sent or to be retried)."""
    due = Notification.objects.pending_email().filter(channel=Channel.IMMEDIATE)
    if older_than is not None:
        due = due.filter(created_at__lt=older_than)
    open_ = Delivery.objects.filter(Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.SENDING))
    return due.count(), open_.count()


def everything(record, folder):
    """Every check, in order; the violations of all of them."""
    return [*counters(), *ballots(), *shifts(), *wiki(), *confirmed(record), *emails(folder)]
