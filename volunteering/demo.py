"""Demo tasks and shifts for a local installation, created through the services.

Run by ``seed_demo`` (``seed(site)``) after the demo proposals and the demo wiki, which it
``NEEDS``: tasks belong to proposals, and a briefing link keeps the wiki page it names. Idempotent:
a task is looked up by its organisation and title, and only a task that does not exist yet is
created with its shifts and sign-ups, so a second run changes nothing. Dates are relative to the
moment of seeding: past shifts (done, attendance and hours marked; one at Brückenschlag left for
its staff to mark) and the coming weeks (open, nearly full, full with a waitlist, some needing
people soon). Since services refuse past dates, a past shift is created ahead, signed up for and
then moved back in time. Hans, the demo volunteer, has hours in several months and a certificate.
"""
import uuid
from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coproduction.demo_pictures import drawn
from notifications.demo import happened_at
from notifications.messaging import message_send
from notifications.models import Message
from proposals.models import Proposal
from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, FULDAUFER, GRETE, HANS, KARL, LENA, LICHTBLICK, LINDENHOF, NADIA, STAFF, TOM,
    _everyone, neighbour as N,
)
from stakeholders.models import User

from . import services
from .models import BriefingLink, Certificate, Shift, SignUp, Skill, Task

NEEDS = ("proposals", "wiki")

SKILLS = [
    ("erste-hilfe", "Erste Hilfe"), ("fahrradreparatur", "Fahrradreparatur"), ("kochen", "Kochen für viele"),
    ("rollstuhl", "Umgang mit Rollstuhl und Rollator"), ("nachhilfe", "Nachhilfe"), ("arabisch", "Arabisch"),
    ("tuerkisch", "Türkisch"), ("moderation", "Moderation"),
]

# A shift: (days from today, start hour, end hour, places, people in the order they sign up, kind).
# More people than places end up on the waitlist. Kinds: "past" (attendance and hours marked),
# "unmarked" (past, attendance still to be marked), "window" (a flexible task's four weeks).
# "weekday" (0 = Monday) moves each shift to the nearest such day, as a weekly or monthly slot would be.
# "hours": {(shift number, email): hours} where someone stayed shorter or longer than the shift.
TASKS = [
    {
        "organisation": LINDENHOF, "proposal": "Reparaturcafé jeden ersten Samstag",
        "title": "Mitschrauben im Reparaturcafé", "skills": ["fahrradreparatur"], "weekday": 5,
        "purpose": "Wir reparieren mit den Gästen zusammen Fahrräder, Toaster und Lampen. Niemand muss alles "
                   "können: Wer zuschaut und Werkzeug reicht, hilft auch.",
        "location": "Lindenhofstraße 12, Werkstatt im Hof", "effort_note": "Drei Stunden, Pausen jederzeit",
        "first_timer_friendly": True, "expenses_reimbursed": True, "accessible_venue": True,
        "languages": "Deutsch, Englisch",
        "shifts": [(-96, 10, 13, 3, [HANS, N("dieter")], "past"), (-68, 10, 13, 3, [HANS, TOM, N("dieter")], "past"),
                   (-40, 10, 13, 3, [HANS, N("anna")], "past"), (-12, 10, 13, 3, [HANS, N("dieter"), TOM], "past"),
                   (5, 10, 13, 3, [HANS, TOM]), (33, 10, 13, 3, [N("dieter")])],
        "hours": {(1, TOM): "2", (3, HANS): "4"},
        "briefing": [("So läuft ein Reparaturcafé ab", "/wiki/lindenhof/reparaturcafe/")],
    },
    {
        "organisation": LINDENHOF, "proposal": "Nachbarschaftscafé im Hinterhof",
        "title": "Kuchen backen und Café-Dienst", "skills": ["kochen"], "weekday": 6,
        "purpose": "Das Café im Hinterhof öffnet sonntags. Wir suchen Menschen, die einen Kuchen mitbringen "
                   "oder zwei Stunden hinter der Theke stehen.",
        "location": "Hinterhof Lindenhofstraße 12", "effort_note": "Zwei Stunden, viel im Stehen",
        "childcare_offered": True, "languages": "Deutsch, Türkisch",
        "shifts": [(6, 14, 16, 1, [KARL, AYLIN, TOM]), (13, 14, 16, 2, [N("anna")])],
    },
    {
        "organisation": LINDENHOF, "kind": "meeting", "title": "Runder Tisch Nordstadt", "skills": ["moderation"],
        "purpose": "Bewohnerinnen, Vereine und Fachkräfte planen gemeinsam, was im Viertel als Nächstes kommt. "
                   "Jede Stimme zählt gleich viel.",
        "location": "Großer Saal im Lindenhof", "effort_note": "Zwei Stunden am Abend", "weekday": 2,
        "childcare_offered": True, "accessible_venue": True, "expenses_reimbursed": True,
        "first_timer_friendly": True, "languages": "Deutsch, Englisch, Türkisch",
        "shifts": [(-21, 18, 20, 25, [AYLIN, KARL, HANS, N("ingrid"), N("murat"), N("jan")], "past"),
                   (9, 18, 20, 25, [AYLIN, KARL, HANS, N("petra"), N("fatma"), N("swetlana"), N("moritz")])],
    },
    {
        "organisation": FULDAUFER, "title": "Spaziergang mit Bewohnerinnen und Bewohnern", "skills": ["rollstuhl"],
        "weekday": 1,
        "purpose": "Eine Stunde an der Fulda entlang, zu zweit mit jemandem aus dem Haus, der allein nicht "
                   "mehr vor die Tür kommt. Vorher zeigen wir, wie man einen Rollstuhl sicher schiebt.",
        "location": "Uferweg 8, Treffpunkt am Empfang", "effort_note": "Eine Stunde, ebene Wege",
        "accessible_venue": True, "first_timer_friendly": True,
        "shifts": [(-54, 15, 16, 2, [HANS, N("werner")], "past"), (-33, 15, 16, 2, [HANS, GRETE], "past"),
                   (-5, 15, 16, 2, [HANS, N("werner")], "past"), (3, 15, 16, 2, [GRETE, HANS]),
                   (10, 15, 16, 4, [N("werner")]), (17, 15, 16, 4, [])],
        "hours": {(0, HANS): "1.5"},
    },
    {
        "organisation": BRUECKENSCHLAG, "title": "Lernpatenschaft per Videoanruf", "skills": ["nachhilfe"],
        "purpose": "Eine Jugendliche aus dem Treff bereitet sich auf den Schulabschluss vor. Zwei Stunden pro "
                   "Woche, wann es euch beiden passt, von zu Hause aus.",
        "is_remote": True, "is_flexible": True, "estimated_hours": Decimal("8"),
        "effort_note": "Etwa acht Stunden im Monat",
        "languages": "Deutsch, Englisch",
        "shifts": [(1, 8, 20, 2, [TOM], "window")],
    },
    {
        "organisation": BRUECKENSCHLAG, "title": "Hausaufgabenhilfe im Treff", "skills": ["nachhilfe"], "weekday": 1,
        "purpose": "Dienstags helfen wir Jugendlichen bei den Hausaufgaben. Erklären, nicht vormachen: "
                   "Die Jugendlichen entscheiden, woran sie arbeiten.",
        "location": "Am Brückenhof 3, Lernraum", "effort_note": "Zwei Stunden am Nachmittag",
        "first_timer_friendly": True, "languages": "Deutsch, Englisch, Arabisch",
        "shifts": [(-14, 15, 17, 3, [TOM, N("leon")], "past"), (-7, 15, 17, 3, [TOM, N("leon")], "past"),
                   (-2, 15, 17, 3, [TOM, N("leon")], "unmarked"), (2, 15, 17, 3, [N("leon")]),
                   (9, 15, 17, 3, [TOM])],
    },
    {
        "organisation": BRUECKENSCHLAG, "title": "Aufbau und Abbau bei Festen im Jugendtreff",
        "purpose": "Bänke tragen, Girlanden aufhängen, den Grill oder den Glühweintopf anwerfen. Danach feiern "
                   "wir zusammen.",
        "location": "Am Brückenhof 3", "effort_note": "Vier Stunden, körperlich anstrengend",
        "expenses_reimbursed": True, "first_timer_friendly": True,
        "shifts": [(-150, 10, 14, 6, [TOM, KARL, N("leon"), HANS], "past"),
                   (14, 10, 14, 6, [LENA, N("leon"), KARL, N("jamal"), N("emma")])],
    },
    {
        "organisation": LICHTBLICK, "proposal": "Antragslotsen: Ehrenamtliche helfen beim Papierkram",
        "title": "Sprechstunde der Antragslotsen", "skills": ["arabisch", "tuerkisch"], "weekday": 3,
        "purpose": "Ratsuchende bringen ihre Formulare mit, Lotsinnen und Lotsen helfen beim Ausfüllen nach "
                   "unserem Leitfaden. Eine Fachkraft ist immer im Haus.",
        "location": "Groner Landstraße 40, Raum 2", "effort_note": "Drei Stunden, am Tisch",
        "accessible_venue": True, "languages": "Deutsch, Arabisch, Türkisch",
        "shifts": [(-13, 9, 12, 2, [N("marta"), KARL], "past"), (4, 9, 12, 1, [KARL, NADIA]),
                   (11, 9, 12, 2, [N("marta")])],
    },
    {
        "organisation": LICHTBLICK, "title": "Schulung für neue Antragslotsen", "publish": False,
        "purpose": "Ein Vormittag Einführung in den Leitfaden, Datenschutz und die Grenzen der Hilfe.",
        "location": "Groner Landstraße 40, Seminarraum", "effort_note": "Vier Stunden",
        "shifts": [(21, 9, 13, 12, [])],
    },
]
FIELDS = ["kind", "location", "is_remote", "effort_note", "childcare_offered", "expenses_reimbursed",
          "accessible_venue", "languages", "first_timer_friendly", "is_flexible", "estimated_hours"]
PROFILES = {
    HANS: (["fahrradreparatur", "rollstuhl"], [(2, time(9), time(13)), (6, time(9), time(14))]),
    TOM: (["nachhilfe"], [(day, time(15), time(19)) for day in range(1, 6)]),
    AYLIN: (["kochen", "tuerkisch"], [(4, time(17), time(21))]),
}
# The demo volunteer's certificate: from the Lindenhof, for the shifts up to a few days ago.
CERTIFICATE = (HANS, LINDENHOF, 4)
PARKED = 300  # days ahead where past shifts wait while people sign up for them


@transaction.atomic
def seed(site):
    """Creates the demo tasks that are missing, in the organisations of ``site``."""
    organisations = site.organisations
    people = {user.email: user for user in User.objects.filter(email__in=[email for email, *_ in _everyone()])}
    if set(organisations) < set(STAFF) or not all(email in people for email in [*STAFF.values(), HANS, TOM]):
        return  # the demo organisations and people come first (stakeholders' demo)
    skills = {slug: Skill.objects.update_or_create(slug=slug, defaults={"name": name})[0] for slug, name in SKILLS}
    for email, (skill_slugs, availability) in PROFILES.items():
        profile = services.volunteer_profile_get(user=people[email])
        if not profile.availability.exists():
            services.volunteer_profile_update(user=people[email], skills=[skills[s] for s in skill_slugs],
                                              availability=availability)
    for data in TASKS:
        organisation = organisations[data["organisation"]]
        if not Task.objects.filter(organisation=organisation, title=data["title"]).exists():
            _seed_task(site, data, organisation, people[STAFF[data["organisation"]]], people, skills)
    _certificate(site, people, organisations)
    _message(site, people, organisations)


def _day(site, days, weekday):
    """``days`` from today, moved to the nearest ``weekday`` if that stays on the same side of today."""
    if weekday is None:
        return days
    today = timezone.localdate(site.now).weekday()
    nearest = min(range(days - 3, days + 4), key=lambda d: (((today + d) % 7) != weekday, abs(d - days)))
    return nearest if (nearest > 0) == (days > 0) and nearest != 0 else days


def _seed_task(site, data, organisation, staff, people, skills):
    chance = site.random(data["title"])
    shifts = [(_day(site, days, data.get("weekday")), *rest) for days, *rest in data["shifts"]]
    first = min(days for days, *_rest in shifts)
    published = site.on_day(min(first - 10, -3), 10) - timedelta(minutes=chance.randint(0, 300))
    proposal = Proposal.objects.filter(organisation=organisation, title=data.get("proposal", "")).first()
    fields = {name: data[name] for name in FIELDS if name in data}
    with happened_at(published):
        task = services.task_create(
            organisation=organisation, actor=staff, title=data["title"], purpose=data["purpose"], proposal=proposal,
            skills=[skills[slug] for slug in data.get("skills", [])], **fields,
        )
        for title, url in data.get("briefing", []):
            BriefingLink.objects.create(task=task, title=title, url=url)
    Task.objects.filter(pk=task.pk).update(created_at=published - timedelta(hours=2))
    for number, (days, start, end, places, emails, *kind) in enumerate(shifts):
        kind = kind[0] if kind else ""
        past = kind in ("past", "unmarked")
        if kind == "window":  # a flexible task: one window of four weeks
            starts_at, ends_at = site.on_day(days, start), site.on_day(days + 28, end)
        else:
            starts_at, ends_at = site.on_day(PARKED + days if past else days, start), site.on_day(
                PARKED + days if past else days, end)
        # Shifts are added a few weeks ahead (and never later than a while ago); people sign up between
        # then and the shift.
        added = min(max(published, site.on_day(days - 30, 11)), site.ago(hours=2)) if days > -150 else published
        signing_until = min(site.on_day(days, start) - timedelta(hours=3), site.ago(hours=1))
        with happened_at(added, Shift):
            shift = services.shift_create(task=task, actor=staff, starts_at=starts_at, ends_at=ends_at,
                                          capacity=places)
            if data.get("publish", True) and task.status == Task.Status.DRAFT:
                task = services.task_publish(task=task, actor=staff)
                Task.objects.filter(pk=task.pk).update(published_at=published)
        moments = sorted(site.awake(added + (signing_until - added) * chance.random(), latest=signing_until)
                         for _email in emails)
        records = []
        for when, email in zip(moments, emails):
            with happened_at(when):
                records.append(services.shift_sign_up(shift=shift, user=people[email]))
            SignUp.objects.filter(pk=records[-1].pk).update(
                created_at=when, confirmed_at=when if records[-1].confirmed_at else None)
        if past:
            _move_into_the_past(shift, site.on_day(days, start), site.on_day(days, end))
        if kind == "past":
            marked = site.awake(site.on_day(days, end) + timedelta(hours=chance.randint(2, 30)),
                                latest=site.ago(hours=2))
            for record in records:
                if record.status != SignUp.Status.CONFIRMED:
                    continue
                hours = data.get("hours", {}).get((number, record.user.email))
                with happened_at(marked):
                    services.attendance_mark(sign_up=record, actor=staff, attended=True, hours=hours)
                SignUp.objects.filter(pk=record.pk).update(attendance_marked_at=marked, updated_at=marked)
    return task


def _move_into_the_past(shift, starts_at, ends_at):
    shift.starts_at, shift.ends_at = starts_at, ends_at
    Shift.objects.filter(pk=shift.pk).update(starts_at=starts_at, ends_at=ends_at,
                                             signup_closes_at=shift.compute_signup_closes_at())


def _certificate(site, people, organisations):
    """The demo volunteer downloaded a certificate of their hours a few days ago."""
    email, slug, days_ago = CERTIFICATE
    person, organisation = people[email], organisations[slug]
    if Certificate.objects.filter(user=person, organisation=organisation).exists():
        return
    attended = SignUp.objects.attended().filter(user=person, hours__gt=0).in_organisation(organisation)
    first = attended.order_by("shift__starts_at").values_list("shift__starts_at", flat=True).first()
    if first is None:
        return
    issued = site.ago(days=days_ago, hours=3)
    period_start = timezone.localtime(first).date().replace(day=1)
    with happened_at(issued):
        certificate = services.certificate_issue(user=person, organisation=organisation, period_start=period_start,
                                                 period_end=timezone.localtime(issued).date())
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=issued)


def _message(site, people, organisations):
    """A message from staff to the volunteers of a coming shift, as one writes when a meeting point moves."""
    subject = "Treffpunkt am Samstag: Hintereingang"
    if Message.objects.filter(subject=subject).exists():
        return
    organisation = organisations[LINDENHOF]
    shift = (Shift.objects.upcoming(site.now).filter(task__organisation=organisation, confirmed_count__gt=0)
             .order_by("starts_at").first())
    if shift is None:
        return
    with happened_at(site.ago(hours=20), Message):
        message_send(author=people[STAFF[LINDENHOF]], value=f"shift:{shift.pk}", subject=subject, key=uuid.uuid4(),
                     body="Liebe Helferinnen und Helfer, der Haupteingang wird gestrichen. Bitte kommen Sie "
                          "durch den Hintereingang im Hof.\n\nVielen Dank und bis bald!")


def settle(site):
    """A drawn picture for the repair café's task, once."""
    task = Task.objects.filter(title="Mitschrauben im Reparaturcafé", image__isnull=True).only("id").first()
    if task is not None:
        Task.objects.filter(pk=task.pk).update(image=drawn("bicycle", seed=task.title, alt="Zeichnung: ein grünes Fahrrad"))
