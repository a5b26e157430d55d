"""Markdown to safe HTML: wiki links resolved, a table of contents, then nh3 with an allow-list.

The result is stored on the page when it is saved, so reading a page costs no rendering. The
stored HTML is language-neutral: a link to a missing page carries an empty marker span that the
``wiki_html`` template filter replaces, at display time, with a visually hidden note in the
reader's language ("page does not exist yet").
"""
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlencode

import markdown
import nh3
from django.urls import reverse
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .slugs import slug_for

MAX_TITLE_LENGTH = 200
# [[Target]] or [[Target|label]]; no brackets, pipes or line breaks inside. An empty or blank label, as
# left by someone who deleted it or by a sanitiser that removed markup from it, shows the target's title.
WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]{1,%d}?)(?:\|([^\[\]\n]{0,%d}?))?\]\]" % (MAX_TITLE_LENGTH, MAX_TITLE_LENGTH))
MISSING_MARKER = '<span class="wikilink-note"></span>'
HEADING_ID_PREFIX = "h-"

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "sub", "sup", "small", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    # A table column's alignment comes as the align attribute, never as style="": the site's Content
    # Security Policy refuses inline styles.
    "th": {"align", "scope"},
    "td": {"align"},
    **{heading: {"id"} for heading in ("h2", "h3", "h4", "h5", "h6")},
}
ALLOWED_CLASSES = {"a": {"wikilink", "wikilink-missing"}, "span": {"wikilink-note"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {"script", "style", "template", "svg", "math", "iframe", "object", "noscript", "textarea",
                      "select", "title"}

SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    id_prefix=HEADING_ID_PREFIX,
    strip_comments=True,
)


def sanitise(fragment):
    return SANITISER.clean(fragment)


@dataclass(frozen=True)
class LinkTarget:
    """Where a wiki link points: an existing page's current slug, or a missing one."""

    slug: str
    page_id: int | None


@dataclass
class Rendered:
    html: str
    toc: list
    links: dict = field(default_factory=dict)  # slug -> (title as written, page id or None)


def link_targets(text):
    """The slugs (and titles as written) of every [[link]] in ``text``, before Markdown runs."""
    targets = {}
    for match in WIKI_LINK.finditer(text):
        title = " ".join(match.group(1).split())
        slug = slug_for(title)
        if slug:
            targets.setdefault(slug, title)
    return targets


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern, md, space_slug, resolved, found):
        super().__init__(pattern, md)
        self.space_slug, self.resolved, self.found = space_slug, resolved, found

    def handleMatch(self, match, data):
        title = " ".join(match.group(1).split())
        label = " ".join((match.group(2) or "").split()) or title
        slug = slug_for(title)
        if not slug:
            return None, None, None
        target = self.resolved.get(slug)
        anchor = etree.Element("a")
        anchor.text = AtomicString(label)  # shown as written: no Markdown or raw HTML inside a link label
        if target is not None and target.page_id is not None:
            anchor.set("href", reverse("wiki:page", args=[self.space_slug, target.slug]))
            anchor.set("class", "wikilink")
        else:
            query = urlencode({"title": title})
            anchor.set("href", f"{reverse('wiki:page_new', args=[self.space_slug])}?{query}")
            anchor.set("class", "wikilink-missing")
            anchor.append(etree.Element("span", {"class": "wikilink-note"}))
        self.found.setdefault(slug, (title, target.page_id if target else None))
        return anchor, match.start(0), match.end(0)


class DemoteTopHeadings(Treeprocessor):
    """"# Heading" becomes <h2> like "## Heading": the page title is the only <h1>, and people who
    start their sections with # or with ## both get the same, gap-free heading levels."""

    def run(self, root):
        for heading in root.iter("h1"):
            heading.tag = "h2"


class WikiLinkExtension(markdown.Extension):
    def __init__(self, space_slug, resolved, found):
        super().__init__()
        self.space_slug, self.resolved, self.found = space_slug, resolved, found

    def extendMarkdown(self, md):
        processor = WikiLinkProcessor(WIKI_LINK.pattern, md, self.space_slug, self.resolved, self.found)
        # Above reference links (170) and raw HTML (90), below code spans (190) and escapes (180).
        md.inlinePatterns.register(processor, "wikilink", 175)
        md.treeprocessors.register(DemoteTopHeadings(md), "demote_top_headings", 30)  # before the contents (toc)


def _heading_id(value, separator):
    return HEADING_ID_PREFIX + (slug_for(value) or "section")


def _toc(tokens):
    """Markdown's nested headings as plain-text data; the template escapes the names."""
    return [
        {"id": token["id"], "name": html.unescape(re.sub(r"<[^>]*>", "", token["name"])),
         "children": _toc(token["children"])}
        for token in tokens
    ]


def render(text, *, space_slug, resolved):
    """Renders page text; ``resolved`` maps link slugs to LinkTarget for the pages that exist."""
    found = {}
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", WikiLinkExtension(space_slug, resolved, found)],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-4"},
                           "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    raw = md.convert(text)
    return Rendered(html=sanitise(raw), toc=_toc(md.toc_tokens), links=found)
