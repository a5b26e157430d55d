"""The wiki: spaces, pages, their revisions, links between pages, watches and page templates.

A page's text lives in its revisions; the page points at the current one and keeps the HTML
rendered from it (sanitised when it was saved), so reading a page renders nothing. Other apps
may reference a page by foreign key (it keeps its id through renames) or find one by address
with ``Page.objects.at_address("/wiki/<space>/<page>/")``.
"""
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders import staff
from stakeholders.models import Membership

from .slugs import RESERVED_SPACE_SLUGS, slug_for

USER = settings.AUTH_USER_MODEL
MAX_TEXT_LENGTH = 100_000
REVIEW_AFTER = timedelta(days=365)


def validate_space_slug(value):
    if value in RESERVED_SPACE_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the wiki itself. Choose another short name."),
                              params={"slug": value})


class SpaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Twin of the rule wiki.view_space: public spaces, the shared space for everyone signed in,
        and members-only spaces of organisations where the person holds an approved role."""
        if user.is_superuser:
            return self
        visible = Q(visibility=Space.Visibility.PUBLIC)
        if user.is_authenticated:
            visible |= Q(organisation__isnull=True)
            visible |= Q(organisation__in=Membership.objects.approved().filter(user=user).values("organisation"))
        return self.filter(visible)


class Space(models.Model):
    """The pages of one organisation, or (without organisation) the shared space of the platform.

    Members of the shared space are everyone signed in; its staff are staff of any organisation.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: everyone can read it")
        MEMBERS = "members", _("Members only")

    class Editors(models.TextChoices):
        MEMBERS = "members", _("Members in any role")
        STAFF = "staff", _("Staff only")
        SIGNED_IN = "signed_in", _("Anyone signed in")

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="wiki_spaces",
        verbose_name=_("organisation"), help_text=_("Leave empty for the shared space of the whole platform."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True,
                            validators=[validate_space_slug])
    description = models.TextField(_("description"), blank=True, max_length=1000,
                                   validators=[MaxLengthValidator(1000)])
    visibility = models.CharField(_("who can read"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    editors = models.CharField(_("who can edit"), max_length=20, choices=Editors.choices, default=Editors.MEMBERS)
    page_count = models.PositiveIntegerField(_("pages"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("wiki space")
        verbose_name_plural = _("wiki spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=["public", "members"]), name="wiki_space_visibility_valid"),
            models.CheckConstraint(condition=Q(editors__in=["members", "staff", "signed_in"]),
                                   name="wiki_space_editors_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wiki:space", args=[self.slug])

    @property
    def is_shared(self):
        return self.organisation_id is None

    def roles_of(self, user):
        """The approved roles ``user`` holds here, asked once per space object and person.

        In the shared space everyone signed in is a member and staff anywhere counts as staff.
        """
        if not user.is_authenticated:
            return frozenset()
        cache = self.__dict__.setdefault("_roles_cache", {})
        if user.pk not in cache:
            if self.is_shared:
                cache[user.pk] = frozenset({"member", *(["staff"] if staff.is_staff_anywhere(user) else [])})
            else:
                # One query answers both: any approved role makes a member, the staff role (as
                # stakeholders.staff counts it) makes staff.
                roles = set(Membership.objects.approved().filter(user=user, organisation_id=self.organisation_id)
                            .values_list("role", flat=True))
                cache[user.pk] = frozenset(roles | ({"member"} if roles else set()))
        return cache[user.pk]


class PageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Twin of the rule wiki.view_page: the pages of every space ``user`` may read."""
        if user.is_superuser:
            return self
        return self.filter(space__in=Space.objects.visible_to(user))

    def in_space(self, space):
        return self.filter(space=space)

    def for_list(self):
        return self.select_related("space", "last_edited_by").only(
            "id", "title", "slug", "last_edited_at", "space__slug", "space__name", "last_edited_by__display_name",
        )

    def needs_review(self, now=None):
        """Pages nobody has edited for a year: their content may be out of date."""
        return self.filter(last_edited_at__lt=(now or timezone.now()) - REVIEW_AFTER)

    def owned_by_leavers(self):
        """Pages whose owner left the space's organisation (no approved role there any more) or was deactivated."""
        memberships = Membership.objects.filter(organisation=OuterRef("space__organisation"), user=OuterRef("owner"))
        left = Exists(memberships.filter(status=Membership.Status.LEFT))
        still_there = Exists(memberships.filter(status=Membership.Status.APPROVED))
        return self.filter(owner__isnull=False).filter(Q(owner__is_active=False) | (left & ~still_there))

    def at_address(self, address):
        """The page an address such as "/wiki/space/page/" names, following renames; None if there is none."""
        parts = [unquote(part) for part in urlsplit(address).path.split("/") if part]
        if len(parts) < 3 or parts[0] != "wiki":
            return None
        space_slug, page_slug = parts[1], slug_for(parts[2]) or parts[2]
        page = self.filter(space__slug=space_slug, slug=page_slug).first()
        if page is None:
            moved = PageRedirect.objects.filter(space__slug=space_slug, old_slug=page_slug).values("page")
            page = self.filter(pk__in=moved).first()
        return page


class Page(models.Model):
    """A page of a space; its text and history are its revisions."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="pages", verbose_name=_("space"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, allow_unicode=True)
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_wiki_pages",
        verbose_name=_("owner"), help_text=_("The person who looks after this page."),
    )
    current_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("current revision"),
    )
    html = models.TextField(_("rendered text"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    last_edited_at = models.DateTimeField(_("last edited"), default=timezone.now)
    last_edited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("last edited by"))
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["space", "slug"], name="wiki_page_slug_unique_in_space")]
        indexes = [
            models.Index(fields=["space", "title"], name="wiki_page_space_title"),
            models.Index(fields=["space", "last_edited_at"], name="wiki_page_space_edited"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wiki:page", args=[self.space.slug, self.slug])

    def url(self, name, *args):
        return reverse(f"wiki:{name}", args=[self.space.slug, self.slug, *args])

    @property
    def needs_review(self):
        return self.last_edited_at < timezone.now() - REVIEW_AFTER


class PageRedirect(models.Model):
    """An earlier address of a renamed page, so old links keep working."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    old_slug = models.SlugField(_("earlier address"), max_length=220, allow_unicode=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("page"))
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier address")
        verbose_name_plural = _("earlier addresses")
        constraints = [models.UniqueConstraint(fields=["space", "old_slug"], name="wiki_redirect_unique_in_space")]

    def __str__(self):
        return self.old_slug


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Twin of wiki.view_page for revisions: those of pages ``user`` may read."""
        if user.is_superuser:
            return self
        return self.filter(page__space__in=Space.objects.visible_to(user))

    def for_list(self):
        return self.select_related("author", "page__space").only(
            "id", "number", "parent_number", "reverted_to", "summary", "size", "created_at", "page_id",
            "author__display_name", "page__title", "page__slug", "page__space__slug", "page__space__name",
        )


class Revision(models.Model):
    """One saved state of a page; never changed afterwards."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("page"))
    number = models.PositiveIntegerField(_("revision"))
    parent_number = models.PositiveIntegerField(
        _("based on revision"), null=True, blank=True,
        help_text=_("The revision the author started from."),
    )
    reverted_to = models.PositiveIntegerField(_("reverted to revision"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=MAX_TEXT_LENGTH)
    size = models.PositiveIntegerField(_("characters"), default=0)
    summary = models.CharField(_("summary of the change"), max_length=300, blank=True)
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="wiki_revisions",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_number_unique")]
        indexes = [models.Index(fields=["-created_at", "-id"], name="wiki_revision_recent")]

    def __str__(self):
        return f"{self.title} #{self.number}"


class Link(models.Model):
    """A [[wiki link]] from one page to a title in the same space: resolved, or a missing page."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="outgoing_links")
    source_title = models.CharField(max_length=200)  # rewritten with the links on every save; sorts backlinks
    target_slug = models.SlugField(max_length=220, allow_unicode=True)
    target_title = models.CharField(max_length=200)
    target_page = models.ForeignKey(Page, on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
                                    related_name="incoming_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target_slug"], name="wiki_link_once_per_target")]
        indexes = [
            models.Index(fields=["target_page", "source_title"], name="wiki_link_backlinks"),
            models.Index(fields=["space", "target_slug"], name="wiki_link_missing",
                         condition=Q(target_page__isnull=True)),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_slug}"


class Watch(models.Model):
    """Someone watches a page or a whole space; the notifications issue turns activity into messages."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="wiki_watches")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(page__isnull=True) ^ Q(space__isnull=True),
                                   name="wiki_watch_page_or_space"),
            models.UniqueConstraint(fields=["user", "page"], condition=Q(page__isnull=False),
                                    name="wiki_watch_page_once"),
            models.UniqueConstraint(fields=["user", "space"], condition=Q(space__isnull=False),
                                    name="wiki_watch_space_once"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.page_id or self.space_id}"


class PageTemplateQuerySet(models.QuerySet):
    def for_space(self, space):
        """Templates everyone may use, plus those of the space's organisation."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=space.organisation_id))


class PageTemplate(models.Model):
    """A starting text for new pages, such as handover notes or minutes of a round table."""

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"), help_text=_("Leave empty to offer the template in every space."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    description = models.CharField(_("what it is for"), max_length=300, blank=True)
    text = models.TextField(_("text"), max_length=MAX_TEXT_LENGTH, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = PageTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("page template")
        verbose_name_plural = _("page templates")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=Q(organisation__isnull=True),
                                    name="wiki_template_slug_unique_shared"),
            models.UniqueConstraint(fields=["organisation", "slug"], name="wiki_template_slug_unique_in_org"),
        ]

    def __str__(self):
        return self.name
