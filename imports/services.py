"""Import a WordPress export into a course, and undo an import (docs/style.md).

``import_export`` validates everything first (``imports.wxr.parse`` raised before any
write), then writes in one transaction: people, topics, posts (bulk, with their
Markdown rendered and sanitised exactly as ``Post.save`` does, and search documents
filled), comments (bulk, level by level so replies know their parent), awards and old
links. ``ImportedItem`` rows map WordPress ids to our objects: importing the same file
again updates what it made and duplicates nothing; undoing a run deletes what it made.
"""

import re
import zoneinfo
from collections import Counter, defaultdict
from datetime import UTC
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.images import clean_image_upload
from awards.models import Award, AwardGrant
from blog import media, versions
from blog.models import (
    RESERVED_POST_SLUGS,
    BodyImage,
    Course,
    Membership,
    Post,
    Role,
    Topic,
    unique_slug,
)
from blog.rendering import plain_text, render_comment_markdown, render_post_markdown
from blog.services import _drop_image, get_or_create_topic, set_featured_image, store_body_image
from comments.models import MAX_GUEST_NAME_LENGTH, Comment
from coursepages.models import RESERVED_PAGE_SLUGS, Page
from imports.media import MediaRefused, MediaSource, uploads_path
from imports.models import DEAD_AFTER, ImportedItem, ImportRun, OldLink, Placeholder
from imports.wxr import parse

Kind = ImportedItem.Kind
POST_STATUSES = {
    "publish": Post.Status.PUBLISHED,
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.DRAFT,
    "private": Post.Status.DRAFT,
    "future": Post.Status.DRAFT,
}
SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an auto-draft", "inherit": "a revision"}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
SKIPPED_COMMENT_TYPES = {"pingback", "trackback"}
IGNORED_TOPICS = {"uncategorized"}
FEED_PATHS = [
    "/feed/", "/feed/rss/", "/feed/rss2/", "/feed/atom/", "/feed/rdf/", "/comments/feed/",
    "/?feed=rss2", "/?feed=rss", "/?feed=atom", "/?feed=rdf",
]  # fmt: skip
PROGRESS_EVERY = 50
DEEP = "it is nested too deep to convert"
_url = URLValidator(schemes=["http", "https"])


def old_path(url):
    """The part of an old permalink that names it on the old site: path and ?p=/?… query."""
    parts = urlsplit(url or "")
    path = unquote(parts.path) or "/"
    if parts.query:
        return f"{path}?{parts.query}"
    return path if path.endswith("/") else path + "/"


POST_FIELDS = [
    "author_id", "title", "body", "excerpt", "status", "published_at", "image",
    "image_alt", "image_caption", "image_credit", "image_credit_url",
]  # fmt: skip
COMMENT_FIELDS = [
    "author", "guest_name", "guest_email", "guest_website", "body", "status", "created",
]  # fmt: skip


def _values(obj, fields):
    return tuple(getattr(obj, "author_id" if f == "author" else f) for f in fields)


def _valid_email(value):
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _valid_url(value):
    try:
        _url(value)
    except ValidationError:
        return ""
    return value[:300]


class Importer:
    def __init__(self, *, course, export, media=None, award_category="", started_by=None,
                 run=None, dry_run=False, progress=None):  # fmt: skip
        self.course = course
        self.export = export
        self.media = media or MediaSource()
        self.award_category = (award_category or "").strip()
        self.started_by = started_by
        self.run = run
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.tz = zoneinfo.ZoneInfo(course.time_zone)
        self.report = {
            "posts": Counter(),
            "pages": Counter(),
            "comments": Counter(),
            "users": {"created": []},
            "media": {"found": 0, "missing": [], "skipped": [], "placeholders": defaultdict(list)},
            "skipped": [],
            "refused": [],
            "private": [],
            "scheduled": [],
            "shortcodes": defaultdict(list),
            "topics": 0,
            "award": None,
            "old_links": 0,
        }
        self.new_items = []  # ImportedItem rows to add
        self.users = {}  # author login -> User
        self.users_by_wp_id = {}
        self.posts = {}  # wp id -> Post
        self.pages = {}  # wp id -> Page
        self.done = 0
        self.total = 0

    # --- the whole run ---

    def run_import(self):
        with transaction.atomic():
            self.mapping = self._load_mapping()
            self.attachments = {
                i.wp_id: i for i in self.export.items if i.post_type == "attachment"
            }
            posts = [i for i in self.export.items if i.post_type == "post"]
            pages = [i for i in self.export.items if i.post_type == "page"]
            self.total = len(posts) + len(pages) + sum(len(i.comments) for i in posts + pages)
            self._count_other_types()
            self._import_authors()
            self._import_posts(posts)
            self._import_pages(pages)
            self._import_comments(posts + pages)
            self._add_memberships()
            self._grant_awards(posts)
            self._add_old_links(posts + pages)
            versions.changed(course=self.course)
            if self.run is not None and not self.dry_run:
                for item in self.new_items:
                    item.run = self.run
                ImportedItem.objects.bulk_create(self.new_items, batch_size=1000)
            if self.dry_run:
                transaction.set_rollback(True)
        self.progress(self.total, self.total)
        return self.summary()

    def summary(self):
        report = dict(self.report)
        report["posts"] = dict(report["posts"])
        report["pages"] = dict(report["pages"])
        report["comments"] = dict(report["comments"])
        report["shortcodes"] = {k: sorted(set(v)) for k, v in report["shortcodes"].items()}
        found = report["media"]
        report["media"] = {
            "found": found["found"],
            "missing": sorted(set(found["missing"])),
            "skipped": found["skipped"],
            "placeholders": {title: sorted(set(paths))
                             for title, paths in found["placeholders"].items()},
        }  # fmt: skip
        report["dry_run"] = self.dry_run
        report["site"] = {"title": self.export.title, "link": self.export.link}
        return report

    def _tick(self, n=1):
        self.done += n
        if self.done % PROGRESS_EVERY < n or self.done == self.total:
            self.progress(self.done, self.total)

    def _remember(self, kind, wp_id, obj_id, *, guid="", created=True):
        self.new_items.append(
            ImportedItem(
                course=self.course,
                kind=kind,
                wp_id=wp_id,
                guid=guid[:500],
                object_id=obj_id,
                created=created,
            )  # fmt: skip
        )

    def _load_mapping(self):
        """{kind: {wp_id: object_id}} of earlier imports, without rows whose object is gone."""
        mapping = defaultdict(dict)
        self.guids = {}
        rows = ImportedItem.objects.filter(course=self.course).values_list(
            "pk", "kind", "wp_id", "guid", "object_id"
        )
        live = {
            Kind.POST: set(Post.objects.filter(course=self.course).values_list("pk", flat=True)),
            Kind.COMMENT: set(Comment.objects.for_course(self.course).values_list("pk", flat=True)),
            Kind.PAGE: set(Page.objects.filter(course=self.course).values_list("pk", flat=True)),
        }
        stale = []
        for pk, kind, wp_id, guid, object_id in rows:
            if kind in live and object_id not in live[kind]:
                stale.append(pk)
                continue
            mapping[kind][wp_id] = object_id
            if kind == Kind.POST and guid:
                self.guids[guid] = object_id
        images = ImportedItem.objects.filter(course=self.course, kind=Kind.IMAGE)
        by_pk = BodyImage.objects.in_bulk([i.object_id for i in images])
        self.images = {i.guid: by_pk[i.object_id] for i in images if i.object_id in by_pk}
        if stale and not self.dry_run:
            ImportedItem.objects.filter(pk__in=stale).delete()
        return mapping

    def _count_other_types(self):
        others = Counter(
            i.post_type
            for i in self.export.items
            if i.post_type not in ("post", "page", "attachment")
        )
        for post_type, n in sorted(others.items()):
            self.report["skipped"].append(
                {"what": f"{n} × {post_type}", "reason": "only posts and pages are imported"}
            )

    # --- people ---

    def _import_authors(self):
        for author in self.export.authors:
            user = self._user_for(author.email, login=author.login, name=author.display_name,
                                  first=author.first_name, last=author.last_name)  # fmt: skip
            self.users[author.login] = user
            if author.wp_id:
                self.users_by_wp_id[author.wp_id] = user

    def _add_memberships(self):
        """Everyone who wrote in the old blog becomes a student of the course (unless
        they are a member already)."""
        members = set(
            Membership.objects.filter(course=self.course).values_list("user_id", flat=True)
        )
        people = self.__dict__.get("_user_cache", {}).values()
        new = {u.pk: u for u in people if u.pk not in members}
        created = Membership.objects.bulk_create(
            [Membership(course=self.course, user=u, role=Role.STUDENT) for u in new.values()]
        )
        for membership in created:
            if membership.pk:
                self._remember(Kind.MEMBERSHIP, None, membership.pk)

    def _user_for(self, email, *, login="", name="", first="", last=""):
        """The placeholder for this person: one an import made before, else a new one.

        Never an existing account, even with the same email: an instructor's file must
        not publish or comment as someone (staff included) or enrol them. The person
        takes the placeholder's work over by signing in with that address verified
        (imports.claims)."""
        User = get_user_model()
        email = _valid_email((email or "").strip())
        key = email.lower() or f"login:{login}"
        cache = self.__dict__.setdefault("_user_cache", {})
        if key in cache:
            return cache[key]
        user = None
        if not email:  # known only by login: the placeholder an earlier import made
            earlier = ImportedItem.objects.filter(course=self.course, kind=Kind.USER, guid=key)
            user = get_user_model().objects.filter(pk__in=earlier.values("object_id")).first()
        else:  # never an account: only a placeholder, which its person claims
            holder = Placeholder.objects.filter(email__iexact=email, user__is_active=False)
            user = holder.select_related("user").order_by("pk").first()
            user = user.user if user is not None else None
        if user is None:
            base = slugify(login or name or email.split("@")[0])[:120] or "author"
            taken = User.objects.filter(username__startswith=base)
            username = unique_slug(base, set(taken.values_list("username", flat=True)),
                                   max_length=140, fallback="author")  # fmt: skip
            user = User(username=username, is_active=False, display_name=(name or login)[:100],
                        first_name=first[:150], last_name=last[:150])  # fmt: skip
            user.set_unusable_password()
            user.save()
            Placeholder.objects.create(user=user, email=email)
            self._remember(Kind.USER, None, user.pk, guid=key)
            self.report["users"]["created"].append(user.name)
        cache[key] = user
        return user

    def _author_of(self, item):
        if item.creator not in self.users:
            self.users[item.creator] = self._user_for("", login=item.creator or "unknown")
        return self.users[item.creator]

    # --- posts ---

    def _date(self, gmt, local):
        if gmt:
            return gmt.replace(tzinfo=UTC)
        if local:
            return local.replace(tzinfo=self.tz)
        return None

    def _attachment_info(self):
        info = {}
        for wp_id, a in self.attachments.items():
            info[wp_id] = {
                "url": a.attachment_url or a.guid,
                "alt": a.meta.get("_wp_attachment_image_alt", ""),
                "caption": plain_text(a.excerpt),
            }
        return info

    def _body_image_url(self, post_author, title):
        """image_url for convert_post: the imported copy's address, the old one (not an
        upload, or a dry run), or None where the post shows "Image not imported"."""
        cache = self.__dict__.setdefault("_body_images", {})

        def imported(src):
            wanted = uploads_path(src)
            if not wanted:
                return src
            path = self.media.resolve(wanted)
            if path is None:
                self.report["media"]["missing"].append(wanted)
                return None
            if path in cache:
                return cache[path]
            if path in self.images:  # imported before
                cache[path] = media.stable_url(self.images[path].body_rendition["name"])
                return cache[path]
            cache[path] = None
            clean = self._clean_image(path)
            if clean is None:
                return None
            if self.dry_run:
                cache[path] = src
                return src
            image = store_body_image(course=self.course, user=post_author, clean=clean)
            self._remember(Kind.IMAGE, None, image.pk, guid=path)
            cache[path] = media.stable_url(image.body_rendition["name"])
            return cache[path]

        def image_url(src):
            url = imported(src)
            if url is None:
                self.report["media"]["placeholders"][title].append(uploads_path(src) or src)
            return url

        return image_url

    def _clean_image(self, path):
        """The cleaned image at `path` of the upload, or None when it is missing, too
        large or not an image we accept (reported: the rest of the import goes on)."""
        try:
            upload = self.media.open(path)
            if upload is None:
                self.report["media"]["missing"].append(uploads_path(path) or path)
                return None
            clean = clean_image_upload(upload)
        except MediaRefused as error:
            self.report["media"]["skipped"].append({"path": path, "reason": str(error)})
            return None
        except ValidationError as error:
            self.report["media"]["skipped"].append({"path": path, "reason": error.messages[0]})
            return None
        self.report["media"]["found"] += 1
        return clean

    def _import_posts(self, items):
        from imports import convert  # bs4 and markdownify: only while importing

        attachments = self._attachment_info()
        taken = set(Post.objects.filter(course=self.course).values_list("slug", flat=True))
        existing_ids = {
            self.mapping[Kind.POST].get(i.wp_id) or self.guids.get(i.guid) for i in items
        } - {None}
        existing = Post.objects.in_bulk(existing_ids)
        topic_of = self._topics(items)
        new, updated, post_topics, unchanged = [], [], {}, 0
        for item in items:
            self._tick()
            status = POST_STATUSES.get(item.status)
            if status is None:
                reason = SKIPPED_STATUSES.get(item.status, f"status “{item.status}”")
                self.report["skipped"].append({"what": item.title or f"post {item.wp_id}",
                                               "reason": f"it is {reason}"})  # fmt: skip
                self.report["posts"]["skipped"] += 1
                continue
            author = self._author_of(item)
            title = (item.title or "(untitled)")[:200]
            post_id = self.mapping[Kind.POST].get(item.wp_id) or self.guids.get(item.guid)
            post = existing.get(post_id) or Post(course=self.course)
            try:
                conversion = convert.convert_post(
                    item.content,
                    attachments=attachments,
                    image_url=self._body_image_url(author, title),
                )
                body_html = (
                    render_post_markdown(conversion.markdown)
                    if post.body != conversion.markdown or not post.pk
                    else None
                )
            except (convert.Refused, RecursionError) as error:  # fmt: skip
                reason = str(error) if isinstance(error, convert.Refused) else DEEP
                self.report["refused"].append({"what": title, "reason": reason})
                self.report["posts"]["refused"] += 1
                continue
            for name in conversion.unknown_shortcodes:
                self.report["shortcodes"][name].append(item.title)
            before = _values(post, POST_FIELDS) if post.pk else None
            post.author = author
            post.title = title
            if body_html is not None:
                post.body = conversion.markdown
                post.body_html = body_html
            post.excerpt = plain_text(item.excerpt or conversion.teaser)[:500]
            post.status = status
            when = self._date(item.date_gmt, item.date_local)
            post.published_at = when if status == Post.Status.PUBLISHED else None
            if not post.slug:
                post.slug = unique_slug(item.slug or item.title, taken,
                                        reserved=RESERVED_POST_SLUGS)  # fmt: skip
                taken.add(post.slug)
            if item.status == "private":
                self.report["private"].append(post.title)
            if item.status == "future":
                self.report["scheduled"].append(post.title)
            self._featured_image(post, item)
            self.report["posts"][status] += 1
            if before is None:
                new.append((item, post, when))
            elif before != _values(post, POST_FIELDS):
                updated.append((item, post, when))
            else:
                unchanged += 1
            post_topics[item.wp_id] = topic_of.get(item.wp_id, [])
            self.posts[item.wp_id] = post
        now = timezone.now()
        Post.objects.bulk_create([p for _, p, _ in new], batch_size=500)
        # Keep their original dates (auto_now_add stamped them with today).
        Post.objects.filter(pk__in=[p.pk for _, p, _ in new], published_at__isnull=False).update(
            created=F("published_at"), updated=F("published_at")
        )
        drafts = [p for _, p, when in new if p.published_at is None and when]
        for _item, post, when in new:
            if post.published_at is None and when:
                post.created = post.updated = when
        Post.objects.bulk_update(drafts, ["created", "updated"], batch_size=500)
        for _item, post, _when in updated:
            post.updated = now
        Post.objects.bulk_update(
            [p for _, p, _ in updated],
            ["author", "title", "body", "body_html", "excerpt", "status", "published_at",
             "image", "image_renditions", "image_alt", "image_caption", "image_credit",
             "image_credit_url", "updated"],
            batch_size=500,
        )  # fmt: skip
        pks = [p.pk for _, p, _ in new + updated]
        self.report["posts"]["unchanged"] = unchanged
        Post.objects.filter(pk__in=pks).refresh_search_vectors()
        for item, post, _when in new:
            self._remember(Kind.POST, item.wp_id, post.pk, guid=item.guid)
        self.report["posts"]["updated"] = len(updated)
        self.report["posts"]["created"] = len(new)
        Through = Post.topics.through
        Through.objects.bulk_create(
            [Through(post_id=self.posts[wp_id].pk, topic_id=t.pk)
             for wp_id, topics in post_topics.items() for t in topics],
            ignore_conflicts=True, batch_size=1000,
        )  # fmt: skip

    def _import_pages(self, items):
        """WordPress pages become the course's pages (coursepages), in their menu order,
        each under its top-level ancestor (our menu nests one level). A course has a
        few pages: each is saved on its own, which renders its body as Page.save does."""
        from imports import convert  # bs4 and markdownify: only while importing

        attachments = self._attachment_info()
        existing = Page.objects.in_bulk(set(self.mapping[Kind.PAGE].values()))
        taken = set(Page.objects.filter(course=self.course).values_list("slug", flat=True))
        counts = self.report["pages"]
        for item in items:
            self._tick()
            title = (item.title or "(untitled)")[:200]
            status = POST_STATUSES.get(item.status)
            if status is None:
                reason = SKIPPED_STATUSES.get(item.status, f"status “{item.status}”")
                self.report["skipped"].append({"what": title, "reason": f"it is {reason}"})
                counts["skipped"] += 1
                continue
            author = self._author_of(item)
            try:
                conversion = convert.convert_post(
                    item.content,
                    attachments=attachments,
                    image_url=self._body_image_url(author, title),
                )
            except (convert.Refused, RecursionError) as error:  # fmt: skip
                reason = str(error) if isinstance(error, convert.Refused) else DEEP
                self.report["refused"].append({"what": title, "reason": reason})
                counts["refused"] += 1
                continue
            page = existing.get(self.mapping[Kind.PAGE].get(item.wp_id)) or Page(course=self.course)
            created = page.pk is None
            if created:  # WordPress's switch, once: later runs keep the instructor's
                page.allows_comments = item.comment_status == "open"
            page.author, page.title, page.body = author, title, conversion.markdown
            page.status, page.order = status, max(item.menu_order, 0)
            when = self._date(item.date_gmt, item.date_local)
            page.published_at = when if status == Page.Status.PUBLISHED else None
            if not page.slug:
                page.slug = unique_slug(item.slug or item.title, taken,
                                        fallback="page", reserved=RESERVED_PAGE_SLUGS)  # fmt: skip
                taken.add(page.slug)
            page.parent = None  # set below, once every page has a row
            page.save()
            if created:
                self._remember(Kind.PAGE, item.wp_id, page.pk, guid=item.guid)
            counts[status] += 1
            counts["created" if created else "updated"] += 1
            self.pages[item.wp_id] = page
        parents = {item.wp_id: item.parent_id for item in items}
        for wp_id, page in self.pages.items():
            top, seen = parents.get(wp_id), {wp_id}
            while parents.get(top) in self.pages and top not in seen:  # its top ancestor
                seen.add(top)
                top = parents[top]
            parent = self.pages.get(top)
            if parent is not None and parent.pk != page.pk:
                page.parent = parent
                page.save(update_fields=["parent"])

    def _topics(self, items):
        """{item wp id: [Topic]} for categories and tags (created as needed)."""
        by_slug = {t.slug: t for t in Topic.objects.filter(course=self.course)}
        award = self.award_category.lower()
        result = {}
        for item in items:
            topics = []
            for domain, nicename, name in item.terms:
                if domain not in ("category", "post_tag") or not name:
                    continue
                if nicename in IGNORED_TOPICS or (award and award in (name.lower(), nicename)):
                    continue
                slug = slugify(name)[:80] or "topic"
                if slug not in by_slug:
                    by_slug[slug] = get_or_create_topic(course=self.course, name=name[:60])
                    self._remember(Kind.TOPIC, None, by_slug[slug].pk)
                    self.report["topics"] += 1
                topics.append(by_slug[slug])
            result[item.wp_id] = topics
        return result

    def _featured_image(self, post, item):
        thumb = item.meta.get("_thumbnail_id", "").strip()
        attachment = self.attachments.get(int(thumb)) if thumb.isdigit() else None
        if attachment is None:
            return
        post.image_alt = attachment.meta.get("_wp_attachment_image_alt", "")[:250]
        post.image_caption = (plain_text(attachment.excerpt) or attachment.title)[:300]
        description = attachment.content or ""
        post.image_credit = plain_text(description)[:200]
        link = re.search(r'href="(https?://[^"]+)"', description)
        post.image_credit_url = _valid_url(link.group(1)) if link else ""
        source = attachment.attachment_url or attachment.meta.get("_wp_attached_file", "")
        if post.image:
            return  # imported before: keep the renditions we made then
        path = self.media.resolve(source)
        if path is None:
            self.report["media"]["missing"].append(uploads_path(source) or source)
            return
        clean = self._clean_image(path)
        if clean is not None and not self.dry_run:
            set_featured_image(post, clean)

    # --- comments ---

    def _import_comments(self, items):
        from imports import convert  # bs4 and markdownify: only while importing

        known = self.mapping[Kind.COMMENT]
        existing = Comment.objects.in_bulk(set(known.values()))
        levels = defaultdict(list)  # depth -> [(wp comment, Comment)]
        refused = {}  # wp id of a refused comment -> its parent's
        updated, unchanged = [], 0
        for item in items:  # posts and pages (a page's comments: Comment.page)
            post = self.posts.get(item.wp_id) or self.pages.get(item.wp_id)
            if post is None:
                self._tick(len(item.comments))
                continue
            by_id = {c.wp_id: c for c in item.comments}
            for wp_comment in item.comments:
                self._tick()
                if wp_comment.type in SKIPPED_COMMENT_TYPES:
                    self.report["comments"][wp_comment.type] += 1
                    continue
                status = COMMENT_STATUSES.get(wp_comment.approved, Comment.Status.PENDING)
                comment = existing.get(known.get(wp_comment.wp_id)) or Comment()
                before = _values(comment, COMMENT_FIELDS) if comment.pk else None
                try:
                    body = convert.convert_comment(wp_comment.content)
                    body_html = (
                        render_comment_markdown(body)
                        if body != comment.body or not comment.pk
                        else None
                    )
                except (convert.Refused, RecursionError) as error:  # fmt: skip
                    reason = str(error) if isinstance(error, convert.Refused) else DEEP
                    what = f"comment {wp_comment.wp_id} on {post.title}"
                    self.report["refused"].append({"what": what, "reason": reason})
                    self.report["comments"]["refused"] += 1
                    refused[wp_comment.wp_id] = wp_comment.parent_id  # replies hang higher
                    continue
                comment.target = post
                self._comment_author(comment, wp_comment)
                if body_html is not None:
                    comment.body = body
                    comment.body_html = body_html
                comment.status = status
                comment.created = self._date(wp_comment.date_gmt, wp_comment.date_local) or (
                    post.published_at or timezone.now()
                )
                self.report["comments"][status] += 1
                if before is not None:
                    if before != _values(comment, COMMENT_FIELDS):
                        updated.append(comment)
                    else:
                        unchanged += 1
                    continue
                depth, parent = 1, by_id.get(wp_comment.parent_id)
                seen = {wp_comment.wp_id}
                while parent is not None and parent.wp_id not in seen:
                    seen.add(parent.wp_id)
                    depth += 1
                    parent = by_id.get(parent.parent_id)
                levels[depth].append((wp_comment, comment))
        Comment.objects.bulk_update(
            updated, [*COMMENT_FIELDS, "body_html"], batch_size=1000,
        )  # fmt: skip
        made = dict(known)
        for depth in sorted(levels):
            rows = levels[depth]
            for wp_comment, comment in rows:
                parent, seen = wp_comment.parent_id, set()
                while parent in refused and parent not in seen:
                    seen.add(parent)
                    parent = refused[parent]
                comment.parent_id = made.get(parent) if parent else None
            Comment.objects.bulk_create([c for _, c in rows], batch_size=1000)
            for wp_comment, comment in rows:
                made[wp_comment.wp_id] = comment.pk
                self._remember(Kind.COMMENT, wp_comment.wp_id, comment.pk)
        self.report["comments"]["created"] = sum(len(rows) for rows in levels.values())
        self.report["comments"]["updated"] = len(updated)
        self.report["comments"]["unchanged"] = unchanged

    def _comment_author(self, comment, wp_comment):
        user = None
        if wp_comment.user_id:
            user = self.users_by_wp_id.get(wp_comment.user_id) or self._user_for(
                wp_comment.email, login=wp_comment.author_name, name=wp_comment.author_name
            )
        comment.author = user
        if user is None:
            comment.guest_name = wp_comment.author_name[:MAX_GUEST_NAME_LENGTH] or "Someone"
            comment.guest_email = _valid_email(wp_comment.email)[:254]
            comment.guest_website = _valid_url(wp_comment.url)
        else:
            comment.guest_name = comment.guest_email = comment.guest_website = ""

    # --- awards and old links ---

    def _grant_awards(self, items):
        name = self.award_category
        if not name:
            return
        wanted = name.lower()
        in_category = [
            self.posts[i.wp_id]
            for i in items
            if i.wp_id in self.posts
            and any(d == "category" and wanted in (n.lower(), nice) for d, nice, n in i.terms)
        ]
        award = Award.objects.filter(course=self.course, name__iexact=name).first()
        if award is None:
            award = Award.objects.create(course=self.course, name=name[:80])
            self._remember(Kind.AWARD, None, award.pk)
        published = [p for p in in_category if p.is_published]
        held = set(award.grants.values_list("post_id", flat=True))
        grants = AwardGrant.objects.bulk_create(
            [AwardGrant(award=award, post=p, granted_by=self.started_by,
                        granted_at=p.published_at or timezone.now())
             for p in published if p.pk not in held]
        )  # fmt: skip
        for grant in grants:
            if grant.pk:
                self._remember(Kind.GRANT, None, grant.pk)
        self.report["award"] = {
            "name": award.name,
            "granted": len(grants),
            "drafts_not_granted": len(in_category) - len(published),
        }

    def _add_old_links(self, items):
        """The old blog's own links: its posts' and attachments' permalinks on its own
        host, never an address of ours (imports.middleware.is_ours)."""
        from imports.middleware import is_ours

        host = self.export.host
        links = {}

        def add(url, post):
            if urlsplit(url).netloc.lower() not in ("", host):
                return  # another site's address
            links.setdefault(old_path(url), post)

        for item in items:
            post = self.posts.get(item.wp_id) or self.pages.get(item.wp_id)
            if post is None:
                continue
            links[f"/?p={item.wp_id}"] = post
            if item.post_type == "page":
                links[f"/?page_id={item.wp_id}"] = post
            if item.link:
                add(item.link, post)
            if item.guid and "?p=" not in item.guid and item.guid.startswith("http"):
                add(item.guid, post)
        for attachment in self.attachments.values():
            post = self.posts.get(attachment.parent_id)
            if post is None:
                continue
            links.setdefault(f"/?attachment_id={attachment.wp_id}", post)
            if attachment.link:
                add(attachment.link, post)
        for path in FEED_PATHS:
            links.setdefault(path, None)
        ours = {path for path in links if is_ours(path[:500])}
        self.report["old_links_refused"] = sorted(ours - set(FEED_PATHS))
        existing = set(
            OldLink.objects.filter(course=self.course, host=host).values_list("path", flat=True)
        )
        rows = [
            OldLink(
                course=self.course,
                run=self.run,
                host=host,
                path=path[:500],
                **{"page" if isinstance(target, Page) else "post": target},
            )  # fmt: skip
            for path, target in links.items()
            if path not in existing and path != "/" and path not in ours
        ]
        if self.run is not None and not self.dry_run:
            OldLink.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        self.report["old_links"] = len(rows)


def import_export(*, course, source, media=None, award_category="", started_by=None,
                  run=None, dry_run=False, progress=None):  # fmt: skip
    """Parse the export at `source` (path or file) and import it; returns the report.

    Raises imports.wxr.WxrError, before writing anything, for a file it can't import.
    """
    export = parse(source)
    media_source = MediaSource(media) if media else MediaSource()
    try:
        return Importer(
            course=course, export=export, media=media_source, award_category=award_category,
            started_by=started_by, run=run, dry_run=dry_run, progress=progress,
        ).run_import()  # fmt: skip
    finally:
        media_source.close()


@transaction.atomic
def undo_import(*, run):
    """Delete what `run` created (posts with their comments, likes and images; topics,
    awards, memberships, placeholder accounts) and its old links."""
    _delete_what_it_made(run)
    run.status = ImportRun.Status.UNDONE
    run.save(update_fields=["status"])
    return run


DEAD_RUN = (
    "The import stopped: its worker gave no sign of life for {minutes} minutes (it was "
    "stopped, or its machine went down). Whatever it had written is undone; you can "
    "start the import again."
)


@transaction.atomic
def give_up_dead_run(*, run):
    """Mark a run whose worker died failed and delete what it wrote, so the course can
    import again. Its import's transaction was rolled back with the worker's connection,
    unless it had committed just before: then its rows are deleted as Undo would."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_dead:
        return run
    _delete_what_it_made(run)
    run.status = ImportRun.Status.FAILED
    run.error = DEAD_RUN.format(minutes=int(DEAD_AFTER.total_seconds() // 60))
    run.finished = timezone.now()
    run.save(update_fields=["status", "error", "finished"])
    uploads = [field.name for field in (run.export_file, run.media_file) if field]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in uploads])
    ImportRun.objects.filter(pk=run.pk).update(export_file="", media_file="")
    return run


def _delete_what_it_made(run):
    versions.changed(courses=Course.objects.filter(pk=run.course_id))
    made = defaultdict(list)
    for kind, object_id in run.items.filter(created=True).values_list("kind", "object_id"):
        made[kind].append(object_id)
    AwardGrant.objects.filter(pk__in=made[Kind.GRANT]).delete()
    Comment.objects.filter(pk__in=made[Kind.COMMENT]).delete()
    for post in Post.objects.filter(pk__in=made[Kind.POST]):
        _drop_image(post)
    Post.objects.filter(pk__in=made[Kind.POST]).delete()
    Page.objects.filter(pk__in=made[Kind.PAGE]).delete()
    Topic.objects.filter(pk__in=made[Kind.TOPIC]).delete()
    Award.objects.filter(pk__in=made[Kind.AWARD]).delete()
    Membership.objects.filter(pk__in=made[Kind.MEMBERSHIP]).delete()
    images = BodyImage.objects.filter(pk__in=made[Kind.IMAGE])
    names = [r["name"] for image in images for r in image.renditions]
    images.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    # Placeholders nobody claimed and who no longer wrote anything here or elsewhere.
    User = get_user_model()
    unused = User.objects.filter(pk__in=made[Kind.USER], import_placeholder__isnull=False).filter(
        ~Q(pk__in=Post.objects.values("author_id"))
    )
    unused.delete()
    run.items.all().delete()
    run.old_links.all().delete()
