"""Demo participatory budgets: one in every phase, moved there through the services.

Run by ``seed_demo`` after the demo proposals (``seed(site)``). Idempotent: a process that exists
(by its slug) is left as it is. Processes run through their phases now and then get a plausible
past schedule.
"""
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from proposals import services as accountability
from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, ELIF, FULDAUFER, GRETE, HANS, KARL, LENA, LINDENHOF, NADIA, STAFF, TOM,
)
from stakeholders.models import User

from . import services
from .models import PHASE_ORDER, PHASE_STARTS, Entry, Phase, Process

VOTERS = [HANS, AYLIN, KARL, GRETE, TOM, LENA, NADIA]

# Each process: where it stands, and its schedule as days from today for every phase start.
PROCESSES = [
    {
        "slug": "lindenhof-2027", "organisation": LINDENHOF, "phase": Phase.ANNOUNCED,
        "title": "Stadtteilbudget Lindenhof 2027",
        "description": "30.000 € für Ideen aus dem Viertel: Was fehlt rund um den Lindenhof? Ab Januar "
                       "sammeln wir Vorschläge, im März entscheiden alle, die hier wohnen.",
        "total": 30000, "eligibility": Process.Eligibility.RESIDENTS, "districts": "Nordstadt, Lindenhof, Am Hafen",
        "days": [20, 50, 70, 90, 100], "entries": [],
    },
    {
        "slug": "jugendbudget-2026", "organisation": BRUECKENSCHLAG, "phase": Phase.COLLECTING,
        "title": "Jugendbudget Brückenschlag",
        "description": "Jugendliche entscheiden über 8.000 € für den Treff. Schickt eure Ideen – mit einer "
                       "ungefähren Summe, was sie kosten würden.",
        "total": 8000, "eligibility": Process.Eligibility.MEMBERS, "districts": "",
        "days": [-10, 20, 35, 50, 60],
        "entries": [
            (TOM, "Tonstudio im Keller", "Ein kleines Aufnahmestudio für Bands und Podcasts aus dem Treff.", 3500),
            (LENA, "Bandprobenraum mit Schlagzeug", "Ein schallgedämmter Raum mit Schlagzeug und Verstärkern, "
             "den Bands aus dem Treff abends nutzen können.", 1800),
        ],
    },
    {
        "slug": "kiezfonds-2026", "organisation": LINDENHOF, "phase": Phase.REVIEW,
        "title": "Kiezfonds Nordstadt",
        "description": "Kleine Beträge, schnelle Wirkung: 5.000 € für Nachbarschaftsprojekte. Das Team prüft "
                       "gerade, was machbar ist.",
        "total": 5000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": [-40, -5, 10, 25, 30],
        "entries": [
            (AYLIN, "Tauschregal im Hausflur", "Ein wetterfestes Regal für Bücher und Spiele zum Tauschen.", 400,
             (True, 450, "")),
            (KARL, "Backkurs für Kinder", "Einmal im Monat backen Kinder mit der Bäckerei am Markt.", 1200, None),
            (HANS, "Dachterrasse für alle", "Die Dachterrasse des Gemeindehauses öffnen und begrünen.", 4800,
             (False, None, "Das Dach ist nicht für Besuch freigegeben; die Statik erlaubt keine Terrasse.")),
        ],
    },
    {
        "slug": "buergerhaushalt-nordstadt-2026", "organisation": LINDENHOF, "phase": Phase.VOTING,
        "title": "Bürgerhaushalt Nordstadt 2026",
        "description": "20.000 € für die Nordstadt. Wählen Sie so viele Vorschläge, wie in das Budget passen, "
                       "und bestätigen Sie Ihre Stimme.",
        "total": 20000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": [-60, -30, -3, 11, 30], "partners": [BRUECKENSCHLAG],
        "entries": [
            (AYLIN, "Sitzbänke am Spielplatz Lindenstraße", "Sechs Bänke mit Rückenlehne, damit Großeltern "
             "und Eltern bequem warten können.", 4500, (True, 5200, "")),
            (HANS, "Fahrradwerkstatt mit Werkzeugwand", "Eine feste Werkzeugwand und zwei Montageständer für "
             "die offene Werkstatt.", 3000, (True, 2800, "")),
            (GRETE, "Entlastungscafé für pflegende Angehörige", "Ein Nachmittag pro Woche mit Kaffee, "
             "Beratung und Betreuung für die Angehörigen.", 9000, (True, 8500, "")),
            (KARL, "Lastenrad für den Stadtteil", "Ein Lastenrad zum Ausleihen, verwaltet vom Lindenhof.", 6000,
             (True, 6500, "")),
            (TOM, "Kostenloses WLAN im Park", "Ein offenes Netz im Stadtpark.", 12000,
             (False, None, "Die Stadt baut das Netz im nächsten Jahr selbst aus; doppelt bezahlen wollen wir nicht.")),
        ],
        "ballots": {HANS: [0, 1, 3], AYLIN: [0, 2], KARL: [1, 3], GRETE: [2, 0, 1]},
        "drafts": {TOM: [1]},
    },
    {
        "slug": "nachbarschaftsfonds-2025", "organisation": LINDENHOF, "phase": Phase.RESULTS,
        "title": "Nachbarschaftsfonds 2025",
        "description": "10.000 € für Begegnung im Viertel. Die Stimmen sind ausgezählt.",
        "total": 10000, "eligibility": Process.Eligibility.VERIFIED, "districts": "",
        "days": [-120, -90, -60, -10, 20],
        "entries": [
            (AYLIN, "Straßenfest am Lindenplatz", "Ein Fest mit Musik, Essen aus aller Welt und Flohmarkt.", 4000,
             (True, 4200, "")),
            (HANS, "Reparaturcafé einmal im Monat", "Werkzeug, Ersatzteile und Kaffee für das Reparaturcafé.",
             2500, (True, 2500, "")),
            (KARL, "Weihnachtsbeleuchtung für die Ladenzeile", "Lichterketten für die Geschäfte am Markt.", 5000,
             (True, 5500, "")),
            (GRETE, "Sprachtreff für Nachbarinnen", "Ein wöchentlicher Treff zum Deutschüben mit Kinderbetreuung.",
             1500, (True, 1800, "")),
        ],
        "ballots": {HANS: [1, 3], AYLIN: [0, 1, 3], KARL: [2, 1], GRETE: [3, 0], TOM: [1, 0], NADIA: [3, 1]},
    },
    {
        "slug": "pflegebudget-2025", "organisation": FULDAUFER, "phase": Phase.IMPLEMENTATION,
        "title": "Pflegebudget Fuldaufer 2025",
        "description": "12.000 € für Entlastung im Pflegealltag – ausgewählt von Angehörigen und Mitgliedern.",
        "total": 12000, "eligibility": Process.Eligibility.MEMBERS, "districts": "",
        "days": [-300, -250, -220, -190, -180],
        "entries": [
            (GRETE, "Notfallmappe für jede Familie", "Eine Mappe mit allen wichtigen Unterlagen, gemeinsam "
             "in einem Workshop ausgefüllt.", 1500, (True, 1600, "")),
            (HANS, "Fahrdienst zu Arztterminen", "Ehrenamtliche fahren Pflegebedürftige zu Terminen; wir "
             "bezahlen Versicherung und Spritgeld.", 7000, (True, 6800, "")),
            (GRETE, "Gesprächskreis am Abend", "Ein Abendtermin für Angehörige, die tagsüber arbeiten.", 2000,
             (True, 2400, "")),
        ],
        "ballots": {GRETE: [0, 1], HANS: [1, 2], ELIF: [0, 2]},
        "updates": {
            0: [("Die Vorlage für die Notfallmappe ist fertig; der erste Workshop ist ausgebucht.", "in_progress", 40),
                ("Drei Workshops, 46 Familien haben ihre Mappe ausgefüllt. Die Vorlage steht zum Herunterladen "
                 "auf unserer Seite.", "completed", 100)],
            1: [("Versicherung abgeschlossen, sechs Fahrerinnen und Fahrer sind geschult.", "in_progress", 60)],
        },
        "evaluations": {0: [(GRETE, 5, "Endlich liegt alles an einem Ort. Im Notfall hat das sehr geholfen.")]},
    },
]


def seed(site):
    """Creates the demo processes that are missing, in the organisations of ``site``."""
    people = {user.email: user for user in User.objects.filter(email__in=[*VOTERS, *STAFF.values()])}
    if len(people) < len(VOTERS) + len(STAFF):
        return  # the demo people come first (stakeholders' demo)
    for data in PROCESSES:
        if not Process.objects.filter(slug=data["slug"]).exists():
            _seed_process(data, site.organisations, people)


@transaction.atomic
def _seed_process(data, organisations, people):
    now = timezone.now()
    organisation = organisations[data["organisation"]]
    staff = people[STAFF[data["organisation"]]]
    target = data["phase"]
    days = iter(range(1, 6))
    process = Process.objects.create(
        organisation=organisation, slug=data["slug"], title=data["title"], description=data["description"],
        total_amount=Decimal(data["total"]), eligibility=data["eligibility"], districts=data["districts"],
        created_by=staff, **{field: now + timedelta(days=next(days)) for field in PHASE_STARTS.values()},
    )
    process.partner_organisations.set([organisations[slug] for slug in data.get("partners", [])])
    if target != Phase.ANNOUNCED:
        process = services.phase_move(process=process, actor=staff, to_phase=Phase.COLLECTING)
    entries = [
        services.entry_submit(process=process, author=people[email], title=title, summary=summary, text=summary,
                              planning="together", delivery="professionals", estimated_cost=Decimal(cost))
        for email, title, summary, cost, *_review in data["entries"]
    ]
    _advance(process, staff, target, Phase.REVIEW)
    for entry, fields in zip(entries, data["entries"]):
        if len(fields) > 4 and fields[4] is not None:
            feasible, cost, reason = fields[4]
            services.entry_review(entry=entry, actor=staff, feasible=feasible,
                                  final_cost=Decimal(cost) if cost else None, reason=reason)
    _advance(process, staff, target, Phase.VOTING)
    for email, picks in {**data.get("ballots", {}), **data.get("drafts", {})}.items():
        services.ballot_set_picks(process=process, user=people[email], entry_ids=[entries[i].pk for i in picks])
        if email in data.get("ballots", {}):
            services.ballot_confirm(process=process, user=people[email])
    _advance(process, staff, target, Phase.RESULTS)
    _advance(process, staff, target, Phase.IMPLEMENTATION)
    for index, updates in data.get("updates", {}).items():
        for text, status, progress in updates:
            accountability.implementation_update_post(proposal=entries[index].proposal, actor=staff, text=text,
                                                status=status, progress=progress)
    for index, evaluations in data.get("evaluations", {}).items():
        implementation = Entry.objects.get(pk=entries[index].pk).proposal.implementation
        for email, rating, comment in evaluations:
            accountability.evaluation_create(implementation=implementation, user=people[email], rating=rating,
                                       comment=comment)
    # Give it the schedule it would have had, consistent with the phase it reached.
    Process.objects.filter(pk=process.pk).update(**{
        field: now + timedelta(days=offset) for field, offset in zip(PHASE_STARTS.values(), data["days"])
    })


def _advance(process, staff, target, phase):
    if PHASE_ORDER.index(target) >= PHASE_ORDER.index(phase):
        services.phase_move(process=process, actor=staff, to_phase=phase)
