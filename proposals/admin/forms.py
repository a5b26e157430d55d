"""The back office forms of proposals: status answers, hiding, assisted entries."""
from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduction.images import PicturesFormMixin

from .. import services
from ..models import Call, Channel, Proposal, Support


OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]
# The statuses staff may move a proposal to; author moves (publish, withdraw) stay on the site.
STAFF_TARGETS = [
    (value, label) for value, label in Proposal.Status.choices
    if any(moves.get(value) == "staff" for moves in services.TRANSITIONS.values())
]


# Forms -------------------------------------------------------------------------------------

class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=STAFF_TARGETS)
    response = forms.CharField(
        label=_("Public response"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown on the page of every selected proposal as the organisation's official answer."),
    )


def answer_form_for(proposal):
    """The one-step answer on a proposal's page: the statuses staff may move it to now, and the response."""
    moves = services.TRANSITIONS[proposal.status]
    choices = [(value, label) for value, label in Proposal.Status.choices if moves.get(value) == "staff"]
    if not choices:
        return None

    class AnswerForm(StatusChangeForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["to_status"].choices = choices
            self.fields["response"].help_text = _("Shown on the proposal's page as the organisation's official "
                                                  "answer; the author and its followers are told.")

    return AnswerForm


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"), max_length=300,
        help_text=_("Shown publicly in place of the hidden content."),
    )


def _channel_field():
    return forms.ChoiceField(label=_("How the participant took part"), choices=OFFLINE_CHANNELS)


def _consent_field():
    # The service refuses an entry without consent too; here the message sits at the checkbox.
    return forms.BooleanField(
        label=_("The participant agreed that I enter this on their behalf"),
        error_messages={"required": _("Record that the participant agreed before entering this on their behalf.")},
    )


class ProposalIdWidget(ForeignKeyRawIdWidget):
    """Django's id box with a lookup popup, as a select would list every proposal.

    It names the chosen proposal only when it is one of those offered, so typing another
    organisation's id reveals nothing.
    """

    def __init__(self, admin_site, proposals):
        super().__init__(Support._meta.get_field("proposal").remote_field, admin_site)
        self.proposals = proposals

    def label_and_url_for_value(self, value):
        try:
            offered = self.proposals.filter(pk=value).exists()
        except (ValueError, ValidationError):
            offered = False
        return super().label_and_url_for_value(value) if offered else ("", "")


class AssistedForm(forms.Form):
    """Channel and consent: what makes an entry by staff an assisted one, not impersonation."""

    proposal = forms.ModelChoiceField(
        label=_("Proposal"), queryset=Proposal.objects.none(),
        help_text=_("The proposal's number; the magnifier finds it in the list."),
    )
    channel = _channel_field()
    consent_recorded = _consent_field()

    def __init__(self, *args, proposals, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].widget = ProposalIdWidget(admin_site, proposals)


class AssistedSupportForm(AssistedForm):
    pass


class AssistedCommentForm(AssistedForm):
    text = forms.CharField(label=_("Comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["proposal", "text", "channel", "consent_recorded"]


class AssistedProposalForm(PicturesFormMixin, forms.ModelForm):
    pictures = {"image": _("Picture (optional)")}
    channel = _channel_field()
    consent_recorded = _consent_field()

    class Meta:
        model = Proposal
        fields = ["organisation", "title", "summary", "text", "planning", "delivery", "call", "category",
                  "district", "estimated_cost"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["call"].queryset = Call.objects.open().filter(organisation__in=organisations)
