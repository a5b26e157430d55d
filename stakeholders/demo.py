"""The demo organisations, their network and people in every role; the apps' demos build on them.

The first demo seed_demo runs (see coproduction.contracts): every app's ``demo.py`` offers
``seed(site)``, which creates what is missing of its demo content, so a second run changes nothing.
``site`` is the DemoSite below: the demo organisations by slug, and the closing line's counts and
notes. The demos run in INSTALLED_APPS order; one that builds on the demo content of an app listed
after it names that app in its ``NEEDS`` and waits for it.

The names here are the demo's fixed points: the apps' demos find the organisations and people by them.

The demo tells a story of the last months, dated relative to the moment of seeding (``site.now``):
rows are made through the services, so every kept counter is right, and then dated back with
``update()``. Chance comes from ``site.random(key)``, seeded by a fixed text and the key, so every
run tells the same story, and adding one proposal does not reshuffle the others.
"""
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coproduction.demo_pictures import drawn

from .models import Membership, Organisation, User
from .services import membership_request

LINDENHOF = "nachbarschaftszentrum-lindenhof"
BRUECKENSCHLAG = "jugendhilfe-brueckenschlag"
FULDAUFER = "pflegeverein-fuldaufer"
LICHTBLICK = "beratungsstelle-lichtblick"

MIRIAM, JONAS, ELIF, SARAH = ("miriam.koch@demo.example", "jonas.weber@demo.example",
                              "elif.yilmaz@demo.example", "sarah.brandt@demo.example")
HANS, AYLIN, LENA, KARL = ("hans.lehmann@demo.example", "aylin.demir@demo.example",
                           "lena.schubert@demo.example", "karl.fischer@demo.example")
GRETE, TOM, NADIA = "grete.meyer@demo.example", "tom.becker@demo.example", "nadia.haddad@demo.example"

# Who answers for each organisation.
STAFF = {LINDENHOF: MIRIAM, BRUECKENSCHLAG: JONAS, FULDAUFER: ELIF, LICHTBLICK: SARAH}

# The people of the neighbourhoods who support, comment and vote without a part of their own in the
# story: first name → (email, display name, organisation, role). ``neighbour("ingrid")`` is her email.
NEIGHBOURS = {
    "ingrid": ("ingrid.wolf@demo.example", "Ingrid Wolf", LINDENHOF, "citizen"),
    "murat": ("murat.arslan@demo.example", "Murat Arslan", LINDENHOF, "citizen"),
    "petra": ("petra.hoffmann@demo.example", "Petra Hoffmann", LINDENHOF, "citizen"),
    "dieter": ("dieter.krause@demo.example", "Dieter Krause", LINDENHOF, "volunteer"),
    "swetlana": ("swetlana.iwanowa@demo.example", "Swetlana Iwanowa", LINDENHOF, "citizen"),
    "jan": ("jan.richter@demo.example", "Jan Richter", LINDENHOF, "citizen"),
    "fatma": ("fatma.oezdemir@demo.example", "Fatma Özdemir", LINDENHOF, "citizen"),
    "sabine": ("sabine.klein@demo.example", "Sabine Klein", LINDENHOF, "supporter"),
    "moritz": ("moritz.braun@demo.example", "Moritz Braun", LINDENHOF, "citizen"),
    "anna": ("anna.nowak@demo.example", "Anna Nowak", LINDENHOF, "volunteer"),
    "jamal": ("jamal.saleh@demo.example", "Jamal Saleh", BRUECKENSCHLAG, "client"),
    "emma": ("emma.vogel@demo.example", "Emma Vogel", BRUECKENSCHLAG, "client"),
    "leon": ("leon.hartmann@demo.example", "Leon Hartmann", BRUECKENSCHLAG, "volunteer"),
    "mia": ("mia.schulz@demo.example", "Mia Schulz", BRUECKENSCHLAG, "client"),
    "noah": ("noah.kaiser@demo.example", "Noah Kaiser", BRUECKENSCHLAG, "client"),
    "gisela": ("gisela.roth@demo.example", "Gisela Roth", FULDAUFER, "client"),
    "werner": ("werner.schmitt@demo.example", "Werner Schmitt", FULDAUFER, "volunteer"),
    "renate": ("renate.lang@demo.example", "Renate Lang", FULDAUFER, "client"),
    "helga": ("helga.frank@demo.example", "Helga Frank", FULDAUFER, "supporter"),
    "olga": ("olga.petrenko@demo.example", "Olga Petrenko", LICHTBLICK, "client"),
    "yusuf": ("yusuf.cakir@demo.example", "Yusuf Çakır", LICHTBLICK, "client"),
    "marta": ("marta.kowalski@demo.example", "Marta Kowalski", LICHTBLICK, "volunteer"),
}


def neighbour(first_name):
    return NEIGHBOURS[first_name][0]


@dataclass
class DemoSite:
    """What the apps' demos share while seed_demo runs them."""

    organisations: dict = field(default_factory=dict)  # slug → Organisation, filled by this demo first
    counts: list = field(default_factory=list)  # what the closing line counts, such as "9 proposals"
    notes: list = field(default_factory=list)  # sentences after the counts, such as how to sign in
    now: datetime = field(default_factory=timezone.now)  # the moment of seeding; the story ends here

    def random(self, key):
        """The same chance on every run for the same key (a proposal's title, a budget's slug)."""
        return random.Random(f"{SEED}/{key}")

    def ago(self, days=0, hours=0, minutes=0):
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    def on_day(self, days, hour, minute=0):
        """``hour`` o'clock local time on the day ``days`` from today (negative: in the past)."""
        day = timezone.localdate(self.now) + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def awake(self, moment, latest=None):
        """The moment moved into the waking hours of its day (7 to 22 o'clock), never later than
        ``latest`` nor into the future: people write and sign up by day. The mapping keeps every
        order (a reply stays after what it answers), since it only stretches the clock of each day."""
        offset = timezone.localtime(self.now).utcoffset()  # one offset for the whole story keeps the order
        wall = moment + offset
        midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
        waking = midnight + timedelta(hours=7) + (wall - midnight) * 15 / 24 - offset
        return min(waking, self.now - (self.now - moment) / 2, *([latest] if latest else []))

    def people_for(self, organisation_slug, key, count, exclude=()):
        """``count`` emails of people who would plausibly take part in something of this organisation:
        its members first, then people of the partner neighbourhoods, in a shuffled but fixed order."""
        chance = self.random(f"people/{key}")
        own = sorted(email for email, *_rest, slug, _role in _everyone() if slug == organisation_slug)
        others = sorted(email for email, *_rest, slug, _role in _everyone() if slug != organisation_slug)
        chance.shuffle(own)
        chance.shuffle(others)
        return [email for email in own + others if email not in exclude][:count]

    @classmethod
    def seeded(cls):
        """The site as an earlier run left it, for running one app's demo again on its own."""
        return cls(organisations={o.slug: o for o in Organisation.objects.filter(slug__in=STAFF)})


DEMO_PASSWORD = "koproduktion-demo"
SEED = "koproduktion-demo-2"  # change it to tell the story with other chances

ORGANISATIONS = [
    {
        "slug": "nachbarschaftszentrum-lindenhof",
        "name": "Nachbarschaftszentrum Lindenhof",
        "city": "Kassel",
        "district": "Nordstadt",
        "address": "Lindenhofstraße 12",
        "contact_email": "hallo@lindenhof.example",
        "contact_phone": "0561 000 1201",
        "purpose": (
            "Wir sind der Ort, an dem sich die Nordstadt trifft. Wer hier wohnt, soll mitbestimmen, "
            "was im Viertel passiert – und mit anpacken können, wenn es um die eigene Nachbarschaft geht."
        ),
        "description": (
            "Im Lindenhof gibt es ein offenes Café, eine Fahrradwerkstatt, Sprachtreffs und einen "
            "Mittagstisch. Das meiste davon ist aus Ideen von Nachbarinnen und Nachbarn entstanden.\n\n"
            "Einmal im Monat laden wir zum Runden Tisch ein: Bewohner, Vereine und Fachkräfte planen "
            "dort gemeinsam, was als Nächstes kommt."
        ),
    },
    {
        "slug": "jugendhilfe-brueckenschlag",
        "name": "Jugendhilfe Brückenschlag e. V.",
        "city": "Kassel",
        "district": "Wesertor",
        "address": "Am Brückenhof 3",
        "contact_email": "kontakt@brueckenschlag.example",
        "contact_phone": "0561 000 3300",
        "purpose": (
            "Junge Menschen sollen ihren Weg selbst gehen können. Wir begleiten sie dabei – und fragen "
            "sie, wie gute Unterstützung für sie aussieht, statt es für sie zu entscheiden."
        ),
        "description": (
            "Wir bieten ambulante Hilfen zur Erziehung, einen offenen Jugendtreff und Lernpatenschaften "
            "an. Jugendliche sitzen in unserem Beirat und entscheiden über das Programm des Treffs mit."
        ),
    },
    {
        "slug": "pflegeverein-fuldaufer",
        "name": "Pflegeverein Am Fuldaufer e. V.",
        "city": "Kassel",
        "district": "Bettenhausen",
        "address": "Uferweg 8",
        "contact_email": "info@pflegeverein-fuldaufer.example",
        "purpose": (
            "Alt werden im vertrauten Viertel: Wir pflegen, beraten und bringen Menschen zusammen, "
            "damit niemand im Alter allein bleibt."
        ),
        "description": (
            "Neben der ambulanten Pflege organisieren wir Besuchsdienste mit Ehrenamtlichen, einen "
            "Gesprächskreis für pflegende Angehörige und gemeinsame Ausflüge."
        ),
    },
    {
        "slug": "beratungsstelle-lichtblick",
        "name": "Beratungsstelle Lichtblick",
        "city": "Göttingen",
        "district": "Grone",
        "address": "Groner Landstraße 40",
        "contact_email": "beratung@lichtblick.example",
        "contact_phone": "0551 000 4040",
        "purpose": (
            "Beratung wirkt nur, wenn Ratsuchende sie mitgestalten. Wir hören zu, beraten vertraulich "
            "und entwickeln unsere Angebote mit den Menschen weiter, die sie nutzen."
        ),
        "description": "Schuldnerberatung, Familienberatung und eine offene Sprechstunde ohne Termin.",
    },
]

PARTNERSHIPS = [
    ("nachbarschaftszentrum-lindenhof", "jugendhilfe-brueckenschlag"),
    ("nachbarschaftszentrum-lindenhof", "pflegeverein-fuldaufer"),
    ("jugendhilfe-brueckenschlag", "beratungsstelle-lichtblick"),
]

# (email, display name, language, bio, [(organisation slug, role, listed, multiplier)])
PEOPLE = [
    ("miriam.koch@demo.example", "Miriam Koch", "de", "Leitung des Nachbarschaftszentrums.",
     [("nachbarschaftszentrum-lindenhof", "staff", True, False)]),
    ("jonas.weber@demo.example", "Jonas Weber", "de", "Sozialarbeiter in der Jugendhilfe.",
     [("jugendhilfe-brueckenschlag", "staff", True, False)]),
    ("elif.yilmaz@demo.example", "Elif Yılmaz", "de", "Pflegedienstleitung.",
     [("pflegeverein-fuldaufer", "staff", True, False)]),
    ("sarah.brandt@demo.example", "Sarah Brandt", "en", "Counsellor; I also speak English and French.",
     [("beratungsstelle-lichtblick", "staff", True, False)]),
    ("hans.lehmann@demo.example", "Hans Lehmann", "de", "Rentner, repariert gern Fahrräder.",
     [("nachbarschaftszentrum-lindenhof", "volunteer", True, True),
      ("pflegeverein-fuldaufer", "volunteer", True, False)]),
    ("aylin.demir@demo.example", "Aylin Demir", "de", "Wohnt seit zwanzig Jahren in der Nordstadt.",
     [("nachbarschaftszentrum-lindenhof", "citizen", True, True)]),
    ("lena.schubert@demo.example", "Lena S.", "de", "",
     [("jugendhilfe-brueckenschlag", "client", False, False)]),
    ("karl.fischer@demo.example", "Karl Fischer", "de", "Inhaber der Bäckerei am Markt.",
     [("nachbarschaftszentrum-lindenhof", "supporter", True, False),
      ("jugendhilfe-brueckenschlag", "supporter", True, False)]),
    ("grete.meyer@demo.example", "Grete Meyer", "de", "Pflegende Angehörige.",
     [("pflegeverein-fuldaufer", "client", True, False)]),
    ("tom.becker@demo.example", "Tom Becker", "en", "Student, helping with homework club.",
     [("jugendhilfe-brueckenschlag", "volunteer", True, False)]),
    ("nadia.haddad@demo.example", "Nadia Haddad", "de", "",
     [("beratungsstelle-lichtblick", "client", False, False)]),
]
PENDING = [("tom.becker@demo.example", "nachbarschaftszentrum-lindenhof", "volunteer")]
ADMIN_EMAIL = "admin@demo.example"




def initials(name):
    """The logo's letters: the first letters of the name's first two words that are not abbreviations."""
    words = [word for word in name.split() if word[:1].isupper() and not word.endswith(".")]
    return "".join(word[0] for word in words[:2]).upper()


def _give_pictures(organisation, slug):
    """A drawn logo and cover for a demo organisation that has none yet."""
    changed = {}
    if organisation.logo_id is None:
        letters = initials(organisation.name)
        changed["logo"] = drawn("logo", seed=slug, initials=letters,
                                alt=f"Logo von {organisation.name}: die Buchstaben {letters} auf einem grünen Kreis")
    if organisation.cover_id is None:
        changed["cover"] = drawn("houses", seed=slug,
                                 alt="Zeichnung: eine Reihe bunter Häuser mit hellen Fenstern in der Abendsonne")
    if changed:
        Organisation.objects.filter(pk=organisation.pk).update(**changed)
        for name, picture in changed.items():
            setattr(organisation, name, picture)


def seed(site):
    """Creates or updates the demo organisations, their partnerships and people with their memberships."""
    for data in ORGANISATIONS:
        data = dict(data)
        slug = data.pop("slug")
        site.organisations[slug], created = Organisation.objects.update_or_create(slug=slug, defaults=data)
        if created:  # on the platform for a few years already
            Organisation.objects.filter(slug=slug).update(created_at=site.ago(days=1000 + 30 * len(site.organisations)))
    for first, second in PARTNERSHIPS:
        site.organisations[first].partners.add(site.organisations[second])
    for slug, organisation in site.organisations.items():
        _give_pictures(organisation, slug)

    password = _Password()
    admin = _person(site, password, ADMIN_EMAIL, "Plattform-Team", "de", "", is_superuser=True)
    everyone = [*PEOPLE, *((email, name, "de", "", [(slug, role, False, False)])
                           for email, name, slug, role in NEIGHBOURS.values())]
    for email, name, language, bio, roles in everyone:
        person = _person(site, password, email, name, language, bio, is_staff=any(r[1] == "staff" for r in roles))
        for slug, role, listed, multiplier in roles:
            membership, created = Membership.objects.update_or_create(
                user=person,
                organisation=site.organisations[slug],
                role=role,
                status=Membership.Status.APPROVED,
                defaults={"is_listed": listed, "is_multiplier": multiplier, "decided_by": admin},
            )
            if created:  # joined within a few weeks of opening the account
                joined = person.date_joined + timedelta(days=site.random(f"joined/{email}/{slug}").randint(0, 40))
                Membership.objects.filter(pk=membership.pk).update(requested_at=joined,
                                                                   decided_at=joined + timedelta(days=1))
    for email, slug, role in PENDING:
        person = User.objects.get(email=email)
        if not Membership.objects.filter(user=person, organisation=site.organisations[slug], role=role).exists():
            membership_request(user=person, organisation=site.organisations[slug], role=role,
                               message="Ich würde gern in der Fahrradwerkstatt helfen.")
    site.counts += [f"{len(site.organisations)} organisations", f"{len(everyone) + 1} people"]
    site.notes.append("Sign in with one of the accounts in the README's table (citizen, client, volunteer, staff, "
                      f"organisation admin, platform admin), for example {ADMIN_EMAIL}; password '{DEMO_PASSWORD}'.")


def _everyone():
    """(email, name, organisation, role) of every demo person except the operator: one row per role held."""
    return [*((email, name, slug, role) for email, name, _language, _bio, roles in PEOPLE
              for slug, role, _listed, _multiplier in roles),
            *NEIGHBOURS.values()]


class _Password:
    """The demo password, hashed once for all demo accounts: hashing is slow on purpose, and a demo
    with thirty people would otherwise spend seconds on it."""

    def __init__(self):
        self._hash = None

    def __str__(self):
        self._hash = self._hash or make_password(DEMO_PASSWORD)
        return self._hash


def _person(site, password, email, name, language, bio, is_staff=False, is_superuser=False):
    person, created = User.objects.update_or_create(
        email=email,
        defaults={
            "display_name": name,
            "language": language,
            "bio": bio,
            "is_staff": is_staff or is_superuser,
            "is_superuser": is_superuser,
        },
    )
    if created:
        joined = site.ago(days=site.random(f"account/{email}").randint(400 if is_staff else 220, 900))
        User.objects.filter(pk=person.pk).update(password=str(password), date_joined=joined)
        person.date_joined = joined
    EmailAddress.objects.update_or_create(
        user=person, email=email, defaults={"verified": True, "primary": True}
    )
    return person
