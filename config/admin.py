"""The Django admin site, in Commonplace's name, its index grouped by the jobs of the
people who run the site rather than by Python package.

``config.apps.AdminConfig`` makes this the default site (INSTALLED_APPS), so every
app's ``admin.register`` lands here. Only the index and the sidebar are grouped: an
app's own page (/admin/blog/) lists that app as Django builds it.
"""

from django.contrib import admin
from django.utils.text import slugify

# (group, models as "app_label.ModelName"), in the order the index shows them.
GROUPS = [
    (
        "Courses and people",
        [
            "blog.Course", "blog.Membership", "blog.Invitation", "blog.Topic", "accounts.User",
            "auth.Group",
        ],
    ),
    (
        "Writing",
        [
            "blog.Post", "coursepages.Page", "comments.Comment", "blog.BodyImage", "blog.Embed",
            "blog.PostLike", "comments.CommentLike", "blog.AnnouncementSeen",
        ],
    ),
    (
        "Coursework",
        [
            "assignments.Assignment", "assignments.RubricCriterion", "assignments.Submission",
            "assignments.PostSnapshot", "assignments.Extension", "assignments.Feedback",
            "assignments.Grade",
        ],
    ),
    (
        "Recognition",
        ["awards.Award", "awards.AwardGrant", "badges.Credential", "badges.SigningKey"],
    ),
    (
        "Mail and notifications",
        [
            "notifications.Notification", "notifications.NotificationPreference",
            "notifications.GuestSubscription", "django_tasks_database.DBTaskResult",
        ],
    ),
    ("WordPress imports", ["imports.ImportRun", "imports.OldLink", "imports.Placeholder"]),
    ("Privacy requests", ["privacy.DataExport", "privacy.Erasure"]),
    ("LMS connections", ["lti.Platform", "lti.Context", "lti.Identity", "lti.ToolKey"]),
    (
        "Sign-in and the site",
        [
            "accounts.Institution", "account.EmailAddress", "socialaccount.SocialAccount",
            "socialaccount.SocialApp",
            "socialaccount.SocialToken", "sites.Site",
        ],
    ),
]  # fmt: skip
OTHER = "Other"  # a model registered later and not yet placed in a group


class CommonplaceAdminSite(admin.AdminSite):
    site_header = "Commonplace administration"
    site_title = "Commonplace administration"
    index_title = "Run the site"

    def get_app_list(self, request, app_label=None):
        if app_label is not None:  # an app's own index page: that app, as Django lists it
            return super().get_app_list(request, app_label)
        models = {
            entry["model"]._meta.label: entry
            for app in self._build_app_dict(request).values()
            for entry in app["models"]
        }  # only the models this user may see
        groups = [
            (name, [models.pop(label) for label in labels if label in models])
            for name, labels in GROUPS
        ]
        groups.append((OTHER, sorted(models.values(), key=lambda entry: entry["name"])))
        return [self.group(request, name, entries) for name, entries in groups if entries]

    @staticmethod
    def group(request, name, entries):
        """A group in the shape of Django's app dicts (admin/app_list.html reads it)."""
        return {
            "name": name,
            "app_label": slugify(name),
            "app_url": "",  # a group has no page of its own
            "is_group": True,
            "is_current": any(
                entry["admin_url"] and request.path.startswith(entry["admin_url"])
                for entry in entries
            ),
            "has_module_perms": True,
            "models": entries,
        }
