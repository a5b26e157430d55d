import factory
from allauth.account.models import EmailAddress

from stakeholders.models import Membership, Organisation, User

PASSWORD = "a-long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    phone = factory.Sequence(lambda n: f"0561 555 {n:04d}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Stadtteilzentrum {n}")
    slug = factory.Sequence(lambda n: f"stadtteilzentrum-{n}")
    purpose = "Wir bringen Menschen im Viertel zusammen."
    city = "Kassel"
    district = "Nordstadt"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@zentrum.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.VOLUNTEER
    status = Membership.Status.APPROVED
    is_listed = True
