"""Demo wiki for a local installation: one space per demo organisation, the shared space, linked
pages with a few revisions each by the demo people, and the four page templates.

Run by ``seed_demo`` (``seed(site)``) after the organisations and people exist. Idempotent: templates are
updated in place, a space is looked up by its slug and a page by its space and address, and only
a page that does not exist yet is written (through the services, revision by revision), so a
second run changes nothing. A former volunteer who left the Lindenhof owns two pages, so the
handover list has something to show, and one page was last edited more than a year ago, so it is
flagged for review. The other pages were written over the last months and edited since, each
revision at a moment drawn from ``site.random(title)``.
"""
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from notifications.demo import happened_at

from stakeholders import services as stakeholder_services
from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, ELIF, FULDAUFER, GRETE, HANS, JONAS, KARL, LENA, LICHTBLICK, LINDENHOF, MIRIAM, SARAH,
    TOM,
)
from stakeholders.models import Membership, User

from . import services
from .models import Page, PageTemplate, Revision, Space
from .slugs import slug_for

PAUL = "paul.wagner@demo.example"  # a former volunteer of the Lindenhof, created here

TEMPLATES = [
    ("uebergabe", "Übergabenotiz", "Für alle, die eine Aufgabe abgeben: was die Nächsten wissen müssen.",
     "## Worum es geht\n\nWelche Aufgabe gebe ich ab, seit wann habe ich sie gemacht?\n\n"
     "## Was regelmäßig ansteht\n\n- Wöchentlich: …\n- Monatlich: …\n- Einmal im Jahr: …\n\n"
     "## Wen man fragen kann\n\n- …\n\n## Wo Dinge liegen\n\nSchlüssel, Listen, Zugänge (keine Passwörter hier "
     "eintragen!): …\n\n## Was ich gern noch erledigt hätte\n\n- …\n"),
    ("so-machen-wir", "So machen wir …", "Ein Ablauf, wie er bei uns wirklich funktioniert.",
     "## Wofür\n\nWas soll am Ende erreicht sein, und für wen?\n\n## Vorher\n\n- …\n\n## Schritt für Schritt\n\n"
     "1. …\n2. …\n3. …\n\n## Danach\n\n- …\n\n## Was wir gelernt haben\n\n- …\n"),
    ("briefing", "Briefing für eine Aufgabe", "Was Ehrenamtliche vor ihrem ersten Einsatz lesen.",
     "## Die Aufgabe in zwei Sätzen\n\n…\n\n## Wann und wo\n\nTreffpunkt, Dauer, wie man hinkommt: …\n\n"
     "## Was du mitbringst\n\n- …\n\n## Worauf du achtest\n\n- …\n\n## Ansprechperson\n\n"
     "Wer ist vor Ort, wen rufe ich an, wenn etwas schiefgeht?\n\n## Kosten\n\nWas wird erstattet, und wie?\n"),
    ("protokoll-runder-tisch", "Protokoll eines Runden Tisches", "Wer war da, was wurde besprochen, wer macht was.",
     "## Datum und Ort\n\n…\n\n## Wer war da\n\n- …\n\n## Themen\n\n### 1. …\n\nWas gesagt wurde: …\n\n"
     "## Beschlüsse\n\n- …\n\n## Wer macht was bis wann\n\n| Was | Wer | Bis |\n|---|---|---|\n| … | … | … |\n\n"
     "## Nächstes Treffen\n\n…\n"),
]

SPACES = [
    # (slug, organisation slug or None, name, visibility, editors, description)
    ("lindenhof", LINDENHOF, "Wiki des Lindenhofs", "public", "members",
     "Wie wir im Nachbarschaftszentrum arbeiten: Abläufe, Übergaben und Protokolle. Alle Mitglieder schreiben mit."),
    ("brueckenschlag", BRUECKENSCHLAG, "Wiki von Brückenschlag", "members", "members",
     "Nur für Mitglieder: Abläufe im Jugendtreff und in der Lernhilfe."),
    ("fuldaufer", FULDAUFER, "Wiki des Pflegevereins", "public", "members",
     "Besuchsdienst, Spaziergänge und der Gesprächskreis für Angehörige."),
    ("lichtblick", LICHTBLICK, "Wiki der Beratungsstelle", "members", "staff",
     "Interne Abläufe der Beratung; schreiben dürfen die Fachkräfte."),
    ("gemeinsam", None, "Gemeinsames Wissen", "public", "signed_in",
     "Wissen über Organisationen hinweg: Was bei einem Träger funktioniert, hilft auch anderen."),
]

# (space, title, [(author, text, summary), …]); the first entry creates the page.
PAGES = [
    ("lindenhof", "Reparaturcafé", [
        (HANS, "Jeden ersten Samstag im Monat, 10 bis 14 Uhr, in der Werkstatt im Hof.\n\n## Ablauf\n\n"
               "1. Um 9:30 Uhr Tische aufstellen, Werkzeugwand aufschließen.\n2. Gäste tragen sich in die Liste ein.\n"
               "3. Wir reparieren **zusammen** mit den Gästen, nicht für sie.\n\nWer neu ist, liest zuerst "
               "[[So begrüßen wir neue Ehrenamtliche]].\n", "Erste Fassung"),
        (AYLIN, "Jeden ersten Samstag im Monat, 10 bis 14 Uhr, in der Werkstatt im Hof.\n\n## Ablauf\n\n"
                "1. Um 9:30 Uhr Tische aufstellen, Werkzeugwand aufschließen.\n2. Gäste tragen sich in die Liste ein.\n"
                "3. Wir reparieren **zusammen** mit den Gästen, nicht für sie.\n4. Um 14 Uhr fegen alle gemeinsam.\n\n"
                "## Sicherheit\n\nElektrogeräte prüft nur, wer eine Einweisung hatte. Der Feuerlöscher hängt neben "
                "der Tür.\n\nWer neu ist, liest zuerst [[So begrüßen wir neue Ehrenamtliche]]. Ersatzteile bestellen "
                "wir über die [[Kontakte im Viertel]].\n", "Sicherheit und Aufräumen ergänzt"),
        (MIRIAM, "Jeden ersten Samstag im Monat, 10 bis 14 Uhr, in der Werkstatt im Hof. Das Café wurde von "
                 "Nachbarinnen und Nachbarn vorgeschlagen und wird gemeinsam mit dem Team geplant.\n\n## Ablauf\n\n"
                 "1. Um 9:30 Uhr Tische aufstellen, Werkzeugwand aufschließen.\n2. Gäste tragen sich in die Liste ein.\n"
                 "3. Wir reparieren **zusammen** mit den Gästen, nicht für sie.\n4. Um 14 Uhr fegen alle gemeinsam.\n\n"
                 "## Sicherheit\n\nElektrogeräte prüft nur, wer eine Einweisung hatte. Der Feuerlöscher hängt neben "
                 "der Tür.\n\n## Kosten\n\nErsatzteile bis 20 € zahlt der Lindenhof; Quittung in die Kasse.\n\n"
                 "Wer neu ist, liest zuerst [[So begrüßen wir neue Ehrenamtliche]]. Ersatzteile bestellen "
                 "wir über die [[Kontakte im Viertel]]. Die Übergabe der Werkstatt steht in "
                 "[[Übergabe Fahrradwerkstatt]].\n", "Kosten geklärt, Link zur Übergabe"),
    ]),
    ("lindenhof", "So begrüßen wir neue Ehrenamtliche", [
        (MIRIAM, "Neue Leute kommen oft nur einmal, wenn sich niemand um sie kümmert.\n\n## Beim ersten Besuch\n\n"
                 "- Jemand aus dem Team nimmt sich zehn Minuten Zeit.\n- Wir zeigen Küche, Werkstatt und Café.\n"
                 "- Wir fragen, was die Person **kann und will** – nicht nur, wo gerade Hilfe fehlt.\n\n"
                 "## Danach\n\nNach zwei Wochen fragen wir nach, ob es passt. Abends gibt es Kinderbetreuung, damit "
                 "auch Eltern mitmachen können.\n", "Erste Fassung"),
        (AYLIN, "Neue Leute kommen oft nur einmal, wenn sich niemand um sie kümmert.\n\n## Beim ersten Besuch\n\n"
                "- Jemand aus dem Team nimmt sich zehn Minuten Zeit.\n- Wir zeigen Küche, Werkstatt und Café.\n"
                "- Wir fragen, was die Person **kann und will** – nicht nur, wo gerade Hilfe fehlt.\n"
                "- Wer mag, bekommt eine Patin oder einen Paten für die ersten Einsätze.\n\n"
                "## Danach\n\nNach zwei Wochen fragen wir nach, ob es passt. Abends gibt es Kinderbetreuung, damit "
                "auch Eltern mitmachen können. Fahrtkosten erstatten wir, siehe [[Reparaturcafé]].\n",
         "Patenschaften ergänzt"),
    ]),
    ("lindenhof", "Kontakte im Viertel", [
        (KARL, "| Wer | Wofür |\n|---|---|\n| Bäckerei am Markt | Brot vom Vortag für die Feierabendküche |\n"
               "| Fahrradladen Nordstadt | Ersatzteile zum Einkaufspreis |\n| Grundschule | Elternbeirat, Aushänge |\n",
         "Liste angefangen"),
        (HANS, "| Wer | Wofür |\n|---|---|\n| Bäckerei am Markt | Brot vom Vortag für die Feierabendküche |\n"
               "| Fahrradladen Nordstadt | Ersatzteile zum Einkaufspreis |\n| Grundschule | Elternbeirat, Aushänge |\n"
               "| Wohnungsbaugesellschaft | Hinterhof, Lampen am Durchgang |\n\nTelefonnummern stehen im Ordner im "
               "Büro, nicht hier.\n", "Wohnungsbaugesellschaft ergänzt"),
    ]),
    ("lindenhof", "Protokoll Runder Tisch März", [
        (MIRIAM, "## Wer war da\n\n- Bewohnerinnen und Bewohner (12)\n- Team Lindenhof\n- Jugendhilfe Brückenschlag\n\n"
                 "## Beschlüsse\n\n- Die [[Feierabendküche]] startet donnerstags ab 18 Uhr.\n- Drei Bänke an der "
                 "Lindenhofstraße werden beantragt.\n\n## Wer macht was\n\n| Was | Wer | Bis |\n|---|---|---|\n"
                 "| Einkaufsliste Küche | Aylin | April |\n| Antrag Bänke | Team | Mai |\n", "Protokoll"),
        (AYLIN, "## Wer war da\n\n- Bewohnerinnen und Bewohner (12)\n- Team Lindenhof\n- Jugendhilfe Brückenschlag\n\n"
                "## Beschlüsse\n\n- Die [[Feierabendküche]] startet donnerstags ab 18 Uhr, Kinder sind willkommen.\n"
                "- Drei Bänke an der Lindenhofstraße werden beantragt.\n\n## Wer macht was\n\n| Was | Wer | Bis |\n"
                "|---|---|---|\n| Einkaufsliste Küche | Aylin | April |\n| Antrag Bänke | Team | Mai |\n",
         "Kinder ergänzt, wie besprochen"),
    ]),
    ("lindenhof", "Übergabe Fahrradwerkstatt", [
        (PAUL, "## Worum es geht\n\nIch habe die Fahrradwerkstatt drei Jahre lang aufgeschlossen und das Werkzeug "
               "gepflegt. Ab Sommer ziehe ich weg.\n\n## Was regelmäßig ansteht\n\n- Monatlich: Flickzeug und "
               "Schläuche nachkaufen.\n- Im Frühjahr: Kettenöl, Bremsbeläge.\n\n## Wen man fragen kann\n\n- Hans "
               "kennt die Werkstatt fast so gut wie ich.\n\nSiehe auch [[Reparaturcafé]].\n", "Übergabe vor dem Umzug"),
    ]),
    ("lindenhof", "Werkzeugliste", [
        (PAUL, "- 2 Montageständer\n- Reifenheber (viele)\n- Drehmomentschlüssel – nur ausleihen gegen Unterschrift\n",
         "Liste der Werkstatt"),
    ]),
    ("brueckenschlag", "Hausaufgabenhilfe: Ablauf", [
        (JONAS, "Dienstag und Donnerstag, 15 bis 17 Uhr im Treff.\n\n## Grundsätze\n\n- Die Jugendlichen "
                "entscheiden, woran sie arbeiten.\n- Wir erklären, wir machen nichts vor.\n\nSiehe [[Jugendbeirat]].\n",
         "Erste Fassung"),
        (TOM, "Dienstag und Donnerstag, 15 bis 17 Uhr im Treff.\n\n## Grundsätze\n\n- Die Jugendlichen "
              "entscheiden, woran sie arbeiten.\n- Wir erklären, wir machen nichts vor.\n- Handys sind erlaubt, "
              "wenn sie beim Lernen helfen.\n\nSiehe [[Jugendbeirat]].\n", "Handyregel aus dem Beirat"),
    ]),
    ("brueckenschlag", "Jugendbeirat", [
        (LENA, "Der Beirat trifft sich jeden ersten Montag. Wir entscheiden über das Programm im Treff mit.\n",
         "Erste Fassung"),
    ]),
    ("fuldaufer", "Spaziergang mit Rollstuhl", [
        (ELIF, "## Vor dem Losgehen\n\n- Bremsen prüfen.\n- Fragen, ob eine Decke gewünscht ist.\n\n## Unterwegs\n\n"
               "Bordsteine rückwärts hinunter, langsam. Die ebene Strecke an der Fulda ist im [[Besuchsdienst]] "
               "beschrieben.\n", "Erste Fassung"),
        (HANS, "## Vor dem Losgehen\n\n- Bremsen prüfen.\n- Fragen, ob eine Decke gewünscht ist.\n- Reifendruck "
               "fühlen: zu weiche Reifen machen das Schieben schwer.\n\n## Unterwegs\n\nBordsteine rückwärts "
               "hinunter, langsam. Die ebene Strecke an der Fulda ist im [[Besuchsdienst]] beschrieben.\n",
         "Reifendruck"),
    ]),
    ("fuldaufer", "Besuchsdienst", [
        (ELIF, "Ehrenamtliche besuchen einmal pro Woche jemanden, der kaum noch aus dem Haus kommt.\n\nVor dem "
               "ersten Besuch: [[Spaziergang mit Rollstuhl]] lesen und mit Elif sprechen.\n", "Erste Fassung"),
        (GRETE, "Ehrenamtliche besuchen einmal pro Woche jemanden, der kaum noch aus dem Haus kommt.\n\nVor dem "
                "ersten Besuch: [[Spaziergang mit Rollstuhl]] lesen und mit Elif sprechen.\n\nAus Sicht der "
                "Angehörigen: Bitte vorher kurz anrufen, dann ist der Kaffee fertig.\n", "Hinweis von Angehörigen"),
    ]),
    ("lichtblick", "Offene Sprechstunde", [
        (SARAH, "Dienstags 10 bis 12 Uhr ohne Termin. Wartende bekommen eine Nummer; Dolmetschen per Telefon ist "
                "möglich.\n", "Erste Fassung"),
    ]),
    ("gemeinsam", "Koproduktion – was heißt das?", [
        (MIRIAM, "Fachkräfte und die Menschen, um die es geht, **planen und erbringen** Angebote gemeinsam – auf "
                 "Augenhöhe. Beispiele aus unseren Organisationen:\n\n- [[Ehrenamtliche gewinnen und halten]]\n"
                 "- Das Reparaturcafé im Lindenhof\n", "Erste Fassung"),
        (JONAS, "Fachkräfte und die Menschen, um die es geht, **planen und erbringen** Angebote gemeinsam – auf "
                "Augenhöhe. Beispiele aus unseren Organisationen:\n\n- [[Ehrenamtliche gewinnen und halten]]\n"
                "- Das Reparaturcafé im Lindenhof\n- Der Jugendbeirat bei Brückenschlag entscheidet über das "
                "Programm mit.\n\nOffen ist noch: [[Barrierefreie Treffen]].\n", "Beispiel aus der Jugendhilfe"),
    ]),
    ("gemeinsam", "Ehrenamtliche gewinnen und halten", [
        (ELIF, "## Was hilft\n\n- Kurze, planbare Einsätze statt „immer dabei“.\n- Kinderbetreuung bei Terminen am "
               "Abend.\n- Fahrtkosten erstatten, ohne dass man fragen muss.\n- Einsatzstunden sichtbar machen "
               "und bescheinigen.\n", "Erste Fassung"),
        (KARL, "## Was hilft\n\n- Kurze, planbare Einsätze statt „immer dabei“.\n- Kinderbetreuung bei Terminen am "
               "Abend.\n- Fahrtkosten erstatten, ohne dass man fragen muss.\n- Einsatzstunden sichtbar machen "
               "und bescheinigen.\n\n## Was schadet\n\n- Ehrenamtliche als Lückenbüßer einsetzen.\n- Entscheidungen, "
               "bei denen sie nicht gefragt wurden.\n", "Was schadet"),
        (MIRIAM, "## Was hilft\n\n- Kurze, planbare Einsätze statt „immer dabei“.\n- Kinderbetreuung bei Terminen am "
                 "Abend.\n- Fahrtkosten erstatten, ohne dass man fragen muss.\n- Einsatzstunden sichtbar machen "
                 "und bescheinigen.\n- Wissen aufschreiben, damit es bleibt – zum Beispiel mit einer Übergabenotiz.\n\n"
                 "## Was schadet\n\n- Ehrenamtliche als Lückenbüßer einsetzen.\n- Entscheidungen, bei denen sie nicht "
                 "gefragt wurden.\n", "Übergaben"),
    ]),
]
STALE = ("lindenhof", "Werkzeugliste")  # written long ago, so it is flagged for review
STALE_AGE = 420  # days
LEFT = 45  # days since the former volunteer left
WRITTEN_ON = {("lindenhof", "Protokoll Runder Tisch März"): (3, 20)}  # (month, day) of the meeting it records


def seed(site):
    """Creates what is missing of the demo wiki in the organisations of ``site``."""
    organisations = site.organisations
    with transaction.atomic():
        for position, (slug, name, description, text) in enumerate(TEMPLATES):
            PageTemplate.objects.update_or_create(
                organisation=None, slug=slug,
                defaults={"name": name, "description": description, "text": text, "position": position},
            )
        spaces = {}
        for slug, organisation, name, visibility, editors, description in SPACES:
            spaces[slug], _ = Space.objects.get_or_create(
                slug=slug,
                defaults={"organisation": organisations[organisation] if organisation else None, "name": name,
                          "visibility": visibility, "editors": editors, "description": description},
            )
        people = {user.email: user for user in User.objects.filter(email__in=_emails())}
        people[PAUL] = _former_volunteer(organisations[LINDENHOF])
        for space_slug, title, versions in PAGES:
            _seed_page(site, spaces[space_slug], title, versions, people)
        _leave(site, people[PAUL], organisations[LINDENHOF])


def _emails():
    return {MIRIAM, JONAS, ELIF, SARAH, HANS, AYLIN, LENA, KARL, GRETE, TOM}


def _former_volunteer(lindenhof):
    paul, created = User.objects.get_or_create(
        email=PAUL, defaults={"display_name": "Paul Wagner", "bio": "Hat drei Jahre die Fahrradwerkstatt betreut."},
    )
    if created:
        paul.set_unusable_password()
        paul.save(update_fields=["password"])
    if not Membership.objects.filter(user=paul, organisation=lindenhof).exists():
        Membership.objects.create(user=paul, organisation=lindenhof, role=Membership.Role.VOLUNTEER,
                                  status=Membership.Status.APPROVED)
    return paul


def _leave(site, paul, lindenhof):
    for membership in Membership.objects.active().filter(user=paul, organisation=lindenhof):
        with happened_at(site.ago(days=LEFT)):
            stakeholder_services.membership_leave(membership=membership, user=paul)
        Membership.objects.filter(pk=membership.pk).update(requested_at=site.ago(days=1300),
                                                           decided_at=site.ago(days=LEFT))


def _seed_page(site, space, title, versions, people):
    if Page.objects.filter(space=space, slug=slug_for(title)).exists():
        return
    moments = _moments(site, space.slug, title, versions)
    (author, text, summary), *edits = versions
    with happened_at(moments[0], Revision):
        page = services.page_create(space=space, author=people[author], title=title, text=text, summary=summary)
    page.space = space
    for number, ((author, text, summary), when) in enumerate(zip(edits, moments[1:]), start=1):
        with happened_at(when, Revision):
            services.page_save_revision(page=page, author=people[author], text=text, summary=summary,
                                        base_number=number)
    Page.objects.filter(pk=page.pk).update(created_at=moments[0], last_edited_at=moments[-1])


def _moments(site, space_slug, title, versions):
    """When each revision was saved: the first some months ago, the edits spread up to last week."""
    chance = site.random(f"wiki/{space_slug}/{title}")
    if (space_slug, title) in WRITTEN_ON:  # the last such day before today, corrected two days later
        month, day = WRITTEN_ON[space_slug, title]
        today = timezone.localdate(site.now)
        year = today.year if (month, day) < (today.month, today.day) else today.year - 1
        first = timezone.make_aware(datetime.combine(date(year, month, day), time(21)))
        last = first + timedelta(days=2, hours=-3)
    elif (space_slug, title) == STALE:
        first, last = site.ago(days=STALE_AGE + 30), site.ago(days=STALE_AGE)
    elif versions[0][0] == PAUL:  # written before he left
        first, last = site.ago(days=LEFT + chance.randint(60, 160)), site.ago(days=LEFT + 2)
    else:
        first, last = site.ago(days=chance.randint(25, 220)), site.ago(days=chance.randint(1, 20))
    if len(versions) == 1:
        return [site.awake(first)]
    between = sorted(first + (last - first) * chance.random() for _version in versions[2:])
    return [site.awake(moment) for moment in (first, *between, last)]
