"""The wiki services: revisions, guarded saves, renames, reverts, owners, watches and bad input."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from coproduction.errors import NotPermitted
from notifications.models import Activity
from stakeholders import services as stakeholder_services
from tests.stakeholders.factories import MembershipFactory, UserFactory
from wiki import services
from wiki.editing import Editor, _key as editing_key, editing_open
from wiki.models import MAX_TEXT_LENGTH, Page, PageRedirect, Revision, Space, Watch
from wiki.search import search_pages, snippet_parts

from .factories import PageFactory, SpaceFactory, edit, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(organisation):
    return SpaceFactory(organisation=organisation, slug="lindenhof")


@pytest.fixture
def member(space):
    return member_of(space, display_name="Hans")


@pytest.fixture
def page(space, member):
    return services.page_create(space=space, author=member, title="Reparaturcafé",
                                text="Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n", summary="Anfang")


def state(space):
    """Everything a refused change must leave untouched."""
    return (
        list(Page.objects.filter(space=space).order_by("pk").values_list("title", "slug", "current_revision_id", "html")),
        Revision.objects.count(), PageRedirect.objects.count(), Activity.objects.count(),
        Space.objects.get(pk=space.pk).page_count,
    )


# --- creating and editing -------------------------------------------------------------------

def test_create_writes_the_first_revision_and_records_it(page, space, member):
    revision = page.current_revision
    assert (revision.number, revision.parent_number, revision.author, revision.summary) == (1, None, member, "Anfang")
    assert revision.text == "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz."
    assert (page.slug, page.owner, page.created_by, page.last_edited_by) == ("reparaturcafe", member, member, member)
    assert "<p>Erster Absatz.</p>" in page.html
    assert Space.objects.get(pk=space.pk).page_count == 1
    activity = Activity.objects.for_target(page).get()
    assert (activity.verb, activity.actor, activity.organisation, activity.data) == (
        "page.created", member, space.organisation, {"revision": 1, "summary": "Anfang", "space": space.name})


def test_every_save_is_a_revision(page, member, space):
    other = member_of(space)
    second = edit(page, other, "Erster Absatz.\n\nNeu.\n", summary="gekürzt")
    third = edit(page, member, "Erster Absatz.\n\nNeu!\n")
    page.refresh_from_db()
    assert [(r.number, r.parent_number) for r in page.revisions.order_by("number")] == [(1, None), (2, 1), (3, 2)]
    assert page.current_revision == third and second.author == other
    assert page.last_edited_by == member and "Neu!" in page.html
    assert list(Activity.objects.for_target(page).order_by("pk").values_list("verb", flat=True)) == [
        "page.created", "page.edited", "page.edited"]


def test_line_breaks_and_control_characters_are_normalised(page, member):
    revision = edit(page, member, "Eins\r\nZwei\rDrei\x00\x07\x01\x02   \n\n\n")
    assert revision.text == "Eins\nZwei\nDrei"


def test_saving_without_a_change_is_refused(page, member):
    with pytest.raises(services.WikiError, match="Nothing has changed"):
        edit(page, member, page.current_revision.text)


def test_an_unchanged_save_with_a_summary_marks_the_page_reviewed(page, member):
    Page.objects.filter(pk=page.pk).update(last_edited_at=timezone.now() - timedelta(days=400))
    assert Page.objects.needs_review().filter(pk=page.pk).exists()
    revision = edit(page, member, page.current_revision.text, summary="Geprüft, stimmt noch.")
    assert revision.summary == "Geprüft, stimmt noch."
    assert not Page.objects.needs_review().filter(pk=page.pk).exists()


def test_the_length_limit_message_uses_the_readers_number_format(page, member):
    from django.utils import translation

    with translation.override("de"), pytest.raises(services.WikiError, match="100.000"):
        edit(page, member, "x" * (MAX_TEXT_LENGTH + 1))


# --- the guarded save -----------------------------------------------------------------------

def test_a_save_from_an_old_revision_is_refused_with_a_clean_merge(page, member, space):
    edit(page, member_of(space), "Erster Absatz, von ihr.\n\nZweiter Absatz.\n\nDritter Absatz.\n")
    before = state(space)
    with pytest.raises(services.EditConflict) as raised:
        services.page_save_revision(page=page, author=member, base_number=1,
                                    text="Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz, von mir.\n")
    assert state(space) == before
    conflict = raised.value
    assert (conflict.base.number, conflict.current.number) == (1, 2)
    assert conflict.merge.is_clean
    assert conflict.merge.text == "Erster Absatz, von ihr.\n\nZweiter Absatz.\n\nDritter Absatz, von mir.\n"
    # Saving the merged text from the new base works.
    revision = services.page_save_revision(page=page, author=member, base_number=2, text=conflict.merge.text)
    assert revision.number == 3 and revision.parent_number == 2


def test_overlapping_edits_conflict_and_keep_my_text(page, member, space):
    edit(page, member_of(space), "Erster Absatz.\n\nZweiter Absatz (ihre Fassung).\n\nDritter Absatz.\n")
    with pytest.raises(services.EditConflict) as raised:
        services.page_save_revision(page=page, author=member, base_number=1,
                                    text="Erster Absatz.\n\nZweiter Absatz (meine Fassung).\n\nDritter Absatz.\n")
    merge = raised.value.merge
    assert len(merge.conflicts) == 1 and "meine Fassung" in merge.text
    assert merge.conflicts[0].theirs == "Zweiter Absatz (ihre Fassung).\n"


def test_a_base_that_does_not_exist_is_refused(page, member):
    with pytest.raises(services.WikiError, match="does not exist"):
        services.page_save_revision(page=page, author=member, base_number=7, text="Anders.\n")


# --- renaming ---------------------------------------------------------------------------------

def test_renaming_keeps_the_old_address_working(page, member, space):
    edit(page, member, page.current_revision.text, title="Reparatur-Café im Hof")
    page.refresh_from_db()
    assert (page.title, page.slug) == ("Reparatur-Café im Hof", "reparatur-cafe-im-hof")
    assert list(PageRedirect.objects.values_list("old_slug", "page")) == [("reparaturcafe", page.pk)]
    assert Page.objects.at_address("/wiki/lindenhof/reparaturcafe/") == page
    assert Page.objects.at_address("/wiki/lindenhof/reparatur-cafe-im-hof/edit/") == page
    assert Activity.objects.for_target(page).latest("pk").data["renamed_from"] == "Reparaturcafé"


def test_renaming_back_takes_the_old_address_again(page, member):
    text = page.current_revision.text
    edit(page, member, text, title="Werkstatt")
    edit(page, member, text, title="Reparaturcafé")
    page.refresh_from_db()
    assert page.slug == "reparaturcafe"
    assert list(PageRedirect.objects.values_list("old_slug", flat=True)) == ["werkstatt"]


def test_changing_only_spelling_keeps_the_address(page, member):
    edit(page, member, page.current_revision.text, title="REPARATURCAFÉ")
    page.refresh_from_db()
    assert (page.title, page.slug) == ("REPARATURCAFÉ", "reparaturcafe") and not PageRedirect.objects.exists()


def test_a_rename_onto_another_page_or_its_old_address_is_refused(page, member, space):
    other = PageFactory(space=space, title="Kontakte")
    edit(other, member, other.current_revision.text, title="Kontakte im Viertel")
    before = state(space)
    with pytest.raises(services.WikiError, match="already exists"):
        edit(page, member, "Neuer Text.\n", title="Kontakte im Viertel")
    with pytest.raises(services.WikiError, match="earlier address"):
        edit(page, member, "Neuer Text.\n", title="Kontakte")
    assert state(space) == before


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("title, message", [
    ("", "Give the page a title."),
    ("   ", "Give the page a title."),
    ("?!", "at least one letter or digit"),
    ("Seite [[x]]", "square brackets"),
    ("a|b", "vertical bar"),
    ("x" * 201, "too long"),
])
def test_bad_titles_are_refused_and_nothing_is_saved(space, member, title, message):
    before = state(space)
    with pytest.raises(services.WikiError, match=message) as raised:
        services.page_create(space=space, author=member, title=title, text="Text.")
    assert raised.value.field == "title"
    assert state(space) == before


@pytest.mark.parametrize("title", ["Reparaturcafé", "reparaturcafe", "REPARATURCAFE", " Reparaturcafé "])
def test_duplicate_titles_in_a_space_are_refused(page, space, member, title):
    before = state(space)
    with pytest.raises(services.WikiError, match="A page called “Reparaturcafé” already exists in this space."):
        services.page_create(space=space, author=member, title=title, text="Text.")
    assert state(space) == before


def test_the_same_title_in_another_space_is_fine(page):
    other = SpaceFactory()
    assert PageFactory(space=other, title="Reparaturcafé").slug == "reparaturcafe"


@pytest.mark.parametrize("text, message", [
    ("", "Write something"),
    (" \n\t\n", "Write something"),
    ("x" * (MAX_TEXT_LENGTH + 1), "The text is too long: at most 100,000 characters, yours has 100,001."),
])
def test_empty_or_huge_texts_are_refused(space, member, page, text, message):
    before = state(space)
    with pytest.raises(services.WikiError, match=message):
        services.page_create(space=space, author=member, title="Neu", text=text)
    with pytest.raises(services.WikiError, match=message):
        services.page_save_revision(page=page, author=member, base_number=1, text=text)
    assert state(space) == before


def test_the_text_limit_itself_is_allowed(space, member):
    page = services.page_create(space=space, author=member, title="Lang", text="x" * MAX_TEXT_LENGTH)
    assert page.current_revision.size == MAX_TEXT_LENGTH


def test_a_too_long_summary_is_refused(space, member):
    with pytest.raises(services.WikiError, match="summary is too long"):
        services.page_create(space=space, author=member, title="Neu", text="x", summary="s" * 301)


def test_people_who_may_not_edit_are_refused(space, page):
    outsider = UserFactory()
    before = state(space)
    with pytest.raises(NotPermitted, match="may not change"):
        services.page_create(space=space, author=outsider, title="Fremd", text="x")
    with pytest.raises(NotPermitted, match="may not change"):
        services.page_save_revision(page=page, author=outsider, base_number=1, text="x")
    with pytest.raises(NotPermitted, match="may not change"):
        services.page_revert(page=page, revision=page.current_revision, actor=outsider, base_number=1)
    assert state(space) == before


# --- reverting ----------------------------------------------------------------------------------

def test_revert_brings_back_old_text_as_a_new_revision(page, member, space):
    first = page.current_revision
    edit(page, member, "Ganz anders.\n", title="Reparaturcafé im Hof")
    reverted = services.page_revert(page=page, revision=first, actor=member, base_number=2, reason="Zu viel gelöscht")
    page.refresh_from_db()
    assert (reverted.number, reverted.parent_number, reverted.reverted_to, reverted.summary) == (3, 2, 1, "Zu viel gelöscht")
    assert reverted.text == first.text and page.current_revision == reverted
    assert page.title == "Reparaturcafé im Hof"  # reverting restores text, not the address
    activity = Activity.objects.for_target(page).latest("pk")
    assert (activity.verb, activity.data["reverted_to"]) == ("page.reverted", 1)


def test_revert_to_a_revision_of_another_page_is_refused(page, member, space):
    other = PageFactory(space=space, title="Anderes")
    edit(page, member, "Neu.\n")
    before = state(space)
    with pytest.raises(services.WikiError, match="This revision belongs to another page."):
        services.page_revert(page=page, revision=other.current_revision, actor=member, base_number=2)
    assert state(space) == before


def test_revert_refuses_stale_base_current_revision_and_same_text(page, member):
    first = page.current_revision
    second = edit(page, member, "Zwei.\n")
    with pytest.raises(services.WikiError, match="has changed since you opened"):
        services.page_revert(page=page, revision=first, actor=member, base_number=1)
    with pytest.raises(services.WikiError, match="already the current version"):
        services.page_revert(page=page, revision=second, actor=member, base_number=2)
    edit(page, member, first.text)
    with pytest.raises(services.WikiError, match="already has the text"):
        services.page_revert(page=page, revision=first, actor=member, base_number=3)
    assert page.revisions.count() == 3


# --- owners, review, handover -------------------------------------------------------------------

def test_pages_of_people_who_left_are_listed_for_handover(space, organisation, staff):
    leaver = MembershipFactory(organisation=organisation, role="volunteer")
    stays = MembershipFactory(organisation=organisation, role="client")
    left_but_returned = MembershipFactory(organisation=organisation, role="citizen")
    orphaned = PageFactory(space=space, title="Übergabe Werkstatt", author=leaver.user)
    PageFactory(space=space, title="Bleibt", author=stays.user)
    PageFactory(space=space, title="Wieder da", author=left_but_returned.user)
    stakeholder_services.membership_leave(membership=leaver, user=leaver.user)
    stakeholder_services.membership_leave(membership=left_but_returned, user=left_but_returned.user)
    MembershipFactory(organisation=organisation, role="volunteer", user=left_but_returned.user)
    assert list(Page.objects.in_space(space).owned_by_leavers()) == [orphaned]

    new_owner = stays.user
    assert services.pages_hand_over(space=space, pages=[orphaned], owner=new_owner, actor=staff) == 1
    orphaned.refresh_from_db()
    assert orphaned.owner == new_owner and not Page.objects.owned_by_leavers().exists()
    activity = Activity.objects.for_target(orphaned).latest("pk")
    assert (activity.verb, activity.data) == (
        "page.handed_over", {"owner": new_owner.pk, "previous_owner": leaver.user.pk, "space": space.name})


def test_deactivated_owners_count_as_gone(space):
    page = PageFactory(space=space)
    page.owner.is_active = False
    page.owner.save()
    assert list(Page.objects.owned_by_leavers()) == [page]


def test_handover_is_for_staff_and_to_members(space, organisation, staff, member, page):
    with pytest.raises(NotPermitted, match="Only staff"):
        services.pages_hand_over(space=space, pages=[page], owner=member, actor=member)
    with pytest.raises(services.WikiError, match="must hold a role"):
        services.pages_hand_over(space=space, pages=[page], owner=UserFactory(), actor=staff)
    other_page = PageFactory(space=SpaceFactory())
    with pytest.raises(services.WikiError, match="at least one page"):
        services.pages_hand_over(space=space, pages=[other_page], owner=member, actor=staff)
    page.refresh_from_db()
    assert page.owner == member


def test_pages_not_edited_for_a_year_need_review(space, page):
    old = PageFactory(space=space, title="Alt")
    Page.objects.filter(pk=old.pk).update(last_edited_at=timezone.now() - timedelta(days=366))
    assert list(Page.objects.needs_review()) == [old]
    assert Page.objects.get(pk=old.pk).needs_review and not page.needs_review


# --- watching and editing together ----------------------------------------------------------------

def test_watching_pages_and_spaces(page, space, member):
    services.page_watch(page=page, user=member)
    services.page_watch(page=page, user=member)
    services.space_watch(space=space, user=member)
    assert Watch.objects.filter(user=member, page=page).count() == 1
    assert Watch.objects.filter(user=member, space=space).count() == 1
    services.page_unwatch(page=page, user=member)
    services.space_unwatch(space=space, user=member)
    assert not Watch.objects.exists()


def test_outsiders_cannot_watch_members_only_spaces(organisation):
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    page = PageFactory(space=space)
    outsider = UserFactory()
    with pytest.raises(NotPermitted):
        services.page_watch(page=page, user=outsider)
    with pytest.raises(NotPermitted):
        services.space_watch(space=space, user=outsider)
    assert not Watch.objects.exists()


def test_the_editor_shows_who_else_is_editing(page, member, space):
    other = member_of(space, display_name="Aylin")
    assert editing_open(page=page, user=member) == []
    assert [e.display_name for e in editing_open(page=page, user=other)] == [member.display_name]
    assert [e.display_name for e in editing_open(page=page, user=member)] == ["Aylin"]
    marks = cache.get(editing_key(page))
    marks[other.pk] = Editor("Aylin", timezone.now() - timedelta(minutes=11))
    cache.set(editing_key(page), marks)
    assert editing_open(page=page, user=member) == []  # Aylin's mark has gone stale
    editing_open(page=page, user=other)
    edit(page, member, "Gespeichert.\n")
    assert editing_open(page=page, user=other) == []  # saving ends one's mark


# --- search and the address hook --------------------------------------------------------------------

def test_search_finds_words_and_marks_them(space, member):
    services.page_create(space=space, author=member, title="Fahrradwerkstatt",
                         text="Wir reparieren Fahrräder und Toaster jeden Samstag.")
    services.page_create(space=space, author=member, title="Küche", text="Kochen für viele.")
    query = "Fahrräder" if connection.vendor == "sqlite" else "Fahrrad"
    results = list(search_pages(Page.objects.all(), query))
    assert [page.title for page in results] == ["Fahrradwerkstatt"]
    parts = snippet_parts(results[0].headline, query)
    assert any(is_match and text.lower().startswith("fahrr") for text, is_match in parts)
    assert "Toaster" in "".join(text for text, _ in parts)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="German stemming needs PostgreSQL")
def test_german_full_text_search_stems_words(space, member):
    services.page_create(space=space, author=member, title="Ehrenamt", text="Die Ehrenamtlichen treffen sich.")
    assert [p.title for p in search_pages(Page.objects.all(), "ehrenamtliche treffen")] == ["Ehrenamt"]
    assert [p.title for p in search_pages(Page.objects.all(), "Ehrenamt")] == ["Ehrenamt"]


def test_at_address_finds_pages_for_other_apps(page):
    assert Page.objects.at_address("/wiki/lindenhof/reparaturcafe/") == page
    assert Page.objects.at_address("https://example.org/wiki/lindenhof/reparaturcaf%C3%A9/") == page
    assert Page.objects.at_address("/wiki/lindenhof/gibt-es-nicht/") is None
    assert Page.objects.at_address("/proposals/1/") is None


@pytest.mark.skipif(connection.vendor == "sqlite", reason="German stemming needs PostgreSQL")
def test_search_finds_the_start_of_german_compounds(space, member):
    services.page_create(space=space, author=member, title="Übergabe", text="Die Fahrradwerkstatt öffnet samstags.")
    results = list(search_pages(Page.objects.all(), "fahrrad samstag"))
    assert [page.title for page in results] == ["Übergabe"]
    assert ("Fahrradwerkstatt", True) in snippet_parts(results[0].headline, "fahrrad")


@pytest.mark.parametrize("query", ["&|!():*", "'; DROP TABLE wiki_page; --", "a & | b", "\\", "ü:*", "der die das",
                                   "<script>", "x" * 200])
def test_odd_queries_find_nothing_and_break_nothing(space, member, query):
    services.page_create(space=space, author=member, title="Etwas", text="Ein Text.")
    assert list(search_pages(Page.objects.all(), query)) == []
