"""Demo tasks and shifts for a local installation, created through the services.

Run by ``seed_demo`` (``seed(site)``) after the demo proposals and the demo wiki, which it
``NEEDS``: tasks belong to proposals, and a briefing link keeps the wiki page it names. Idempotent:
a task is looked up by its organisation and title, and only a task that does not exist yet is
created with its shifts and sign-ups, so a second run changes nothing. Dates are relative to the day of seeding. One shift
per organisation lies in the past with attendance marked, so certificates can be tried out;
since services refuse past dates, it is created ahead and then moved back in time.
"""
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from proposals.models import Proposal
from stakeholders.demo import (
    AYLIN, BRUECKENSCHLAG, FULDAUFER, GRETE, HANS, KARL, LENA, LICHTBLICK, LINDENHOF, NADIA, STAFF, TOM,
)
from stakeholders.models import User

from . import services
from .models import BriefingLink, Shift, Skill, Task

NEEDS = ("proposals", "wiki")

SKILLS = [
    ("erste-hilfe", "Erste Hilfe"), ("fahrradreparatur", "Fahrradreparatur"), ("kochen", "Kochen für viele"),
    ("rollstuhl", "Umgang mit Rollstuhl und Rollator"), ("nachhilfe", "Nachhilfe"), ("arabisch", "Arabisch"),
    ("tuerkisch", "Türkisch"), ("moderation", "Moderation"),
]

# A shift: (days from today, start hour, end hour, places, people in the order they sign up).
# More people than places end up on the waitlist; "past" shifts get their attendance marked.
TASKS = [
    {
        "organisation": LINDENHOF, "proposal": "Reparaturcafé jeden ersten Samstag",
        "title": "Mitschrauben im Reparaturcafé", "skills": ["fahrradreparatur"],
        "purpose": "Wir reparieren mit den Gästen zusammen Fahrräder, Toaster und Lampen. Niemand muss alles "
                   "können: Wer zuschaut und Werkzeug reicht, hilft auch.",
        "location": "Lindenhofstraße 12, Werkstatt im Hof", "effort_note": "Drei Stunden, Pausen jederzeit",
        "first_timer_friendly": True, "expenses_reimbursed": True, "accessible_venue": True,
        "languages": "Deutsch, Englisch",
        "shifts": [(-12, 10, 13, 3, [HANS], "past"), (5, 10, 13, 2, [HANS, TOM]), (12, 10, 13, 3, [AYLIN])],
        "briefing": [("So läuft ein Reparaturcafé ab", "/wiki/lindenhof/reparaturcafe/")],
    },
    {
        "organisation": LINDENHOF, "proposal": "Nachbarschaftscafé im Hinterhof",
        "title": "Kuchen backen und Café-Dienst", "skills": ["kochen"],
        "purpose": "Das Café im Hinterhof öffnet sonntags. Wir suchen Menschen, die einen Kuchen mitbringen "
                   "oder zwei Stunden hinter der Theke stehen.",
        "location": "Hinterhof Lindenhofstraße 12", "effort_note": "Zwei Stunden, viel im Stehen",
        "childcare_offered": True, "languages": "Deutsch, Türkisch",
        "shifts": [(6, 14, 16, 1, [KARL, AYLIN, TOM])],
    },
    {
        "organisation": LINDENHOF, "kind": "meeting", "title": "Runder Tisch Nordstadt", "skills": ["moderation"],
        "purpose": "Bewohnerinnen, Vereine und Fachkräfte planen gemeinsam, was im Viertel als Nächstes kommt. "
                   "Jede Stimme zählt gleich viel.",
        "location": "Großer Saal im Lindenhof", "effort_note": "Zwei Stunden am Abend",
        "childcare_offered": True, "accessible_venue": True, "expenses_reimbursed": True,
        "first_timer_friendly": True, "languages": "Deutsch, Englisch, Türkisch",
        "shifts": [(9, 18, 20, 25, [AYLIN, KARL, HANS])],
    },
    {
        "organisation": FULDAUFER, "title": "Spaziergang mit Bewohnerinnen und Bewohnern", "skills": ["rollstuhl"],
        "purpose": "Eine Stunde an der Fulda entlang, zu zweit mit jemandem aus dem Haus, der allein nicht "
                   "mehr vor die Tür kommt. Vorher zeigen wir, wie man einen Rollstuhl sicher schiebt.",
        "location": "Uferweg 8, Treffpunkt am Empfang", "effort_note": "Eine Stunde, ebene Wege",
        "accessible_venue": True, "first_timer_friendly": True,
        "shifts": [(-5, 15, 16, 2, [HANS, GRETE], "past"), (3, 15, 16, 2, [GRETE, HANS]), (10, 15, 16, 4, [])],
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
        "organisation": BRUECKENSCHLAG, "title": "Aufbau fürs Sommerfest im Jugendtreff",
        "purpose": "Bänke tragen, Girlanden aufhängen, den Grill anwerfen. Danach feiern wir zusammen.",
        "location": "Am Brückenhof 3", "effort_note": "Vier Stunden, körperlich anstrengend",
        "expenses_reimbursed": True, "first_timer_friendly": True,
        "shifts": [(-20, 10, 14, 6, [TOM, KARL], "past"), (14, 10, 14, 6, [LENA])],
    },
    {
        "organisation": LICHTBLICK, "proposal": "Antragslotsen: Ehrenamtliche helfen beim Papierkram",
        "title": "Sprechstunde der Antragslotsen", "skills": ["arabisch", "tuerkisch"],
        "purpose": "Ratsuchende bringen ihre Formulare mit, Lotsinnen und Lotsen helfen beim Ausfüllen nach "
                   "unserem Leitfaden. Eine Fachkraft ist immer im Haus.",
        "location": "Groner Landstraße 40, Raum 2", "effort_note": "Drei Stunden, am Tisch",
        "accessible_venue": True, "languages": "Deutsch, Arabisch, Türkisch",
        "shifts": [(4, 9, 12, 1, [KARL, NADIA])],
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


def _at(days, hour):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


@transaction.atomic
def seed(site):
    """Creates the demo tasks that are missing, in the organisations of ``site``."""
    organisations = site.organisations
    people = {user.email: user for user in User.objects.filter(email__in=[*STAFF.values(), HANS, AYLIN, LENA, KARL,
                                                                           GRETE, TOM, NADIA])}
    if set(organisations) < set(STAFF) or len(people) < len(STAFF) + 7:
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
            _seed_task(data, organisation, people[STAFF[data["organisation"]]], people, skills)


def _seed_task(data, organisation, staff, people, skills):
    proposal = Proposal.objects.filter(organisation=organisation, title=data.get("proposal", "")).first()
    fields = {name: data[name] for name in FIELDS if name in data}
    task = services.task_create(
        organisation=organisation, actor=staff, title=data["title"], purpose=data["purpose"], proposal=proposal,
        skills=[skills[slug] for slug in data.get("skills", [])], **fields,
    )
    for title, url in data.get("briefing", []):
        BriefingLink.objects.create(task=task, title=title, url=url)
    for days, start, end, places, emails, *kind in data["shifts"]:
        kind = kind[0] if kind else ""
        past = kind == "past"
        if kind == "window":  # a flexible task: one window of four weeks
            starts_at, ends_at = _at(days, start), _at(days + 28, end)
        else:
            starts_at, ends_at = _at(30 if past else days, start), _at(30 if past else days, end)
        shift = services.shift_create(task=task, actor=staff, starts_at=starts_at, ends_at=ends_at, capacity=places)
        if data.get("publish", True) and task.status == Task.Status.DRAFT:
            task = services.task_publish(task=task, actor=staff)
        records = [services.shift_sign_up(shift=shift, user=people[email]) for email in emails]
        if past:
            _move_into_the_past(shift, _at(days, start), _at(days, end))
            for record in records:
                services.attendance_mark(sign_up=record, actor=staff, attended=True)
    return task


def _move_into_the_past(shift, starts_at, ends_at):
    shift.starts_at, shift.ends_at = starts_at, ends_at
    Shift.objects.filter(pk=shift.pk).update(starts_at=starts_at, ends_at=ends_at,
                                             signup_closes_at=shift.compute_signup_closes_at())
