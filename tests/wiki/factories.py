"""Test data for the wiki. Pages are written through the services, so they have revisions,
rendered HTML, links and search vectors exactly as on the site."""
import factory

from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from wiki import services
from wiki.models import Page, PageTemplate, Space


class SpaceFactory(factory.django.DjangoModelFactory):
    """An organisation's public space where members edit; ``organisation=None`` for the shared space."""

    class Meta:
        model = Space

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Wissen {n}")
    slug = factory.Sequence(lambda n: f"wissen-{n}")
    visibility = Space.Visibility.PUBLIC
    editors = Space.Editors.MEMBERS


def member_of(space, role=Membership.Role.VOLUNTEER, **user):
    """A person who may edit ``space`` as it is set up by default."""
    if space.organisation is None:
        return UserFactory(**user)
    return MembershipFactory(organisation=space.organisation, role=role,
                             **{f"user__{key}": value for key, value in user.items()}).user


class PageFactory(factory.django.DjangoModelFactory):
    """A page created by ``author`` (by default a new member of the space) through services.page_create."""

    class Meta:
        model = Page

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: f"Seite {n}")
    text = "Ein kurzer Text.\n"
    author = None

    @classmethod
    def _create(cls, model_class, *, space, title, text, author=None, summary=""):
        author = author or member_of(space)
        return services.page_create(space=space, author=author, title=title, text=text, summary=summary)


class PageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageTemplate

    organisation = None
    name = factory.Sequence(lambda n: f"Vorlage {n}")
    slug = factory.Sequence(lambda n: f"vorlage-{n}")
    description = "Zum Ausprobieren."
    text = "## Worum es geht\n\n…\n"


def edit(page, author, text, *, title=None, summary=""):
    """Saves an edit from the page's current revision, as an editor who saw the latest version."""
    page.refresh_from_db()
    number = page.revisions.get(pk=page.current_revision_id).number
    return services.page_save_revision(page=page, author=author, text=text, title=title, summary=summary,
                                       base_number=number)
