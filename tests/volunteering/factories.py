"""Test data for volunteering.

These factories write rows directly: they do not keep the counters on Shift. Sign people up
through the services (``sign_up``) whenever a test looks at places, waitlists or counters.
"""
from datetime import timedelta

import factory
from django.utils import timezone

from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from volunteering import services
from volunteering.models import BriefingLink, Shift, SignUp, Skill, Task


def hours_from_now(hours):
    return timezone.now() + timedelta(hours=hours)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Fähigkeit {n}")
    slug = factory.Sequence(lambda n: f"faehigkeit-{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    """A published task at a place; ``draft=True`` or ``cancelled=True`` for the other states."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Task.Status.DRAFT, published_at=None)
        cancelled = factory.Trait(status=Task.Status.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now))

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Ausgabe bei der Tafel {n}")
    purpose = "Lebensmittel sortieren und ausgeben."
    location = "Lindenhofstraße 12"
    district = "Nordstadt"
    status = Task.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class ShiftFactory(factory.django.DjangoModelFactory):
    """Three places, two hours, starting in three days (``starts_in`` hours to choose another time)."""

    class Meta:
        model = Shift
        exclude = ["starts_in"]

    task = factory.SubFactory(TaskFactory)
    starts_in = 72
    starts_at = factory.LazyAttribute(lambda shift: hours_from_now(shift.starts_in))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + timedelta(hours=2))
    capacity = 3


class BriefingLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefingLink

    task = factory.SubFactory(TaskFactory)
    title = "So läuft eine Ausgabe ab"
    url = "/wiki/tafel/ablauf/"


def volunteer(organisation=None):
    """A person who volunteers with ``organisation`` (or just a person without it)."""
    if organisation is None:
        return UserFactory()
    return MembershipFactory(organisation=organisation, role=Membership.Role.VOLUNTEER).user


def sign_up(shift, user=None):
    return services.shift_sign_up(shift=shift, user=user or UserFactory())


def move_shift(shift, *, starts_at, ends_at=None):
    """Moves a shift in time without the services (which refuse the past): "time passes"."""
    ends_at = ends_at or starts_at + (shift.ends_at - shift.starts_at)
    shift.starts_at, shift.ends_at = starts_at, ends_at
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=starts_at, ends_at=ends_at, signup_closes_at=shift.compute_signup_closes_at()
    )
    shift.refresh_from_db()
    return shift


def expire_offer(sign_up_obj, hours_ago=1):
    """The offer ran out ``hours_ago`` hours ago."""
    SignUp.objects.filter(pk=sign_up_obj.pk).update(offer_expires_at=hours_from_now(-hours_ago))
    sign_up_obj.refresh_from_db()
    return sign_up_obj


def counts(shift):
    """(confirmed, offered, waitlisted) as kept on the shift, asserted equal to the rows."""
    shift.refresh_from_db()
    rows = SignUp.objects.filter(shift=shift)
    kept = (shift.confirmed_count, shift.offered_count, shift.waitlist_count)
    actual = (rows.confirmed().count(), rows.offered().count(), rows.waitlisted().count())
    assert kept == actual, f"kept counters {kept} differ from the rows {actual}"
    assert shift.confirmed_count + shift.offered_count <= shift.capacity
    return kept
