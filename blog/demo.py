"""Demo courses and posts for seed_demo. All text written for this demo."""

import io
import json
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.images import clean_image_upload
from accounts.names import shown_name
from blog import demo_art, embeds, fetcher, services
from blog.models import Course, Membership, Post, Role, course_zone_of
from blog.rendering import render_post_markdown

COURSE = {
    "slug": "hist-247",
    "title": "HIST 247: The Soviet Union after Stalin",
    "term": "Spring 2027",
    "description": (
        "From the Thaw to the collapse, 1953–1991. Each week you write a short post on "
        "the readings and answer at least two classmates. Good posts take a position, "
        "quote their sources and say where they found them."
    ),
}
SEMINAR = {
    "slug": "hist-390",
    "title": "HIST 390: Research Seminar in Soviet History",
    "term": "Spring 2027",
    "description": "Thesis writers share drafts and sources. Visible to seminar members only.",
}
TOPICS = ["1953: Thaw", "Stagnation", "Perestroika"]

# author, title, topic, days ago, colours, body
POSTS = [
    (
        "anya",
        "What the Secret Speech did not say",
        "1953: Thaw",
        58,
        ("#1f5c4d", "#e9c46a"),
        """Khrushchev's speech to the Twentieth Party Congress is usually read as the moment
the Thaw began. Reading it in full this week, I was struck less by what it condemned than
by what it carefully left alone.

> The speech attacks a man, not a system.

The crimes it lists are crimes against *Party members*. Collectivisation, the famine and
the deportations of whole peoples barely appear.[^1] That choice let the leadership
keep the legitimacy of everything before 1934 while blaming the rest on one person.

Was this cowardice or strategy? I think it was both: Khrushchev needed the Party to survive
its own history, and he needed his rivals to be more compromised than he was.[^2]

[^1]: William Taubman, *Khrushchev: The Man and His Era* (2003), ch. 11.
[^2]: Compare the discussion of the Presidium debates in our week 2 reader, pp. 41–47.
""",
    ),
    (
        "ben",
        "Corn, chemistry and the limits of a campaign",
        "1953: Thaw",
        51,
        ("#b5541c", "#f4e3c1"),
        """Everyone jokes about Khrushchev and maize, but the numbers behind the Virgin Lands
campaign are worth taking seriously. Millions of hectares were ploughed in a few seasons,
and the first harvests really were large.

The trouble came after:

- dry years and wind erosion on land that should have stayed grassland;
- machinery spread too thin across enormous distances;
- targets set in Moscow with little idea of local soil.

An economist would call it a classic case of a one-off gain mistaken for a trend.[^1]

[^1]: Alec Nove, *An Economic History of the USSR* (3rd ed., 1992), pp. 331–336.
""",
    ),
    (
        "chioma",
        "Why everyone read Novy Mir in 1962",
        "1953: Thaw",
        44,
        ("#3d405b", "#f2cc8f"),
        """When *One Day in the Life of Ivan Denisovich* appeared in the literary journal
*Novy Mir*, copies sold out within days. What interests me is how a censored system came
to print it at all.

> Literature became the place where the country talked to itself.

The editor, Aleksandr Tvardovsky, took the manuscript to the very top, and Khrushchev
approved it because it served his campaign against his opponents.[^1] Permission, in
other words, was political before it was literary.

[^1]: Michael Scammell, *Solzhenitsyn: A Biography* (1984), part III.
""",
    ),
    (
        "dmitri",
        "Queues, kitchens and the meaning of stagnation",
        "Stagnation",
        37,
        ("#264653", "#e76f51"),
        """My grandmother remembers the Brezhnev years as the calmest of her life. That is
hard to square with the word *stagnation*, which we use for the whole period.

Both memories can be true. Wages were steady, flats were being built, and nobody expected
to be arrested for a joke. At the same time growth slowed year after year, and shortages
shaped daily life.[^1]

Maybe "stagnation" describes the economy better than it describes how people lived.

[^1]: Stephen Kotkin, *Armageddon Averted* (2nd ed., 2008), ch. 1.
""",
    ),
    (
        "elena",
        "Samizdat as a network, not a genre",
        "Stagnation",
        28,
        ("#6d597a", "#eaac8b"),
        """We tend to talk about samizdat as a kind of literature. I want to argue that it
is better understood as a *network*: typists, couriers, readers who made one more carbon
copy and passed it on.

| Role | Risk | Reward |
|---|---|---|
| Author | high | being read |
| Typist | medium | reading first |
| Reader | low | the text itself |

The *Chronicle of Current Events* is the clearest case: a bulletin that existed only
because hundreds of people each did a small part.[^1]

[^1]: Ann Komaromi, "The Material Existence of Soviet Samizdat", *Slavic Review* 63, no. 3 (2004).
""",
    ),
    (
        "farid",
        "Reading the 1979 five-year plan as a map",
        "Stagnation",
        19,
        ("#2a9d8f", "#f1faee"),
        """I tried plotting the targets of the Tenth Five-Year Plan against where the
investment actually went. The result looks less like a plan and more like a map of
bargaining between ministries.

Siberian oil and gas got the money, because that was what earned hard currency. Light
industry, the part that made things people could buy, waited its turn again.[^1]

[^1]: Philip Hanson, *The Rise and Fall of the Soviet Economy* (2003), ch. 5.
""",
    ),
    (
        "anya",
        "Glasnost began with a disaster",
        "Perestroika",
        9,
        ("#9b2226", "#ee9b00"),
        """The official silence in the first days after Chernobyl in April 1986 is often
called the last gasp of the old way of doing things. Gorbachev's later openness, in this
story, was a lesson learned.

> A state that could not tell its own citizens about a fire had a problem that no reform
> of the economy would fix.

I am not fully convinced. Glasnost was already a slogan before the accident; what the
disaster did was make it urgent and give it a test everyone could see.[^1]

[^1]: Serhii Plokhy, *Chernobyl: History of a Tragedy* (2018), chs. 14–16.
""",
    ),
    (
        "chioma",
        "The films that waited on the shelf",
        "Perestroika",
        3,
        ("#005f73", "#94d2bd"),
        """In 1986 the Union of Cinematographers set up a commission to review banned films.
Dozens came off the shelf, some after twenty years.

Watching *Commissar* for this week, I kept thinking about the audience that finally saw
it in 1988. They were not the audience it had been made for. The film had not changed;
the country had.[^1]

[^1]: Anna Lawton, *Kinoglasnost: Soviet Cinema in Our Time* (1992), ch. 3.
""",
    ),
]

DRAFT = (
    "ben",
    "Draft: was perestroika an economic reform at all?",
    "Perestroika",
    "I want to argue that the 1987 Law on State Enterprise changed incentives without "
    "changing prices, and that this is why it failed. Still collecting sources.",
)

# A post that goes live by itself next Monday at 09:00 in the course's zone (blog/scheduling.py):
# until then its author and the instructor see it marked "Scheduled".
SCHEDULED = (
    "anya",
    "Week 9: what the kitchen debates were about",
    "Stagnation",
    "Next week's readings put the kitchen at the centre of late Soviet talk. Before we "
    "meet, a question: were those conversations a politics, or a way of living without "
    "one?",
)


def next_monday_at_nine(course, now):
    """09:00 on the Monday of next week, in the course's time zone."""
    local = timezone.localtime(now, course_zone_of(course))
    monday = local.date() + timedelta(days=7 - local.weekday())
    return datetime.combine(monday, time(9, 0), tzinfo=local.tzinfo)


# The picture for each post (blog/demo_art.py): a scene, never the title again.
ART = {
    "What the Secret Speech did not say": "congress_hall",
    "Corn, chemistry and the limits of a campaign": "cornfield",
    "Why everyone read Novy Mir in 1962": "journals",
    "Queues, kitchens and the meaning of stagnation": "queue",
    "Samizdat as a network, not a genre": "network",
    "Reading the 1979 five-year plan as a map": "plan_map",
    "Glasnost began with a disaster": "reactor",
    "The films that waited on the shelf": "film",
}


def jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=86, optimize=True)
    return SimpleUploadedFile("illustration.jpg", buffer.getvalue(), content_type="image/jpeg")


INSTRUCTORS_ONLY = (
    "Why my plan post is late: a note for Dr Marsh",
    "My grandfather worked at Gosplan and I am interviewing him for the five-year plan "
    "post; he asked me not to publish what he says until he has read it. Could I have a "
    "week more?",
)


def seed(ctx):
    users = ctx["users"]
    instructor = users["hmarsh"]
    course, _ = Course.objects.get_or_create(slug=COURSE["slug"], defaults=COURSE)
    seminar, _ = Course.objects.get_or_create(
        slug=SEMINAR["slug"], defaults={**SEMINAR, "visibility": Course.Visibility.MEMBERS}
    )
    students = [u for name, u in users.items() if name not in ("admin", "hmarsh")]
    for c in (course, seminar):
        Membership.objects.get_or_create(
            course=c, user=instructor, defaults={"role": Role.INSTRUCTOR}
        )
    for student in students:
        Membership.objects.get_or_create(
            course=course, user=student, defaults={"role": Role.STUDENT}
        )
    for name in ("elena", "farid"):
        Membership.objects.get_or_create(
            course=seminar, user=users[name], defaults={"role": Role.STUDENT}
        )
    topics = {name: services.get_or_create_topic(course=course, name=name) for name in TOPICS}

    now = timezone.now()
    posts = {}
    for n, (author, title, topic, days_ago, colours, body) in enumerate(POSTS):
        post = Post.objects.filter(course=course, title=title).first()
        if post is None:
            post = Post(course=course, author=users[author], title=title, body=body.strip())
            motif = ART.get(title)
            if motif:
                post.image_alt = demo_art.alt_text(motif)
                post.image_caption = "Illustration made for this post."
                post.image_credit = shown_name(users[author], course, None).text  # public
                picture = demo_art.illustration(motif, colours, n)
                services.set_featured_image(post, clean_image_upload(jpeg(picture)))
            post.publish()
            post.published_at = now - timedelta(days=days_ago, hours=n)
            post.save()
            post.topics.add(topics[topic])
        posts[title] = post
    author, title, topic, body = DRAFT
    draft, created = Post.objects.get_or_create(
        course=course, title=title, defaults={"author": users[author], "body": body}
    )
    if created:
        draft.topics.add(topics[topic])
    author, title, topic, body = SCHEDULED
    if not Post.objects.filter(course=course, title=title).exists():
        scheduled = Post(course=course, author=users[author], title=title, body=body)
        scheduled.schedule(next_monday_at_nine(course, now))
        scheduled.save()
        scheduled.topics.add(topics[topic])

    seminar_post, _ = Post.objects.get_or_create(
        course=seminar,
        title="Thesis outline: dissident networks in Moscow, 1966–1972",
        defaults={
            "author": users["elena"],
            "body": "Three chapters: the trials, the *Chronicle*, and the letters campaigns. "
            "Comments on the second chapter especially welcome.",
            "status": Post.Status.PUBLISHED,
            "published_at": now - timedelta(days=2),
        },
    )
    Post.objects.get_or_create(  # farid's post for the instructors only (docs/privacy.md)
        course=course,
        title=INSTRUCTORS_ONLY[0],
        defaults={
            "author": users["farid"],
            "body": INSTRUCTORS_ONLY[1],
            "visibility": Post.Visibility.INSTRUCTORS,
            "status": Post.Status.PUBLISHED,
            "published_at": now - timedelta(days=1),
        },
    )
    for author, title, days_ago, body in MEDIA_POSTS:
        post = Post.objects.filter(course=course, title=title).first()
        if post is None:
            # The embed's record and the image's copy are made by the same service as
            # a save's, with the answers made here: the demo needs no network.
            html = render_post_markdown(body)
            embeds.fetch_body_media(
                course=course, user=users[author], html=html, fetch=canned_web()
            )
            post = Post(course=course, author=users[author], title=title, body=body)
            post.publish()
            post.published_at = now - timedelta(days=days_ago)
            post.save()
        posts[title] = post
    dress_course(course)
    posts[ANNOUNCEMENT[0]] = announce(course, instructor, now)
    ctx.update(course=course, seminar=seminar, posts=posts, topics=topics)


def dress_course(course):
    """The course's face (docs/design.md): its header, drawn for the demo, with the spire
    as the focal point, and the palette's crimson."""
    if course.header_renditions:
        return
    buffer = io.BytesIO()
    demo_art.course_header(("#5b1f2a", "#e9a46b")).save(buffer, format="PNG")
    upload = SimpleUploadedFile("header.png", buffer.getvalue(), content_type="image/png")
    course.header_focus_x, course.header_focus_y = demo_art.HEADER_FOCUS
    course.accent = "crimson"
    services.save_course_settings(course=course, header_image=clean_image_upload(upload))


# The instructor's pinned announcement: set on the row, not through pin_post, so seeding
# sends no notification email (members still see it marked "New" until they open it;
# the instructor, who wrote and pinned it, doesn't, as after pin_post).
ANNOUNCEMENT = (
    "Week 6: the essay question is up",
    "The mid-term essay asks **how far the Thaw reached beyond Moscow**. Choose two "
    "sources from the reading list and one you found yourself; 1,500 words, due on "
    "the Friday of week 8.\n\nOffice hours move to Thursday 14:00 this week only.",
)


def announce(course, instructor, now):
    title, body = ANNOUNCEMENT
    post = Post.objects.filter(course=course, title=title).first()
    if post is None:
        post = Post(course=course, author=instructor, title=title, body=body)
        post.publish()
        post.published_at = now - timedelta(hours=5)
        post.pinned_at = now - timedelta(hours=5)
        post.pinned_until = now + timedelta(days=14)
        post.save()
        services.record_announcement_seen(post=post, user=instructor)
    return post


# Posts with an embed and an image from the web. The video's address is made up for the
# demo (a reader who presses play sees YouTube's "unavailable"); example.org is a domain
# reserved for examples. What those servers would answer is made here (canned_web).
DEMO_VIDEO = "https://www.youtube.com/watch?v=cP1957Fest0"
DEMO_IMAGE = "https://example.org/archive/festival-poster.png"
MEDIA_POSTS = [
    (
        "dmitri",
        "The 1957 Youth Festival on film",
        3,
        "The newsreels of the Sixth World Festival of Youth and Students are the best "
        "argument I know that the Thaw was felt in the streets before it was read in "
        "the journals. Watch the crowds on the Garden Ring:\n\n"
        f"{DEMO_VIDEO}\n\n"
        "What strikes me is how little of it is staged.",
    ),
    (
        "elena",
        "A festival poster, from the web",
        2,
        "I found this poster in an online archive; the colours say more about 1957 than "
        "the slogan does.\n\n"
        f"![A poster: a round sun over rows of figures]({DEMO_IMAGE})\n\n"
        "Compare it with the posters of 1947.",
    ),
]


def canned_web():
    """A stand-in for blog.fetcher.fetch answering the demo's addresses with pictures
    drawn here (Pillow), and refusing anything else."""

    def png(motif, colours, seed):
        buffer = io.BytesIO()
        demo_art.illustration(motif, colours, seed).save(buffer, format="PNG")
        return buffer.getvalue()

    thumbnail = "https://i.ytimg.com/vi/cP1957Fest0/hqdefault.jpg"
    answers = {
        DEMO_IMAGE: ("image/png", png("network", ("#b5541c", "#e9c46a"), 11)),
        thumbnail: ("image/png", png("film", ("#1f5c4d", "#e9c46a"), 12)),
    }
    oembed = {
        "title": "Moscow 1957: the World Festival of Youth (newsreel)",
        "author_name": "Demo archive",
        "thumbnail_url": thumbnail,
    }

    def fetch(url, **kwargs):
        if url.startswith("https://www.youtube.com/oembed?"):
            return fetcher.Fetched(url, "application/json", json.dumps(oembed).encode())
        if url in answers:
            return fetcher.Fetched(url, *answers[url])
        raise fetcher.FetchError("the demo has no network", code="unreachable")

    return fetch
