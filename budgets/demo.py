"""Demo participatory budgets: one in every phase, moved there through the services.

Run by ``seed_demo`` after the demo proposals (``seed(site)``). Idempotent: a process that exists
(by its slug) is left as it is. Each process has a schedule relative to the moment of seeding
(one finished last year is dated in last year's calendar), and the title's year is the year its
vote starts. Everything happens at its moment of that schedule: proposals arrive while it
collects, are supported and discussed, reviewed, voted on; results are published when voting
ends, and the funded proposals report progress. Voters beyond the named demo people are drawn
with ``site.random(slug)``, so every run gives the same results.
"""
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from notifications.demo import happened_at
from proposals import services as accountability
from proposals.demo import ProposalStory
from proposals.models import Evaluation, Implementation, ImplementationUpdate, Proposal, StatusChange
from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, ELIF, FULDAUFER, GRETE, HANS, KARL, LENA, LINDENHOF, NADIA, STAFF, TOM,
    _everyone, neighbour as N,
)
from stakeholders.models import Membership, User

from . import services
from .models import PHASE_ORDER, PHASE_STARTS, Ballot, Entry, Phase, Process

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
LAST_YEAR = "last year"  # a schedule given as (month, day) dates of last year, not days from today

# Each process: where it stands, and its schedule as days from today for every phase start
# (collecting, review, voting, results, implementation). "{year}" in the title is the year its vote
# starts; "{collecting}" and "{voting}" in the description are the months those phases start.
# An entry: who sends it, title, summary, cost; "review": (feasible, final cost, reason) or absent
# (not reviewed yet); "appeal": how many voters like it; "supporters", "comments" as for proposals.
PROCESSES = [
    {
        "slug": "stadtteilbudget-lindenhof", "organisation": LINDENHOF, "phase": Phase.ANNOUNCED,
        "title": "Stadtteilbudget Lindenhof {year}",
        "description": "30.000 € für Ideen aus dem Viertel: Was fehlt rund um den Lindenhof? Ab {collecting} "
                       "sammeln wir Vorschläge, im {voting} entscheiden alle, die hier wohnen.",
        "total": 30000, "eligibility": Process.Eligibility.RESIDENTS, "districts": "Nordstadt, Lindenhof, Am Hafen",
        "days": [20, 50, 70, 90, 100], "entries": [],
    },
    {
        "slug": "jugendbudget-brueckenschlag", "organisation": BRUECKENSCHLAG, "phase": Phase.COLLECTING,
        "title": "Jugendbudget Brückenschlag {year}",
        "description": "Jugendliche entscheiden über 8.000 € für den Treff. Schickt eure Ideen bis zum Ende der "
                       "Sammelphase – mit einer ungefähren Summe, was sie kosten würden. Abgestimmt wird im {voting}.",
        "total": 8000, "eligibility": Process.Eligibility.MEMBERS, "districts": "",
        "days": [-25, 20, 35, 50, 60],
        "entries": [
            {"author": TOM, "title": "Tonstudio im Keller", "cost": 3500, "supporters": 4,
             "summary": "Ein kleines Aufnahmestudio für Bands und Podcasts aus dem Treff.",
             "comments": [(N("jamal"), "Ich mache Beats am Laptop, ein Mikro und gute Boxen wären schon viel.",
                           [(TOM, "Genau, wir fangen klein an und bauen es zusammen aus.")])]},
            {"author": LENA, "title": "Bandprobenraum mit Schlagzeug", "cost": 1800, "supporters": 3,
             "summary": "Ein schallgedämmter Raum mit Schlagzeug und Verstärkern, den Bands aus dem Treff abends "
                        "nutzen können."},
            {"author": N("mia"), "title": "Kochabend für Jugendliche", "cost": 600, "supporters": 2,
             "summary": "Einmal im Monat kochen wir im Treff zusammen, jedes Mal sucht jemand anderes das "
                        "Rezept aus."},
        ],
    },
    {
        "slug": "kiezfonds-nordstadt", "organisation": LINDENHOF, "phase": Phase.REVIEW,
        "title": "Kiezfonds Nordstadt {year}",
        "description": "Kleine Beträge, schnelle Wirkung: 5.000 € für Nachbarschaftsprojekte. Das Team prüft "
                       "gerade, was machbar ist; abgestimmt wird im {voting}.",
        "total": 5000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": [-55, -8, 10, 25, 30],
        "entries": [
            {"author": AYLIN, "title": "Tauschregal im Hausflur", "cost": 400, "review": (True, 450, ""),
             "supporters": 6, "summary": "Ein wetterfestes Regal für Bücher und Spiele zum Tauschen.",
             "comments": [(N("ingrid"), "In unserem Haus würde das sofort voll sein.", [])]},
            {"author": KARL, "title": "Backkurs für Kinder", "cost": 1200, "supporters": 5,
             "summary": "Einmal im Monat backen Kinder mit der Bäckerei am Markt."},
            {"author": HANS, "title": "Dachterrasse für alle", "cost": 4800, "supporters": 3,
             "review": (False, None, "Das Dach ist nicht für Besuch freigegeben; die Statik erlaubt keine Terrasse."),
             "summary": "Die Dachterrasse des Gemeindehauses öffnen und begrünen."},
        ],
    },
    {
        "slug": "buergerhaushalt-nordstadt", "organisation": LINDENHOF, "phase": Phase.VOTING,
        "title": "Bürgerhaushalt Nordstadt {year}",
        "description": "20.000 € für die Nordstadt. Wählen Sie so viele Vorschläge, wie in das Budget passen, "
                       "und bestätigen Sie Ihre Stimme.",
        "total": 20000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": [-80, -40, -4, 10, 30], "partners": [BRUECKENSCHLAG],
        "entries": [
            {"author": AYLIN, "title": "Sitzbänke am Spielplatz Lindenstraße", "cost": 4500,
             "review": (True, 5200, ""), "appeal": 5, "supporters": 9,
             "summary": "Sechs Bänke mit Rückenlehne, damit Großeltern und Eltern bequem warten können.",
             "comments": [(N("petra"), "Bitte auch eine Bank im Schatten!", []),
                          (N("murat"), "Gute Sache, mein Vater kommt dann öfter mit zum Spielplatz.", [])]},
            {"author": HANS, "title": "Fahrradwerkstatt mit Werkzeugwand", "cost": 3000, "review": (True, 2800, ""),
             "appeal": 4, "supporters": 7,
             "summary": "Eine feste Werkzeugwand und zwei Montageständer für die offene Werkstatt."},
            {"author": GRETE, "title": "Entlastungscafé für pflegende Angehörige", "cost": 9000,
             "review": (True, 8500, ""), "appeal": 3, "supporters": 6,
             "summary": "Ein Nachmittag pro Woche mit Kaffee, Beratung und Betreuung für die Angehörigen.",
             "comments": [(N("renate"), "So etwas fehlt wirklich. Ich wäre jede Woche da.", [])]},
            {"author": KARL, "title": "Lastenrad für den Stadtteil", "cost": 6000, "review": (True, 6500, ""),
             "appeal": 4, "supporters": 8,
             "summary": "Ein Lastenrad zum Ausleihen, verwaltet vom Lindenhof.",
             "comments": [(N("jan"), "Wie lange dürfte man es ausleihen?",
                           [(KARL, "Wir dachten an einen Tag, am Wochenende auch zwei.")])]},
            {"author": TOM, "title": "Kostenloses WLAN im Park", "cost": 12000, "supporters": 4,
             "review": (False, None, "Die Stadt baut das Netz im nächsten Jahr selbst aus; doppelt bezahlen wollen "
                                     "wir nicht."),
             "summary": "Ein offenes Netz im Stadtpark."},
        ],
        "ballots": {HANS: [0, 1, 3], KARL: [1, 3], GRETE: [2, 0, 1]}, "voters": 14,
        "drafts": {TOM: [1]},
    },
    {
        "slug": "pflegebudget-fuldaufer", "organisation": FULDAUFER, "phase": Phase.RESULTS,
        "title": "Pflegebudget Fuldaufer {year}",
        "description": "12.000 € für Entlastung im Pflegealltag – ausgewählt von Angehörigen und Mitgliedern. "
                       "Die Stimmen sind ausgezählt; die Umsetzung beginnt bald.",
        "total": 12000, "eligibility": Process.Eligibility.MEMBERS, "districts": "",
        "days": [-110, -75, -45, -10, 20],
        "entries": [
            {"author": GRETE, "title": "Notfallmappe für jede Familie", "cost": 1500, "review": (True, 1600, ""),
             "appeal": 5, "supporters": 4,
             "summary": "Eine Mappe mit allen wichtigen Unterlagen, gemeinsam in einem Workshop ausgefüllt."},
            {"author": HANS, "title": "Fahrdienst zu Arztterminen", "cost": 7000, "review": (True, 6800, ""),
             "appeal": 4, "supporters": 5,
             "summary": "Ehrenamtliche fahren Pflegebedürftige zu Terminen; wir bezahlen Versicherung und Spritgeld.",
             "comments": [(N("werner"), "Ich habe ein großes Auto und würde fahren.", [])]},
            {"author": N("gisela"), "title": "Gesprächskreis am Abend", "cost": 2000, "review": (True, 2400, ""),
             "appeal": 3, "supporters": 3,
             "summary": "Ein Abendtermin für Angehörige, die tagsüber arbeiten."},
            {"author": N("renate"), "title": "Urlaubsvertretung für eine Woche im Jahr", "cost": 4500,
             "review": (True, 4500, ""), "appeal": 1, "supporters": 2,
             "summary": "Eine Pflegekraft übernimmt eine Woche, damit Angehörige einmal wegfahren können."},
        ],
        "ballots": {GRETE: [0, 1], HANS: [1, 2], ELIF: [0, 2]}, "voters": 4,
    },
    {
        "slug": "nachbarschaftsfonds", "organisation": LINDENHOF, "phase": Phase.IMPLEMENTATION,
        "title": "Nachbarschaftsfonds {year}",
        "description": "10.000 € für Begegnung im Viertel. Die Stimmen sind ausgezählt; hier sehen Sie, was aus "
                       "den geförderten Vorschlägen geworden ist.",
        "total": 10000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": LAST_YEAR, "dates": [(8, 18), (9, 15), (10, 6), (10, 27), (11, 10)],
        "entries": [
            {"author": AYLIN, "title": "Straßenfest am Lindenplatz", "cost": 4000, "review": (True, 4200, ""),
             "appeal": 5, "supporters": 10,
             "summary": "Ein Fest mit Musik, Essen aus aller Welt und Flohmarkt.",
             "comments": [(N("swetlana"), "Ich melde mich für den Kuchenstand!", [])]},
            {"author": HANS, "title": "Werkzeug und Ersatzteile fürs Reparaturcafé", "cost": 2500,
             "review": (True, 2500, ""), "appeal": 5, "supporters": 6,
             "summary": "Werkzeug, Ersatzteile und Kaffee für das Reparaturcafé."},
            {"author": KARL, "title": "Weihnachtsbeleuchtung für die Ladenzeile", "cost": 5000,
             "review": (True, 5500, ""), "appeal": 2, "supporters": 3,
             "summary": "Lichterketten für die Geschäfte am Markt."},
            {"author": GRETE, "title": "Sprachtreff für Nachbarinnen", "cost": 1500, "review": (True, 1800, ""),
             "appeal": 4, "supporters": 5,
             "summary": "Ein wöchentlicher Treff zum Deutschüben mit Kinderbetreuung."},
        ],
        "ballots": {HANS: [1, 3], AYLIN: [0, 1, 3], KARL: [2, 1], GRETE: [3, 0], TOM: [1, 0], NADIA: [3, 1]},
        "voters": 16,
        "updates": {
            0: [("Der Termin steht, die Straße ist angemeldet. Wer einen Stand machen will, meldet sich im Café.",
                 "in_progress", 40),
                ("Über 300 Gäste, 22 Stände, kein Regen. Danke an alle, die mitgemacht haben!", "completed", 100)],
            1: [("Die Werkzeugwand hängt, die Ersatzteile sind sortiert.", "in_progress", 70),
                ("Alles ist angeschafft; der Rest des Geldes reicht für Flickzeug bis zum Jahresende.",
                 "completed", 100)],
            3: [("Der Sprachtreff läuft jeden Dienstag; die Kinderbetreuung übernehmen zwei Ehrenamtliche.",
                 "in_progress", 50),
                ("Inzwischen kommen 15 Frauen regelmäßig. Wir suchen noch eine zweite Betreuerin für die Kinder.",
                 "in_progress", 65)],
        },
        "evaluations": {0: [(GRETE, 5, "Endlich haben sich die Nachbarn mal alle auf einmal gesehen."),
                            (AYLIN, 4, "Schön war's! Nächstes Mal mit mehr Schatten für die Älteren."),
                            (N("ingrid"), 5, "")],
                        1: [(HANS, 5, "Mit der neuen Wand finden auch Neue das Werkzeug.")]},
    },
]


def seed(site):
    """Creates the demo processes that are missing, in the organisations of ``site``."""
    people = {user.email: user for user in User.objects.filter(email__in=[email for email, *_ in _everyone()])}
    if not all(email in people for email in [HANS, AYLIN, KARL, GRETE, TOM, LENA, NADIA, *STAFF.values()]):
        return  # the demo people come first (stakeholders' demo)
    for data in PROCESSES:
        if not Process.objects.filter(slug=data["slug"]).exists():
            _seed_process(site, data, site.organisations, people)


def schedule(site, data):
    """The moments at which the phases after the first start, in order."""
    if data["days"] == LAST_YEAR:
        year = timezone.localdate(site.now).year - 1
        return [timezone.make_aware(datetime.combine(datetime(year, month, day).date(), time(9)))
                for month, day in data["dates"]]
    return [site.on_day(days, 9) for days in data["days"]]


@transaction.atomic
def _seed_process(site, data, organisations, people):
    chance = site.random(data["slug"])
    starts = dict(zip(PHASE_STARTS.values(), schedule(site, data)))
    collecting, review, voting, results, implementation = starts.values()
    organisation = organisations[data["organisation"]]
    staff = people[STAFF[data["organisation"]]]
    target = data["phase"]
    local = timezone.localtime
    later = iter(range(1, 6))
    process = Process.objects.create(
        organisation=organisation, slug=data["slug"], title=data["title"].format(year=local(voting).year),
        description=data["description"].format(collecting=MONTHS[local(collecting).month - 1],
                                               voting=MONTHS[local(voting).month - 1]),
        total_amount=Decimal(data["total"]), eligibility=data["eligibility"], districts=data["districts"],
        created_by=staff, **{field: site.now + timedelta(days=next(later)) for field in PHASE_STARTS.values()},
    )
    process.partner_organisations.set([organisations[slug] for slug in data.get("partners", [])])

    def move(phase, when):
        if PHASE_ORDER.index(target) >= PHASE_ORDER.index(phase):
            with happened_at(when, StatusChange):
                services.phase_move(process=process, actor=staff, to_phase=phase, now=when)

    move(Phase.COLLECTING, collecting)
    # Proposals arrive while it collects (up to now); supports and comments follow until review starts.
    open_until = min(review, site.ago(hours=2))
    entries = []
    for number, entry_data in enumerate(data["entries"]):
        sent = collecting + (open_until - collecting) * (number + chance.uniform(0.1, 0.9)) / len(data["entries"])
        entries.append(_submit(site, process, entry_data, people, sent, open_until, staff))
    move(Phase.REVIEW, review)
    for entry, entry_data in zip(entries, data["entries"]):
        if "review" in entry_data:
            feasible, cost, reason = entry_data["review"]
            when = site.awake(review + (min(voting, site.now) - review) * chance.uniform(0.1, 0.6),
                              latest=min(voting, site.now))
            with happened_at(when, StatusChange):
                services.entry_review(entry=entry, actor=staff, feasible=feasible, now=when,
                                      final_cost=Decimal(cost) if cost else None, reason=reason)
    move(Phase.VOTING, voting)
    if PHASE_ORDER.index(target) >= PHASE_ORDER.index(Phase.VOTING):
        _vote(site, chance, process, data, entries, people, voting, min(results, site.ago(hours=3)))
    move(Phase.RESULTS, results)
    if PHASE_ORDER.index(target) >= PHASE_ORDER.index(Phase.RESULTS):
        Implementation.objects.filter(proposal__budget_entry__process=process).update(created_at=results,
                                                                                     updated_at=results)
    move(Phase.IMPLEMENTATION, implementation)
    for index, updates in data.get("updates", {}).items():
        moments = sorted(site.awake(implementation + (site.ago(days=3) - implementation) * chance.uniform(0.1, 0.95))
                         for _update in updates)
        for when, (text, status, progress) in zip(moments, updates):
            with happened_at(when, StatusChange, ImplementationUpdate):
                accountability.implementation_update_post(proposal=entries[index].proposal, actor=staff, text=text,
                                                          status=status, progress=progress, now=when)
    for index, evaluations in data.get("evaluations", {}).items():
        implementation_row = Entry.objects.get(pk=entries[index].pk).proposal.implementation
        for email, rating, comment in evaluations:
            when = implementation_row.completed_at + timedelta(days=chance.uniform(1, 20))
            with happened_at(site.awake(when, latest=site.ago(hours=5)), Evaluation):
                accountability.evaluation_create(implementation=implementation_row, user=people[email],
                                                 rating=rating, comment=comment)
    # The schedule it had, consistent with the phase it reached.
    current = collecting if target == Phase.ANNOUNCED else starts[PHASE_STARTS[target]]
    Process.objects.filter(pk=process.pk).update(created_at=collecting - timedelta(days=21),
                                                 phase_changed_at=current, **starts)


def _submit(site, process, data, people, sent, open_until, staff):
    """A proposal sent into the budget at (the waking hour of) ``sent``, then supported and discussed until
    ``open_until``. Every moment is moved into waking hours once, from the plain clock, so that none of what
    follows lands before the proposal itself."""
    author = people[data["author"]]
    plain, sent = sent, site.awake(sent, latest=open_until)
    with happened_at(sent, Entry):
        entry = services.entry_submit(process=process, author=author, title=data["title"], summary=data["summary"],
                                      text=data["summary"], planning="together", delivery="professionals",
                                      estimated_cost=Decimal(data["cost"]))
    Proposal.objects.filter(pk=entry.proposal_id).update(created_at=sent, published_at=sent, last_activity_at=sent)
    story = ProposalStory(site, entry.proposal, staff, people)
    chance = site.random(f"{process.slug}/{data['title']}")
    supporters = site.people_for(process.organisation.slug, data["title"], data.get("supporters", 0),
                                 exclude={data["author"], *STAFF.values()})
    for email in supporters:
        story.support(site.awake(plain + (open_until - plain) * chance.random() ** 1.5, latest=open_until), email)
    for email, text, replies in data.get("comments", []):
        when = plain + (open_until - plain) * chance.uniform(0.1, 0.7)
        story.comment(site.awake(when, latest=open_until), email, text)
        for reply_email, reply in replies:
            when += (open_until - when) * chance.uniform(0.1, 0.5)
            story.comment(site.awake(when, latest=open_until), reply_email, reply, text)
    story.settle()
    return entry


def _vote(site, chance, process, data, entries, people, opens, closes):
    """The named ballots, plus ``voters`` more from the people allowed to vote, each picking what it likes."""
    named = {**data.get("ballots", {}), **data.get("drafts", {})}
    # Aylin votes only where the demo names her: the vote open now waits for whoever tries her account.
    allowed = _allowed(process, people, exclude={*named, AYLIN})
    chance.shuffle(allowed)
    feasible = [n for n, entry in enumerate(data["entries"]) if entry.get("review", (False,))[0]]
    crowd = {}
    for email in allowed[:data.get("voters", 0)]:
        liked = sorted(feasible, key=lambda n: chance.random() ** (1 / data["entries"][n].get("appeal", 1)),
                       reverse=True)
        picks, left = [], process.total_amount
        for n in liked[:chance.randint(1, 3)]:
            cost = Decimal(data["entries"][n]["review"][1])
            if cost <= left:
                picks.append(n)
                left -= cost
        crowd[email] = picks
    ballots = {**data.get("ballots", {}), **crowd}
    for email, picks in {**ballots, **data.get("drafts", {})}.items():
        when = site.awake(opens + (closes - opens) * 0.97 * chance.random() ** 1.3, latest=closes)
        with happened_at(when, Ballot):
            services.ballot_set_picks(process=process, user=people[email],
                                      entry_ids=[entries[n].pk for n in picks])
        confirmed = min(when + timedelta(minutes=chance.randint(2, 40)), closes)
        if email in ballots:
            services.ballot_confirm(process=process, user=people[email], now=confirmed)
        Ballot.objects.filter(process=process, user=people[email]).update(updated_at=confirmed)


def _allowed(process, people, exclude):
    """The demo people who may vote in it (members of the organisations running it, or everyone)."""
    if process.eligibility != Process.Eligibility.MEMBERS:
        return sorted(email for email in people if email not in exclude and email not in STAFF.values())
    organisations = [process.organisation_id, *process.partner_organisations.values_list("pk", flat=True)]
    members = Membership.objects.approved().filter(organisation_id__in=organisations,
                                                   user__email__in=list(people))
    return sorted(set(members.values_list("user__email", flat=True)) - set(exclude))
