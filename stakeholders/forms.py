from allauth.core import ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

from .districts import district_choices
from .models import Membership, User

DISTRICT_ERRORS = {"invalid_choice": _("Choose one of the listed districts, or “not listed”.")}


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's signup form: how others see you, your language and, if you like,
    the district you live in (budgets limited to residents ask for it)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown to others instead of your email address."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices, initial=User.Language.GERMAN)
    district = forms.ChoiceField(
        label=_("District you live in (optional)"), required=False, error_messages=DISTRICT_ERRORS,
        help_text=_("Some participatory budgets are open only to the residents of certain districts. "
                    "You can change it in your profile at any time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.language = self.cleaned_data["language"]
        user.district = self.cleaned_data["district"]
        user.save(update_fields=["display_name", "language", "district"])


class ProfileForm(forms.ModelForm):
    district = forms.ChoiceField(label=_("District you live in (optional)"), required=False,
                                 error_messages=DISTRICT_ERRORS)

    class Meta:
        model = User
        fields = ["display_name", "bio", "phone", "language", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(self.instance.district)
        self.fields["district"].help_text = User._meta.get_field("district").help_text


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
