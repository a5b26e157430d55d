"""Markdown to stored HTML: wiki links, red links, contents, German addresses and the sanitiser."""
import pytest

from wiki import services
from wiki.models import Link, Page
from wiki.rendering import MISSING_MARKER, render, sanitise
from wiki.slugs import slug_for
from wiki.templatetags.wiki_tags import wiki_html

from .factories import PageFactory, SpaceFactory, edit, member_of
from .xss import XSS_PAYLOADS, problems_in


@pytest.mark.parametrize("title, slug", [
    ("Über uns", "ueber-uns"),
    ("Straße & Plätze", "strasse-plaetze"),
    ("GRÜSSE aus Köln", "gruesse-aus-koeln"),
    ("Reparaturcafé", "reparaturcafe"),
    ("  Viel   Raum  ", "viel-raum"),
    ("Kızılay Türkçe", "kizilay-tuerkce"),
    ("Ärger, Öfen, Übel", "aerger-oefen-uebel"),
    ("مرحبا بكم", "مرحبا-بكم"),
    ("Neu", "neu"),
    ("new", "new-page"),
    ("Search", "search-page"),
    ("???", ""),
])
def test_slugs_transliterate_german_and_keep_other_scripts(title, slug):
    assert slug_for(title) == slug


def test_headings_start_below_the_page_title_and_build_contents():
    """# and ## both make a section (<h2>): the page title is the only <h1>, and levels have no gaps."""
    rendered = render("# Anfang\n\ntext\n\n### Teil & <b>zwei</b>\n\n### Über uns\n\n## Ende", space_slug="s",
                      resolved={})
    assert "<h1" not in rendered.html
    assert '<h2 id="h-anfang">Anfang</h2>' in rendered.html and '<h2 id="h-ende">Ende</h2>' in rendered.html
    assert '<h3 id="h-ueber-uns">Über uns</h3>' in rendered.html
    assert rendered.toc == [
        {"id": "h-anfang", "name": "Anfang", "children": [
            {"id": "h-teil-zwei", "name": "Teil & zwei", "children": []},
            {"id": "h-ueber-uns", "name": "Über uns", "children": []},
        ]},
        {"id": "h-ende", "name": "Ende", "children": []},
    ]


def test_heading_ids_cannot_clash_with_the_sites_own():
    html = render('## Main\n\n<h2 id="main">x</h2>\n\n<h3 id="content">y</h3>', space_slug="s", resolved={}).html
    assert 'id="main"' not in html and 'id="content"' not in html
    assert 'id="h-main"' in html


def test_tables_lists_code_and_emphasis_survive():
    text = "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n1. eins\n2. zwei\n\n```\ncode <b>\n```\n\n**fett** *kursiv* ~~x~~ > Zitat"
    html = render(text, space_slug="s", resolved={}).html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "style=" not in html  # the Content Security Policy refuses inline styles
    assert "<ol>" in html and "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "code &lt;b&gt;" in html


def test_external_links_are_kept_with_safe_rel():
    html = render("[Stadt](https://example.org/) und <mailto:info@example.org>", space_slug="s", resolved={}).html
    assert 'href="https://example.org/"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert 'href="mailto:info@example.org"' in html


def test_images_are_dropped():
    """External images would tell third parties who reads the page; the issue brings no uploads."""
    assert "<img" not in render("![Plan](https://example.org/plan.png)", space_slug="s", resolved={}).html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_render_inert(payload):
    html = render(f"Vorher\n\n{payload}\n\nNachher [[Seite]]", space_slug="s", resolved={}).html
    assert problems_in(html) == [], html
    if "<math>" not in payload:  # an unclosed <math> hides the rest of the text, which stays in the source
        assert "Nachher" in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_alone_makes_raw_html_inert(payload):
    assert problems_in(sanitise(payload)) == []


def test_sanitiser_allow_list_is_explicit():
    html = sanitise('<a href="/x" class="wikilink evil" title="t" data-x="1" target="_blank">x</a>'
                    '<span class="wikilink-note other" style="color:red"></span><ol start="3" reversed><li>a</li></ol>')
    assert html == ('<a href="/x" class="wikilink" title="t" rel="noopener noreferrer nofollow">x</a>'
                    '<span class="wikilink-note"></span><ol start="3"><li>a</li></ol>')


@pytest.mark.django_db
def test_wiki_links_resolve_in_the_same_space(organisation):
    space = SpaceFactory(organisation=organisation, slug="lindenhof")
    target = PageFactory(space=space, title="Über uns")
    PageFactory(space=SpaceFactory(), title="Kontakt")  # another space: does not count
    page = PageFactory(space=space, title="Start", text="Siehe [[Über uns]], [[über  uns|uns]] und [[Kontakt]].")
    assert ('<a class="wikilink" href="/wiki/lindenhof/ueber-uns/" rel="noopener noreferrer nofollow">Über uns</a>'
            in page.html)
    assert '>uns</a>' in page.html
    assert ('<a class="wikilink-missing" href="/wiki/lindenhof/new/?title=Kontakt" rel="noopener noreferrer nofollow">'
            f"Kontakt{MISSING_MARKER}</a>") in page.html
    links = {link.target_slug: link.target_page_id for link in Link.objects.filter(source=page)}
    assert links == {"ueber-uns": target.pk, "kontakt": None}


@pytest.mark.parametrize("text", ["[[Über uns|]]", "[[Über uns|   ]]", "[[Über uns|\t]]"])
def test_a_link_with_an_empty_label_shows_the_pages_title(organisation, text):
    space = SpaceFactory(organisation=organisation, slug="lindenhof")
    PageFactory(space=space, title="Über uns")
    page = PageFactory(space=space, title="Start", text=f"Siehe {text}.")
    assert ('<a class="wikilink" href="/wiki/lindenhof/ueber-uns/" rel="noopener noreferrer nofollow">Über uns</a>'
            in page.html)
    assert "[[" not in page.html
    assert {link.target_slug for link in Link.objects.filter(source=page)} == {"ueber-uns"}


@pytest.mark.django_db
def test_missing_link_note_is_added_in_the_readers_language(organisation, settings):
    page = PageFactory(space=SpaceFactory(organisation=organisation), text="[[Gibt es nicht]]")
    from django.utils import translation

    with translation.override("en"):
        assert '<span class="visually-hidden"> (page does not exist yet)</span>' in wiki_html(page.html)
    assert "does not exist" not in page.html  # the stored HTML is language-neutral


@pytest.mark.django_db
def test_creating_a_missing_page_turns_red_links_blue(organisation):
    space = SpaceFactory(organisation=organisation)
    linking = PageFactory(space=space, title="Start", text="Bitte [[Kontakt]] lesen.")
    assert "wikilink-missing" in linking.html
    kontakt = PageFactory(space=space, title="Kontakt")
    linking.refresh_from_db()
    assert "wikilink-missing" not in linking.html and f'href="/wiki/{space.slug}/kontakt/"' in linking.html
    assert Link.objects.get(source=linking).target_page == kontakt
    assert list(Link.objects.filter(target_page=kontakt).values_list("source__title", flat=True)) == ["Start"]


@pytest.mark.django_db
def test_links_to_an_earlier_title_follow_the_rename(organisation):
    space = SpaceFactory(organisation=organisation)
    target = PageFactory(space=space, title="Alter Name")
    edit(target, member_of(space), target.current_revision.text, title="Neuer Name")
    page = PageFactory(space=space, title="Verweis", text="[[Alter Name]]")
    assert f'href="/wiki/{space.slug}/neuer-name/"' in page.html
    assert Link.objects.get(source=page).target_page == target


@pytest.mark.django_db
def test_stored_html_is_what_the_sanitiser_returns(organisation):
    """Nothing unsanitised reaches Page.html: rendering it again with the sanitiser changes nothing."""
    space = SpaceFactory(organisation=organisation)
    page = PageFactory(space=space, text="\n\n".join(XSS_PAYLOADS))
    stored = Page.objects.get(pk=page.pk).html
    assert sanitise(stored) == stored
    assert problems_in(stored) == []
    assert services.render_text(space=space, text=page.current_revision.text).html == stored


@pytest.mark.django_db
def test_rerender_command_reproduces_the_stored_html(organisation):
    from io import StringIO

    from django.core.management import call_command

    space = SpaceFactory(organisation=organisation)
    PageFactory(space=space, title="Ziel")
    page = PageFactory(space=space, title="Quelle", text="## Kopf\n\n[[Ziel]] und [[Fehlt]] <script>x</script>")
    Page.objects.filter(pk=page.pk).update(html="<p>veraltet</p>", toc=[])
    call_command("wiki_rerender", stdout=StringIO())
    refreshed = Page.objects.get(pk=page.pk)
    assert (refreshed.html, refreshed.toc) == (page.html, page.toc)
