"""Demo people for seed_demo: a site admin, an instructor and six students."""

from allauth.account.models import EmailAddress

from accounts.models import User

PEOPLE = [
    # username, first, last, display name, bio, role
    ("admin", "Site", "Admin", "", "Keeps the lights on.", "site admin (Django admin)"),
    (
        "hmarsh",
        "Helen",
        "Marsh",
        "Dr Helen Marsh",
        "Historian of the late Soviet period. Office hours Tuesdays, 2–4pm, room 312.",
        "instructor",
    ),
    (
        "anya",
        "Anya",
        "Kowalczyk",
        "",
        "Third year, history and Russian. Collects old posters.",
        "student",
    ),
    ("ben", "Ben", "Okafor", "", "Economics major taking his first history seminar.", "student"),
    (
        "chioma",
        "Chioma",
        "Adeyemi",
        "",
        "Interested in film, censorship and everything in between.",
        "student",
    ),
    (
        "dmitri",
        "Dmitri",
        "Sokolov",
        "",
        "Grew up hearing my grandmother's stories about Leningrad.",
        "student",
    ),
    (
        "elena",
        "Elena",
        "Ruiz",
        "",
        "Political science; writing a thesis on dissident networks.",
        "student",
    ),
    (
        "farid",
        "Farid",
        "Haddad",
        "",
        "Likes maps, timetables and five-year plans that went wrong.",
        "student",
    ),
]


# farid appears to the public under a pseudonym (docs/privacy.md, "Public names").
PUBLIC_NAMES = {"farid": {"name_in_public": "pseudonym", "pseudonym": "Mapmaker"}}


def seed(ctx):
    users = {}
    for username, first, last, display, bio, role in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "display_name": display,
                "bio": bio,
                "email": f"{username}@example.edu",
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
                **PUBLIC_NAMES.get(username, {}),
            },
        )
        if created:
            user.set_password(ctx["password"])
            user.save(update_fields=["password"])
        # Verified, so the accounts sign in where verification is mandatory (DEBUG off).
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        users[username] = user
        ctx["logins"].append((username, role))
    ctx["users"] = users
