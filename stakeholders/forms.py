from allauth.core import ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's signup form: how others see you, and your language."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown to others instead of your email address."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices, initial=User.Language.GERMAN)

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["display_name", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "phone", "language"]


class MembershipRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in Membership.REQUESTABLE_ROLES],
    )
    message = forms.CharField(
        label=_("Message to the staff (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_listed = forms.BooleanField(
        label=_("Show my display name and role on the organisation's page"), required=False
    )


class AccountDeleteForm(forms.Form):
    """The person confirms the deletion of their account with their current password."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is really you who deletes the account."),
        error_messages={"required": _("Enter your current password to confirm. Nothing has been deleted.")},
    )

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Shares allauth's limit for confirming one's password while signed in, so it cannot be guessed here.
        if self.request is not None and not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(_("Too many attempts. Please wait a minute and try again."))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password. Nothing has been deleted."))
        return password
