"""Forms of the wiki pages. They only parse input; the services check the rules and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import field_label

from .models import Page, Revision

TITLE_HELP = _("Other pages link to it with [[title]]. Changing it renames the page; old links keep working.")
TEXT_HELP = _(
    "Markdown: ## for a heading, **bold**, *italic*, - for a list. Link to another page with [[Page title]] "
    "or [[Page title|other words]]. At most 100,000 characters."
)


class PageForm(forms.Form):
    """Title, text and summary of an edit; ``base_revision`` is the revision the editor started from."""

    title = forms.CharField(label=field_label(Page, "title"), max_length=200, help_text=TITLE_HELP)
    text = forms.CharField(label=field_label(Revision, "text"), widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=TEXT_HELP, strip=False)
    summary = forms.CharField(
        label=field_label(Revision, "summary"), max_length=300, required=False,
        help_text=_("Optional. A few words about what you changed, for the history."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NewPageForm(PageForm):
    base_revision = None


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=_("Why revert?"), max_length=300, required=False,
        help_text=_("Optional. Shown in the history next to the new revision."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HandoverForm(forms.Form):
    pages = forms.ModelMultipleChoiceField(
        label=_("Pages to hand over"), queryset=Page.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one page to hand over.")},
    )
    owner = forms.ModelChoiceField(
        label=_("New owner"), queryset=None, empty_label=None,
        help_text=_("Someone who holds a role in the organisation now."),
    )

    def __init__(self, *args, pages, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = pages
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda person: person.display_name


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the wiki"), max_length=200, required=False)
