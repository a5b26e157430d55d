"""The wiki's refusals: a translated message, and for edit conflicts what is needed to merge."""
from functools import cached_property

from django.utils.translation import gettext as _

from coproduction.errors import DomainError

from ..merge import merge3


class WikiError(DomainError):
    """A change the rules of the wiki refuse; the message is shown to the person, at ``field`` when it names one."""


class EditConflict(WikiError):
    """Someone saved the page after the editor opened it; nothing was saved."""

    def __init__(self, *, base, current, title, text, summary):
        super().__init__(_("Someone else saved this page after you started editing. Nothing has been saved yet."))
        self.base, self.current = base, current
        self.title, self.text, self.summary = title, text, summary

    @cached_property
    def merge(self):
        return merge3(self.base.text, self.current.text, self.text)

    @property
    def merged_title(self):
        """Mine if I changed the title, else theirs (so their rename is not undone)."""
        return self.title if self.title != self.base.title else self.current.title
