"""Page addresses from titles: German transliteration to ASCII, Unicode only when nothing Latin is left.

Decision: "Über uns" becomes ``ueber-uns`` and "Straße" ``strasse`` (the German convention for
ASCII spellings), so addresses survive being pasted into emails and letters. Other accents are
dropped ("Reparaturcafé" → ``reparaturcafe``). A title without any Latin letters or digits
(Arabic, Cyrillic, …) keeps a Unicode slug instead of an empty one. The same function turns
``[[Wiki links]]`` into addresses, so a link and the page it names always agree; a typed address
with umlauts (``/wiki/space/über-uns/``) is redirected to the transliterated one.
"""
from django.utils.text import slugify

MAX_SLUG_LENGTH = 200
# Addresses below a space that are not pages; a title slugged to one of these gets "-page".
RESERVED_PAGE_SLUGS = frozenset({"new", "changes", "handover", "review", "watch", "search"})
RESERVED_SPACE_SLUGS = frozenset({"search", "changes", "new"})

TRANSLITERATION = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS",
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th",
})


def slug_for(title):
    """The address part for a page title; empty when the title has no letter or digit at all."""
    slug = slugify(title.translate(TRANSLITERATION))
    if not slug:
        slug = slugify(title, allow_unicode=True)
    slug = slug[:MAX_SLUG_LENGTH].strip("-_")
    if slug in RESERVED_PAGE_SLUGS:
        slug = f"{slug}-page"
    return slug
