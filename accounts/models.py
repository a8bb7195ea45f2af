from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from accounts.avatars import initials_of


class User(AbstractUser):
    """A person with an account. Guests who comment are not users."""

    class NameInPublic(models.TextChoices):
        """How a student appears outside their courses (accounts.names, docs/privacy.md)."""

        COURSE = "", "As my course decides (my name, or initials where it uses pseudonyms)"
        NAME = "name", "My name"
        PSEUDONYM = "pseudonym", "My pseudonym"
        INITIALS = "initials", "My initials"
        HIDDEN = "hidden", "No name: “A student” (directory opt-out)"

    display_name = models.CharField(
        max_length=100, blank=True, help_text="The name shown on your posts and comments."
    )
    bio = models.TextField("short bio", max_length=600, blank=True)
    website = models.URLField(max_length=300, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    name_in_public = models.CharField(
        "your name outside your courses",
        max_length=12,
        choices=NameInPublic.choices,
        default=NameInPublic.COURSE,
        blank=True,
        help_text="Members of your courses always see your name; this is what everyone "
        "else sees: public pages, feeds, search engines.",
    )
    pseudonym = models.CharField(
        max_length=60,
        blank=True,
        help_text="Not your name or username. Used where you (or your course) chose a pseudonym.",
    )

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name to show people: display name, else full name, else username."""
        return self.display_name or self.get_full_name() or self.username

    def get_short_name(self):
        """What the admin greets ("Welcome, …"): the name shown everywhere else, not a
        bare first name."""
        return self.name

    @property
    def initials(self):
        return initials_of(self.name)

    def can_edit(self, user):
        """Only the person themself edits their profile."""
        return user.is_authenticated and user.pk == self.pk

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})


class InstitutionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(provider__in=("openid_connect", "saml"))


class Institution(SocialApp):
    """A university's identity provider: an allauth app of the openid_connect or saml
    provider, edited in the admin with named fields (accounts.institutions, docs/sso.md)."""

    objects = InstitutionManager()

    class Meta:
        proxy = True
        verbose_name = "institution (single sign-on)"
        verbose_name_plural = "institutions (single sign-on)"
