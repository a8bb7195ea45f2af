"""The name a person is shown under: ONE function, ``shown_name(person, course, viewer)``
(docs/privacy.md, "Public names").

Inside a course its members (and staff) see each other's names as always. Everyone
else (anonymous readers, feeds, search engines, people outside the course, guests
emailed about a discussion) sees the person's public name: their name, a pseudonym,
their initials, or "A student" (a directory opt-out), as the person chose, or as the
course decides when they left it to the course. A public name comes without the
person's username, profile links and uploaded photo.

accounts sits below blog, so the course is asked, never imported: it answers
``shows_member_names_to(viewer)`` (built on ``course.role_of``) and says whether it
uses pseudonyms (``public_names``). Templates reach this through ``{% shown_name %}``
(accounts_tags); Python through this function.
"""

from dataclasses import dataclass

from accounts.avatars import initials_of
from accounts.models import User

OPTED_OUT = "A student"
PSEUDONYMS = "pseudonyms"  # blog.models.PublicNames.PSEUDONYMS


@dataclass(frozen=True)
class ShownName:
    """What a reader is shown of a person: ``text``, and whether it is a public name
    standing in for them (``is_public``: no username, no links to their pages, no
    photo)."""

    person: object
    text: str
    is_public: bool

    def __str__(self):
        return self.text

    @property
    def links(self):
        """May the page link to the person's profile and author pages (their username)?"""
        return not self.is_public

    @property
    def initials(self):
        return "?" if self.text == OPTED_OUT else initials_of(self.text)

    @property
    def avatar(self):
        """The person's uploaded photo, never with a public name (``{% avatar %}``)."""
        return None if self.is_public else self.person.avatar


def public_name(person, *, course_uses_pseudonyms=False):
    """The name the public sees of a person, or None: their own name."""
    choice = person.name_in_public or (
        User.NameInPublic.PSEUDONYM if course_uses_pseudonyms else User.NameInPublic.NAME
    )
    if choice == User.NameInPublic.NAME:
        return None
    if choice == User.NameInPublic.HIDDEN:
        return OPTED_OUT
    if choice == User.NameInPublic.PSEUDONYM and person.pseudonym.strip():
        return person.pseudonym.strip()
    legal = person.get_full_name() or person.display_name or person.username
    return ". ".join(initials_of(legal)) + "."


def shown_name(person, course, viewer):
    """The name `viewer` sees of `person` on a page of `course` (None: a page of no
    course, such as the person's profile, where knowing them means sharing a course).
    On a course's pages it depends only on the viewer's role there, which is what the
    page cache keeps a signed-in reader's copy under (blog/pages.py)."""
    if course is not None:
        knows = course.shows_member_names_to(viewer)
        uses_pseudonyms = course.public_names == PSEUDONYMS
    else:
        knows = knows_outside_courses(person, viewer)
        uses_pseudonyms = (
            not knows and person.memberships.filter(course__public_names=PSEUDONYMS).exists()
        )
    text = None if knows else public_name(person, course_uses_pseudonyms=uses_pseudonyms)
    return ShownName(person, text or person.name, text is not None)


def knows_outside_courses(person, viewer):
    """Off any course's pages (the profile): staff, and members of a course the
    person belongs to, know their name."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.is_staff or viewer.is_superuser:
        return True
    shared = person.memberships.filter(course__memberships__user_id=viewer.pk)
    return shared.exists()
