"""Demo proposals for a local installation, created and moved only through the services.

Run by ``seed_demo`` after the demo organisations and people (``seed(site)``). Idempotent: every row is looked up by a stable key (a
title, a person and a proposal) and only what is missing is created; status moves continue
from wherever a proposal stands, so a second run changes nothing.
"""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, FULDAUFER, GRETE, HANS, KARL, LENA, LICHTBLICK, LINDENHOF, NADIA, STAFF, TOM,
)
from stakeholders.models import User

from . import services
from .models import Call, Category, Channel, Comment, Pledge, Proposal, Report, Support

S = Proposal.Status

CATEGORIES = [
    ("begegnung", "Begegnung"), ("bildung", "Bildung"), ("gesundheit", "Gesundheit"),
    ("beratung", "Beratung"), ("umwelt", "Umwelt"), ("kultur", "Kultur"),
]

# key: (organisation, question, background, deadline in days from today; negative = closed)
CALLS = {
    "30-60": (
        LINDENHOF, "Wie erreichen wir Menschen zwischen 30 und 60?",
        "Zu uns kommen viele Familien mit kleinen Kindern und viele Ältere. Wer mitten im Berufsleben "
        "steht, findet selten den Weg in den Lindenhof. Was müsste sich ändern, damit auch ihr kommt?",
        45,
    ),
    "angehoerige": (
        FULDAUFER, "Was würde pflegende Angehörige wirklich entlasten?",
        "Viele von Ihnen pflegen neben Beruf und Familie. Sagen Sie uns, welche Hilfe im Alltag zählt "
        "– und was Sie vielleicht selbst mit anderen aufbauen möchten.",
        30,
    ),
    "sommer": (
        BRUECKENSCHLAG, "Was soll der Jugendtreff diesen Sommer anbieten?",
        "Die Sommerferien sind lang. Der Beirat des Treffs sammelt Ideen für das Programm.",
        -20,
    ),
}

RESPONSES = {
    S.UNDER_REVIEW: "Danke für den Vorschlag! Wir besprechen ihn im Team und melden uns bis Monatsende.",
    S.ACCEPTED: "Wir machen das. Die nächsten Schritte planen wir gemeinsam mit allen, die mitmachen wollen.",
    S.IN_DELIVERY: "Es geht los: Die ersten Termine stehen, alle Infos hängen im Eingangsbereich aus.",
    S.COMPLETED: "Umgesetzt. Danke an alle, die Zeit, Ideen und Material beigesteuert haben!",
}
PATHS = {
    S.DRAFT: [], S.PUBLISHED: [], S.UNDER_REVIEW: [S.UNDER_REVIEW],
    S.ACCEPTED: [S.UNDER_REVIEW, S.ACCEPTED], S.IN_DELIVERY: [S.UNDER_REVIEW, S.ACCEPTED, S.IN_DELIVERY],
    S.COMPLETED: [S.UNDER_REVIEW, S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED],
    S.REJECTED: [S.UNDER_REVIEW, S.REJECTED], S.WITHDRAWN: [S.WITHDRAWN],
}

# One entry per proposal. "author": None marks a proposal staff entered from a round table.
PROPOSALS = [
    {
        "title": "Pflegeberatung auch am Samstagvormittag",
        "organisation": FULDAUFER, "author": GRETE, "call": "angehoerige", "category": "beratung",
        "planning": "professionals", "delivery": "professionals", "district": "Bettenhausen",
        "summary": "Die Pflegeberatung hat nur werktags offen. Wer arbeitet, schafft das kaum. "
                   "Ein Termin am Samstag würde vielen helfen.",
        "text": "Ich pflege meine Mutter und arbeite Vollzeit. Für jede Beratung muss ich Urlaub nehmen. "
                "Zwei Stunden am Samstagvormittag, einmal im Monat, würden schon reichen.",
        "status": S.UNDER_REVIEW, "supports": [HANS],
        "responses": {S.UNDER_REVIEW: "Wir prüfen gerade, wer aus dem Team samstags beraten kann."},
    },
    {
        "title": "Spaziergangspaten für das Haus am Fuldaufer",
        "organisation": FULDAUFER, "author": STAFF[FULDAUFER], "category": "gesundheit",
        "planning": "professionals", "delivery": "together", "district": "Bettenhausen",
        "summary": "Ehrenamtliche gehen mit Bewohnerinnen und Bewohnern spazieren. Wir schulen und begleiten sie.",
        "text": "Viele unserer Bewohner kommen kaum noch vor die Tür. Wir suchen Menschen, die einmal pro "
                "Woche eine Stunde Zeit haben. Vorher gibt es eine kurze Schulung zu Rollstuhl und Rollator.",
        "status": S.COMPLETED, "supports": [HANS, GRETE],
        "comments": [(HANS, "Ich bin dabei, dienstags passt mir gut.",
                      [(STAFF[FULDAUFER], "Wunderbar, Herr Lehmann! Die Schulung ist am 3. des Monats.")])],
        "pledges": [(HANS, "time", Decimal("4"), None, "Vier Stunden im Monat, gern dienstags.")],
    },
    {
        "title": "Antragslotsen: Ehrenamtliche helfen beim Papierkram",
        "organisation": LICHTBLICK, "author": STAFF[LICHTBLICK], "category": "beratung",
        "planning": "professionals", "delivery": "community", "district": "Grone",
        "summary": "Geschulte Ehrenamtliche helfen beim Ausfüllen von Anträgen, nach unserem Leitfaden.",
        "text": "Viele kommen nur wegen eines Formulars in die Beratung und warten dafür Wochen. Wir schulen "
                "Ehrenamtliche, die nach einem festen Leitfaden beim Ausfüllen helfen. Schwierige Fälle "
                "gehen weiter an unsere Fachkräfte.",
        "status": S.ACCEPTED, "supports": [NADIA, KARL],
        "comments": [(NADIA, "Das hätte mir letztes Jahr sehr geholfen. Gibt es das auch auf Arabisch?",
                      [(STAFF[LICHTBLICK], "Wir suchen gezielt Lotsinnen, die Arabisch oder Türkisch sprechen.")])],
        "pledges": [(KARL, "contacts", None, None, "Ich frage im Gewerbeverein nach Leuten mit Verwaltungserfahrung.")],
        "responses": {S.ACCEPTED: "Wir starten im Herbst mit sechs Lotsinnen und Lotsen. "
                                  "Die Schulung übernimmt unser Team."},
    },
    {
        "title": "Mehr Licht im Durchgang zur Lindenhofstraße",
        "organisation": LINDENHOF, "author": AYLIN, "category": "umwelt", "estimated_cost": Decimal("4800"),
        "planning": "together", "delivery": "professionals", "district": "Nordstadt",
        "summary": "Der Durchgang zum Lindenhof ist abends stockdunkel. Ein paar Lampen würden reichen.",
        "text": "Viele Ältere und Jugendliche meiden den Weg nach Einbruch der Dunkelheit. Beim "
                "Stadtteilspaziergang haben wir die dunklen Stellen markiert; die Liste liegt im Café.",
        "status": S.IN_DELIVERY, "supports": [HANS, KARL, STAFF[LINDENHOF]],
        "responses": {S.ACCEPTED: "Die Wohnungsbaugesellschaft zahlt die Lampen, wir kümmern uns um die Montage."},
    },
    {
        "title": "Feierabendküche am Donnerstag",
        "organisation": LINDENHOF, "author": AYLIN, "call": "30-60", "category": "begegnung",
        "planning": "together", "delivery": "together", "district": "Nordstadt", "estimated_cost": Decimal("600"),
        "summary": "Donnerstags ab 18 Uhr kochen wir zusammen und essen gemeinsam. Kinder sind willkommen, "
                   "es gibt eine Spielecke.",
        "text": "Nach der Arbeit hat niemand Lust auf Programm, aber alle müssen essen. Eine offene Küche "
                "am frühen Abend wäre ein leichter Einstieg: Wer will, schnippelt mit, wer müde ist, isst "
                "einfach. Planen und kochen würden wir im Wechsel mit dem Team des Lindenhofs.",
        "status": S.PUBLISHED, "supports": [HANS, KARL, TOM, STAFF[LINDENHOF]],
        "comments": [
            (HANS, "Gute Idee. Wer kümmert sich um den Einkauf?",
             [(AYLIN, "Ich würde eine Liste machen, jede Woche kauft jemand anderes ein.")]),
            (KARL, "Brot vom Vortag bringe ich gern mit."),
            (TOM, "Verkaufe mein altes Fahrrad, 28 Zoll, Preis VB. Meldet euch!"),
        ],
        "pledges": [
            (KARL, "money", None, Decimal("150"), "Für Gewürze, Öl und was sonst fehlt."),
            (HANS, "time", Decimal("3"), None, "Jeden zweiten Donnerstag helfe ich beim Aufräumen."),
            (STAFF[LINDENHOF], "room", None, None, "Die Küche im Erdgeschoss und der große Saal."),
            (AYLIN, "contacts", None, None, "Ich frage im Elternbeirat der Grundschule herum."),
            (TOM, "skills", None, None, "Ich kann vegetarisch kochen und habe einen Hygienekurs."),
        ],
        "reports": [(AYLIN, TOM, "Kleinanzeige, hat mit dem Vorschlag nichts zu tun.")],
    },
    {
        "title": "Nachbarschaftscafé im Hinterhof",
        "organisation": LINDENHOF, "author": HANS, "category": "begegnung",
        "planning": "together", "delivery": "community", "district": "Nordstadt",
        "summary": "Im Sommer öffnen Nachbarinnen und Nachbarn ein kleines Café im Hinterhof, "
                   "jeden Sonntagnachmittag.",
        "text": "Der Hinterhof steht sonntags leer. Den Plan machen wir zusammen mit dem Lindenhof, "
                "den Betrieb übernehmen wir selbst: Kuchen backen, Tische rausstellen, abends abbauen.",
        "status": S.ACCEPTED, "supports": [AYLIN, KARL],
        "pledges": [
            (STAFF[LINDENHOF], "room", None, None, "Hinterhof, Biertische und Geschirr aus dem Lindenhof."),
            (AYLIN, "time", Decimal("6"), None, "Ich backe einmal im Monat und stehe hinter der Theke."),
        ],
    },
    {
        "title": "Jugendtreff freitags bis Mitternacht",
        "organisation": BRUECKENSCHLAG, "author": LENA, "call": "sommer", "category": "kultur",
        "planning": "community", "delivery": "professionals", "district": "Wesertor",
        "summary": "In den Ferien soll der Treff freitags bis 24 Uhr offen haben.",
        "text": "Freitags gibt es für uns nichts, wo man einfach sein kann, ohne Geld auszugeben. "
                "Wir haben im Beirat ein Programm überlegt: Kino, Musik, Kicker.",
        "status": S.REJECTED, "supports": [TOM],
        "comments": [(TOM, "Wenn es nicht jeden Freitag geht, vielleicht einmal im Monat?")],
        "responses": {S.REJECTED: "Bis Mitternacht können wir den Treff nicht besetzen, dafür fehlen uns "
                                  "Fachkräfte. Wir öffnen in den Ferien aber freitags bis 22 Uhr – "
                                  "das Programm des Beirats übernehmen wir gern."},
    },
    {
        "title": "Reparaturcafé jeden ersten Samstag",
        "organisation": LINDENHOF, "author": HANS, "category": "umwelt",
        "planning": "community", "delivery": "together", "district": "Nordstadt",
        "summary": "Wir reparieren Fahrräder, Toaster und Kleidung gemeinsam, statt sie wegzuwerfen.",
        "text": "Einige von uns schrauben seit Jahren an Fahrrädern. Geplant haben wir das Café selbst; "
                "für Werkzeug, Versicherung und Raum brauchen wir den Lindenhof, und beim Aufbau hilft "
                "jemand aus dem Team.",
        "status": S.IN_DELIVERY, "supports": [AYLIN, TOM, KARL],
        "pledges": [(TOM, "skills", None, None, "Ich kann Elektrogeräte prüfen."),
                    (KARL, "money", None, Decimal("80"), "Für Ersatzteile und Flickzeug.")],
        "responses": {S.IN_DELIVERY: "Das erste Reparaturcafé ist am ersten Samstag im Monat, 10 bis 14 Uhr."},
    },
    {
        "title": "Gesprächskreis pflegender Angehöriger in Eigenregie",
        "organisation": FULDAUFER, "author": GRETE, "call": "angehoerige", "category": "gesundheit",
        "planning": "community", "delivery": "community", "district": "Bettenhausen",
        "summary": "Wir Angehörigen treffen uns selbst organisiert, ohne Anleitung, zum Austausch.",
        "text": "Der Gesprächskreis mit Fachkraft ist gut, aber manchmal wollen wir einfach unter uns "
                "reden. Wir organisieren ein zweites Treffen im Monat selbst.",
        "status": S.PUBLISHED, "supports": [HANS],
        "comments": [(STAFF[FULDAUFER], "Gern! Den Raum im Erdgeschoss könnt ihr dafür nutzen.")],
        "pledges": [(STAFF[FULDAUFER], "room", None, None, "Gruppenraum im Erdgeschoss, mittwochs ab 17 Uhr.")],
    },
    {
        "title": "Beratung per Videoanruf am Abend",
        "organisation": LICHTBLICK, "author": NADIA, "category": "beratung",
        "planning": "together", "delivery": "professionals", "district": "Grone",
        "summary": "Eine Beratung per Video nach 18 Uhr, für alle, die tagsüber nicht wegkönnen.",
        "text": "Entwurf: Ich schreibe noch auf, welche Zeiten passen würden.",
        "status": S.DRAFT,
    },
    {
        "title": "Skaterampe auf dem Bolzplatz",
        "organisation": BRUECKENSCHLAG, "author": TOM, "call": "sommer", "category": "kultur",
        "planning": "community", "delivery": "together", "district": "Wesertor",
        "summary": "Eine kleine Rampe, die wir mit dem Treff zusammen bauen.",
        "text": "Hat sich erledigt: Die Stadt baut im Sommer einen Skatepark am Ufer.",
        "status": S.WITHDRAWN, "supports": [LENA],
    },
    {
        "title": "Sitzbänke entlang der Lindenhofstraße",
        "organisation": LINDENHOF, "author": None, "channel": Channel.ROUND_TABLE, "category": "begegnung",
        "planning": "community", "delivery": "professionals", "district": "Nordstadt",
        "estimated_cost": Decimal("2400"),
        "summary": "Auf dem Weg zum Einkaufen fehlen Bänke zum Ausruhen.",
        "text": "Beim Runden Tisch im März erzählte eine Bewohnerin, dass sie den Weg zum Markt nur mit "
                "Pause schafft. Sie wünscht sich drei Bänke zwischen Lindenhof und Markt. "
                "(Eingetragen vom Lindenhof-Team, mit ihrer Zustimmung.)",
        "status": S.PUBLISHED, "supports": [HANS, AYLIN], "assisted_supports": 1,
    },
    {
        "title": "Graffiti-Workshop an der Unterführung",
        "organisation": BRUECKENSCHLAG, "author": TOM, "call": "sommer", "category": "kultur",
        "planning": "together", "delivery": "together", "district": "Wesertor",
        "estimated_cost": Decimal("900"),
        "summary": "Jugendliche gestalten die graue Unterführung mit einer Künstlerin aus dem Viertel.",
        "text": "Der Beirat hat das Motiv ausgesucht, das Team hat die Genehmigung besorgt, gesprüht wird "
                "an zwei Ferienwochenenden zusammen.",
        "status": S.COMPLETED, "supports": [LENA, KARL],
        "comments": [(LENA, "Ich will unbedingt mitmachen!"),
                     (KARL, "Der Hausmeister der Schule hat eine Leiter für euch.")],
        "pledges": [(KARL, "money", None, Decimal("200"), "Für Farbe und Masken."),
                    (STAFF[BRUECKENSCHLAG], "contacts", None, None, "Kontakt zum Tiefbauamt für die Genehmigung.")],
        "hidden_comment": (TOM, "Der Typ vom Ordnungsamt ist ein Idiot.", LENA, "Beleidigung.",
                           "Ausgeblendet: persönlicher Angriff."),
    },
]


def seed(site):
    """Creates what is missing of the demo proposals in the organisations of ``site``; counts them for its line."""
    organisations = site.organisations
    people = {user.email: user for user in User.objects.filter(email__in=_emails())}
    categories = {
        slug: Category.objects.update_or_create(slug=slug, defaults={"name": name})[0] for slug, name in CATEGORIES
    }
    today = timezone.localdate()
    calls = {}
    for key, (slug, title, description, days) in CALLS.items():
        # Closed calls stay open while their answers are written, then close at the end.
        calls[key], _ = Call.objects.update_or_create(
            organisation=organisations[slug], title=title,
            defaults={"description": description, "deadline": today + timedelta(days=max(days, 1)),
                      "created_by": people[STAFF[slug]]},
        )
    for data in PROPOSALS:
        _seed_proposal(data, organisations, people, categories, calls)
    for key, (slug, title, description, days) in CALLS.items():
        Call.objects.filter(pk=calls[key].pk).update(deadline=today + timedelta(days=days))
    site.counts.append(f"{Proposal.objects.filter(title__in=[d['title'] for d in PROPOSALS]).count()} proposals")


def _emails():
    return set(STAFF.values()) | {HANS, AYLIN, LENA, KARL, GRETE, TOM, NADIA}


def _seed_proposal(data, organisations, people, categories, calls):
    organisation = organisations[data["organisation"]]
    staff = people[STAFF[data["organisation"]]]
    author = people[data["author"]] if data["author"] else None
    proposal = Proposal.objects.filter(organisation=organisation, title=data["title"]).first()
    if proposal is None:
        assisted = data.get("channel", Channel.ONLINE) != Channel.ONLINE
        proposal = services.proposal_create(
            author=author, organisation=organisation, title=data["title"], summary=data["summary"],
            text=data["text"], planning=data["planning"], delivery=data["delivery"],
            call=calls.get(data.get("call")), category=categories[data["category"]], district=data["district"],
            estimated_cost=data.get("estimated_cost"), publish=data["status"] != S.DRAFT,
            entered_by=staff if assisted else None, channel=data.get("channel", Channel.ONLINE),
            consent_recorded=assisted,
        )
    if proposal.status == S.DRAFT:
        return
    _seed_participation(proposal, data, people, staff)
    _move(proposal, data, staff)


def _seed_participation(proposal, data, people, staff):
    for email in data.get("supports", []):
        if not Support.objects.filter(proposal=proposal, user=people[email]).exists():
            services.proposal_support(proposal=proposal, user=people[email])
    missing = data.get("assisted_supports", 0) - Support.objects.filter(
        proposal=proposal, user=None, channel=Channel.ROUND_TABLE).count()
    for _ in range(max(missing, 0)):
        services.proposal_support(proposal=proposal, user=None, entered_by=staff, channel=Channel.ROUND_TABLE,
                                  consent_recorded=True)
    for email, text, *replies in data.get("comments", []):
        comment = _comment(proposal, people[email], text)
        for reply_email, reply_text in (replies[0] if replies else []):
            _comment(proposal, people[reply_email], reply_text, parent=comment)
    for email, kind, hours, amount, note in data.get("pledges", []):
        if not Pledge.objects.filter(proposal=proposal, user=people[email], kind=kind).exists():
            services.pledge_create(proposal=proposal, user=people[email], kind=kind, hours=hours, amount=amount,
                                   note=note)
    for reporter, comment_author, reason in data.get("reports", []):
        comment = Comment.objects.filter(proposal=proposal, author=people[comment_author]).first()
        if not Report.objects.filter(proposal=proposal, comment=comment, reporter=people[reporter]).exists():
            services.report_create(reporter=people[reporter], reason=reason, proposal=proposal, comment=comment)
    if "hidden_comment" in data:
        email, text, reporter, reason, public_reason = data["hidden_comment"]
        comment = _comment(proposal, people[email], text)
        if not Report.objects.filter(comment=comment, reporter=people[reporter]).exists():
            report = services.report_create(reporter=people[reporter], reason=reason, proposal=proposal,
                                            comment=comment)
            services.report_decide(report=report, moderator=staff, hide=True, reason=public_reason)


def _comment(proposal, author, text, parent=None):
    comment = Comment.objects.filter(proposal=proposal, author=author, text=text).first()
    return comment or services.comment_create(proposal=proposal, author=author, text=text, parent=parent)


def _move(proposal, data, staff):
    """Moves the proposal along its path to the wanted status, starting wherever it stands."""
    path = [S.PUBLISHED, *PATHS[data["status"]]]
    if proposal.status not in path:
        return  # someone moved it elsewhere on the demo site; leave it there
    responses = {**RESPONSES, **data.get("responses", {})}
    for step in path[path.index(proposal.status) + 1:]:
        actor = proposal.author if step == S.WITHDRAWN else staff
        proposal = services.proposal_set_status(
            proposal=proposal, actor=actor, to_status=step, response=responses.get(step, "")
        )
