"""Test data for proposals.

These factories write rows directly: they do not keep the counters on Proposal
(support_count, comment_count, pledge_count). Use the services when a test checks counters.
"""
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils import timezone

from proposals.models import Call, Category, Comment, Follow, Pledge, Proposal, Report, StatusChange, Support
from tests.stakeholders.factories import OrganisationFactory, UserFactory


def update_search_vector(proposal):
    """The same German full-text vector the services write; a no-op on SQLite."""
    if connection.vendor == "postgresql":
        Proposal.objects.filter(pk=proposal.pk).update(
            search_vector=SearchVector("title", weight="A", config="german")
            + SearchVector("summary", weight="B", config="german")
            + SearchVector("text", weight="C", config="german")
        )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class CallFactory(factory.django.DjangoModelFactory):
    """An open call for ideas; pass ``closed=True`` for one whose deadline has passed."""

    class Meta:
        model = Call

    class Params:
        closed = factory.Trait(deadline=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1)))

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Wie erreichen wir Menschen zwischen 30 und 60? ({n})")
    description = "Unser Stadtteilzentrum sucht neue Ideen."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal; ``draft=True`` makes a private draft."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Proposal.Status.DRAFT, published_at=None)

    organisation = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Reparaturcafé im Hof {n}")
    summary = "Wir reparieren gemeinsam, was kaputt ist."
    text = "Einmal im Monat treffen sich Nachbarinnen und Nachbarn im Hof."
    district = "Nordstadt"
    planning = "together"
    delivery = "together"
    status = Proposal.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def search(self, create, extracted, **kwargs):
        if create:
            update_search_vector(self)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Gute Idee, ich mache mit ({n}).")


class PledgeFactory(factory.django.DjangoModelFactory):
    """Two hours of time by default; pass kind="money", amount=... for money."""

    class Meta:
        model = Pledge

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)
    kind = Pledge.Kind.TIME
    hours = factory.LazyAttribute(lambda pledge: Decimal("2") if pledge.kind == Pledge.Kind.TIME else None)
    amount = factory.LazyAttribute(lambda pledge: Decimal("50") if pledge.kind == Pledge.Kind.MONEY else None)
    note = "Samstags habe ich Zeit."


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    proposal = factory.SubFactory(ProposalFactory)
    from_status = Proposal.Status.PUBLISHED
    to_status = Proposal.Status.UNDER_REVIEW
    actor = factory.SubFactory(UserFactory)
    response = "Wir prüfen den Vorschlag bis Monatsende."


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    proposal = factory.SubFactory(ProposalFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Beleidigend."
