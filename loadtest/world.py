"""The data a load run starts from, seeded into its own, freshly migrated database.

Organisations with proposals (their supports, comments and follows written in bulk by "neighbours", the
kept counters set to match), a participatory budget in its voting phase, volunteering tasks whose shifts
have only a few places each and never overlap, public wiki spaces that anyone signed in may edit, and the
people the clients act as: each with the same password (hashed once), a verified email address and a
session of their own in the database. A third of the neighbours hear about the proposals they follow at
once by email, so comments made under load send emails while it runs.

Everything is written in bulk, as the benchmarks seed, except the wiki pages (the service renders and
links them): seeding records no activity, so it neither notifies anyone nor enqueues a task.
"""
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.postgres.search import SearchVector
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from budgets.models import Entry, Phase, Process
from coproduction.search.index import rebuild
from notifications.channels import Channel
from notifications.delivery import period_for
from notifications.models import Activity, Notification, Preference
from proposals.models import Comment, Follow, Proposal, Support
from proposals.notify import Verb
from stakeholders.models import Organisation, User
from volunteering.models import Shift, Task
from wiki import services as wiki_services
from wiki.models import Space

PASSWORD = "Lastlauf-mit-langer-Passphrase-2026"
DOMAIN = "@load.invalid"
BUDGET_SLUG = "lastlauf-buergerhaushalt"
BUDGET_TOTAL = Decimal("100000")
WORDS = ["Fahrradwerkstatt", "Nachbarschaftscafé", "Hausaufgabenhilfe", "Spielplatz", "Gemeinschaftsgarten",
         "Seniorentreff", "Sprachcafé", "Mittagstisch", "Jugendraum", "Repaircafé", "Kiezfest", "Bücherschrank"]
DISTRICTS = ["Nordstadt", "Wesertor", "Bettenhausen", "Kirchditmold", "Vorderer Westen", "Wehlheiden"]
SUPPORTABLE = [Proposal.Status.PUBLISHED, Proposal.Status.UNDER_REVIEW, Proposal.Status.ACCEPTED]


@dataclass
class Person:
    pk: int
    email: str
    session_key: str


@dataclass
class World:
    """What the clients need to know of the seeded data: ids, slugs and addresses, no model instances."""

    people: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    budget_slug: str = BUDGET_SLUG
    budget_total: Decimal = BUDGET_TOTAL
    entries: list = field(default_factory=list)  # (entry id, final cost)
    tasks: list = field(default_factory=list)
    shifts: list = field(default_factory=list)
    wiki_pages: list = field(default_factory=list)  # (space slug, page slug)
    words: list = field(default_factory=lambda: list(WORDS))


@dataclass
class Scale:
    people: int = 600
    neighbours: int = 300
    organisations: int = 4
    proposals: int = 300
    entries: int = 30
    tasks: int = 12
    shifts_per_task: int = 6
    wiki_pages: int = 24


def seed(scale=None, *, seed_value=2026):
    """Seeds a fresh database and returns the World the clients act in."""
    scale = scale or Scale()
    chance = random.Random(seed_value)
    world = World()
    with transaction.atomic():
        organisations = _organisations(scale)
        world.organisations = [o.pk for o in organisations]
        people, neighbours = _people(scale)
        world.proposals = _proposals(scale, organisations, neighbours, chance)
        world.entries = _budget(scale, organisations[0], neighbours, chance)
        world.tasks, world.shifts = _volunteering(scale, organisations, chance)
        world.wiki_pages = _wiki(scale, organisations, neighbours[0])
        world.people = _sessions(people)
    rebuild()
    return world


def _organisations(scale):
    return Organisation.objects.bulk_create([
        Organisation(slug=f"lastlauf-{i}", name=f"Stadtteilzentrum {DISTRICTS[i % len(DISTRICTS)]} {i}",
                     purpose="Wir bringen Menschen im Viertel zusammen.", city="Kassel",
                     district=DISTRICTS[i % len(DISTRICTS)])
        for i in range(scale.organisations)
    ])


def _people(scale):
    """(the people the clients act as, the neighbours who wrote the seeded supports and comments)."""
    password = make_password(PASSWORD)  # one hash for all: hashing hundreds would take minutes
    users = User.objects.bulk_create(
        [User(email=f"person{i}{DOMAIN}", display_name=f"Person {i}", password=password) for i in range(scale.people)]
        + [User(email=f"nachbar{i}{DOMAIN}", display_name=f"Nachbar {i}", password=password)
           for i in range(scale.neighbours)],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=1000
    )
    people, neighbours = users[:scale.people], users[scale.people:]
    Preference.objects.bulk_create([
        Preference(user=user, category="proposals", channel=Channel.IMMEDIATE) for user in neighbours[::3]
    ])
    return people, neighbours


def _proposals(scale, organisations, neighbours, chance):
    now = timezone.now()
    proposals = Proposal.objects.bulk_create([
        Proposal(
            organisation=organisations[i % len(organisations)], author=neighbours[i % len(neighbours)],
            title=f"{WORDS[i % len(WORDS)]} für {DISTRICTS[i % len(DISTRICTS)]} ({i})",
            summary=f"Kurz gesagt: {WORDS[i % len(WORDS)]} für alle im Viertel.",
            text=f"Wir schlagen vor: {WORDS[i % len(WORDS)]} mit {WORDS[(i // 7) % len(WORDS)]}. Nummer {i}.",
            district=DISTRICTS[i % len(DISTRICTS)], planning=["professionals", "together", "community"][i % 3],
            delivery=["professionals", "together", "community"][(i // 3) % 3], status=SUPPORTABLE[i % 3],
            published_at=now - timedelta(minutes=i), last_activity_at=now - timedelta(minutes=7 * i),
        )
        for i in range(scale.proposals)
    ])
    supports, comments, follows = [], [], []
    for proposal in proposals:
        fans = chance.sample(neighbours, chance.randrange(0, 11))
        supports += [Support(proposal=proposal, user=user) for user in fans]
        follows += [Follow(proposal=proposal, user=user) for user in {proposal.author, *fans}]
        written = chance.randrange(0, 6)
        comments += [Comment(proposal=proposal, author=chance.choice(neighbours),
                             text=f"Gute Idee, ich wäre dabei ({n}).") for n in range(written)]
        proposal.support_count, proposal.comment_count = len(fans), written
    Support.objects.bulk_create(supports, batch_size=2000)
    Follow.objects.bulk_create(follows, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    Proposal.objects.bulk_update(proposals, ["support_count", "comment_count"], batch_size=500)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("summary", weight="B", config="german") + SearchVector("text", weight="C", config="german")
    )
    return [p.pk for p in proposals]


def _budget(scale, organisation, neighbours, chance):
    """A budget in its voting phase with feasible proposals of 5,000 to 30,000 €: a ballot fits three to twenty."""
    now = timezone.now()
    process = Process.objects.create(
        organisation=organisation, title="Bürgerhaushalt im Lastlauf", slug=BUDGET_SLUG,
        description="Was soll das Viertel mit 100.000 € anfangen?", total_amount=BUDGET_TOTAL,
        collecting_starts=now - timedelta(days=40), review_starts=now - timedelta(days=20),
        voting_starts=now - timedelta(days=1), results_starts=now + timedelta(days=30),
        implementation_starts=now + timedelta(days=60), phase=Phase.VOTING, proposal_count=scale.entries,
    )
    costs = [Decimal(5000 + 1000 * chance.randrange(0, 26)) for _ in range(scale.entries)]
    proposals = Proposal.objects.bulk_create([
        Proposal(organisation=organisation, author=neighbours[i % len(neighbours)],
                 title=f"Budget: {WORDS[i % len(WORDS)]} ({i})", summary="Ein Vorschlag für den Bürgerhaushalt.",
                 text="Was passieren soll, für wen und warum.", planning="together", delivery="community",
                 status=Proposal.Status.PUBLISHED, published_at=now, estimated_cost=costs[i])
        for i in range(scale.entries)
    ])
    entries = Entry.objects.bulk_create([
        Entry(process=process, proposal=proposal, feasibility=Entry.Feasibility.FEASIBLE, final_cost=cost,
              reviewed_at=now)
        for proposal, cost in zip(proposals, costs, strict=True)
    ])
    return [(entry.pk, entry.final_cost) for entry in entries]


def _volunteering(scale, organisations, chance):
    """Tasks with shifts of two to four places, at 8, 11, 14 and 17 o'clock, so that no two shifts overlap."""
    now = timezone.now()
    tasks = Task.objects.bulk_create([
        Task(organisation=organisations[i % len(organisations)],
             title=f"{WORDS[i % len(WORDS)]}: Helfende gesucht ({i})",
             purpose="Wir brauchen Hilfe, alle sind willkommen.", location=f"Lindenhofstraße {i + 1}",
             district=DISTRICTS[i % len(DISTRICTS)], status=Task.Status.PUBLISHED, published_at=now,
             signup_closes_hours_before=2)
        for i in range(scale.tasks)
    ])
    first_day = timezone.localtime(now + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    shifts = []
    for number in range(scale.tasks * scale.shifts_per_task):
        task = tasks[number % len(tasks)]
        starts = first_day + timedelta(days=number // 4, hours=3 * (number % 4))
        shift = Shift(task=task, starts_at=starts, ends_at=starts + timedelta(hours=2),
                      capacity=chance.randrange(2, 5))
        shift.signup_closes_at = shift.compute_signup_closes_at()
        shifts.append(shift)
    Shift.objects.bulk_create(shifts)
    return [t.pk for t in tasks], [s.pk for s in shifts]


def _wiki(scale, organisations, author):
    """Public spaces that anyone signed in may edit, their pages made by the service (rendered, linked)."""
    pages = []
    spaces = Space.objects.bulk_create([
        Space(organisation=organisation, name=f"Wissen von {organisation.name}", slug=f"lastlauf-wissen-{i}",
              visibility=Space.Visibility.PUBLIC, editors=Space.Editors.SIGNED_IN)
        for i, organisation in enumerate(organisations[:2])
    ])
    for i in range(scale.wiki_pages):
        space = spaces[i % len(spaces)]
        page = wiki_services.page_create(
            space=space, author=author, title=f"{WORDS[i % len(WORDS)]} – So geht es ({i})",
            text=f"# {WORDS[i % len(WORDS)]}\n\nWas man wissen muss. Siehe auch [[{WORDS[(i + 1) % len(WORDS)]}]].\n",
            summary="Erste Fassung",
        )
        pages.append((space.slug, page.slug))
    return pages


def _sessions(people):
    """A signed-in session in the database for each person, as a sign-in would leave it."""
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    found = []
    for user in people:
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        found.append(Person(user.pk, user.email, store.session_key))
    return found


def digest_backlog(kind, recipient_ids, *, per_person=3):
    """Items waiting for this period's digest of ``kind`` (daily or weekly) for each of these people, made
    an hour before the period's cutoff, as if they had come in during the day; returns (period, cutoff)."""
    period, cutoff = period_for(kind)
    made_at = cutoff - timedelta(hours=1)
    shown = Proposal.objects.filter(status__in=SUPPORTABLE, is_hidden=False).order_by("pk")
    targets = list(shown[:max(per_person, 10)])
    with transaction.atomic():
        activities = Activity.objects.bulk_create([
            Activity(verb=Verb.STATUS_CHANGED, target=target, organisation_id=target.organisation_id,
                     title=target.title, url=target.get_absolute_url(),
                     data={"to_status": "under_review", "response": "Wir prüfen den Vorschlag."})
            for target in targets
        ])
        Activity.objects.filter(pk__in=[a.pk for a in activities]).update(created_at=made_at)
        Notification.objects.bulk_create([
            Notification(recipient_id=person, activity=activities[(person + n) % len(activities)],
                         organisation_id=activities[(person + n) % len(activities)].organisation_id,
                         category="proposals", channel=kind)
            for person in recipient_ids for n in range(per_person)
        ], batch_size=2000)
        Notification.objects.filter(activity__in=activities).update(created_at=made_at)
        User.objects.filter(pk__in=recipient_ids).update(unread_notifications=F("unread_notifications") + per_person)
    return period, cutoff
