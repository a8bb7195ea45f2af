"""Demo discussions for seed_demo: threads on most posts, likes, an instructor's
comment and a guest's comment waiting for moderation. All text written for this demo.
Safe to run again: a post that already has comments is left alone."""

from datetime import timedelta

from django.utils import timezone

from blog.models import PostLike
from comments.models import Comment, CommentLike

# Per post title: (key, parent key or None, author username, hours after the post, text).
THREADS = {
    "What the Secret Speech did not say": [
        (
            "a",
            None,
            "ben",
            3,
            "The point about 1934 is sharp. Choosing that date lets the "
            "speech treat collectivisation as a success that happened *before* the crimes.",
        ),
        (
            "b",
            "a",
            "anya",
            5,
            "Exactly. And it means the famine can't be raised without "
            "questioning the whole first Five-Year Plan, which nobody in that hall wanted.",
        ),
        (
            "c",
            "b",
            "dmitri",
            8,
            "But was it even possible to say more in February 1956? "
            "Half the delegates had signed arrest lists themselves.",
        ),
        (
            "d",
            "c",
            "hmarsh",
            10,
            "Good question, Dmitri. Look at who was in the Presidium "
            "when the speech was drafted, and at what happened to the Pospelov commission's "
            "report. Bring notes to Tuesday's seminar.",
        ),
        (
            "e",
            "d",
            "anya",
            12,
            "The Pospelov report is in the week 2 reader, pp. 52–58. "
            "It counted arrests of Party members only, which supports the argument.",
        ),
        (
            "f",
            None,
            "elena",
            20,
            "I'd push back on *cowardice*. The speech was read out in "
            "Party cells across the country within weeks. For a closed session it travelled far.",
        ),
        (
            "g",
            "f",
            "farid",
            22,
            "And it reached the West via Warsaw by April. Hard to call that a secret.",
        ),
    ],
    "Corn, chemistry and the limits of a campaign": [
        (
            "a",
            None,
            "farid",
            2,
            "The erosion maps for northern Kazakhstan are striking. By "
            "1963 a large share of the new land had lost its topsoil.",
        ),
        (
            "b",
            "a",
            "ben",
            4,
            "Yes, and the 1963 harvest failure is what forced grain "
            "imports from Canada. A one-off gain followed by a very visible loss.",
        ),
        (
            "c",
            "b",
            "chioma",
            9,
            "Was the Virgin Lands campaign also about moving young "
            "people east? The Komsomol posters sell it as an adventure, not as agriculture.",
        ),
        (
            "d",
            "c",
            "ben",
            11,
            "Both, I think. Labour was the scarce input, so the campaign "
            "needed volunteers, and the adventure framing recruited them.",
        ),
        (
            "e",
            None,
            "hmarsh",
            14,
            "Ben, next time give the hectare figures with a source in "
            "the text rather than only in the footnote. The argument is strong; let the "
            "numbers carry it.",
        ),
    ],
    "Why everyone read Novy Mir in 1962": [
        (
            "a",
            None,
            "elena",
            1,
            "Tvardovsky's role deserves its own post. He published "
            "Solzhenitsyn and then spent years defending the journal's line.",
        ),
        (
            "b",
            "a",
            "chioma",
            3,
            "Agreed. I left him out because I wanted to focus on the "
            "readers: the letters to the editor show how people read *Ivan Denisovich* as "
            "their own story.",
        ),
        ("c", "b", "anya", 6, "Are those letters published anywhere in English?"),
        (
            "d",
            "c",
            "chioma",
            7,
            "Some are quoted in Scammell, and there is a selection in "
            "the library's Russian-language collection.",
        ),
        ("e", "d", "dmitri", 9, "I can help translate a few if you want to use them."),
        ("f", "e", "chioma", 10, "Yes please! Let's meet after class on Thursday."),
    ],
    "Queues, kitchens and the meaning of stagnation": [
        (
            "a",
            None,
            "anya",
            2,
            "Your grandmother's memory fits the oral histories in "
            "Yurchak's *Everything Was Forever, Until It Was No More*.",
        ),
        (
            "b",
            "a",
            "dmitri",
            4,
            "I hadn't read Yurchak. Is his argument that people stopped "
            "believing the slogans but kept repeating them?",
        ),
        (
            "c",
            "b",
            "hmarsh",
            6,
            "Roughly, yes: the form of official language stayed fixed "
            "while its meaning drifted. Chapter 1 is a good place to start.",
        ),
        (
            "d",
            None,
            "farid",
            8,
            "Growth rates fell from about 5% a year to about 2% across "
            "the period, depending on whose estimates you use. Calm and slowing at once.",
        ),
        (
            "e",
            "d",
            "ben",
            9,
            "And the official figures and the CIA's estimates disagree "
            "by a lot. Which ones are you using?",
        ),
    ],
    "Samizdat as a network, not a genre": [
        (
            "a",
            None,
            "chioma",
            3,
            "The table is a neat way to show it. I'd add a row for the "
            "people who *kept* copies: storage was a risk too.",
        ),
        (
            "b",
            "a",
            "elena",
            5,
            "Good idea. The *Chronicle* lists searches where typewriters "
            "and carbon paper were confiscated, so even the tools were evidence.",
        ),
        (
            "c",
            "b",
            "farid",
            7,
            "Could typewriters really be traced? I thought that was a film plot.",
        ),
        (
            "d",
            "c",
            "elena",
            8,
            "They were registered in some periods, and typefaces were "
            "compared in investigations. It's in Komaromi's article, section 2.",
        ),
    ],
    "Reading the 1979 five-year plan as a map": [
        ("a", None, "dmitri", 4, "Would love to see the map itself. Can you post it as an image?"),
        (
            "b",
            "a",
            "farid",
            6,
            "Working on it. The first version was unreadable: too many ministries in one colour.",
        ),
    ],
    "Glasnost began with a disaster": [
        (
            "a",
            None,
            "elena",
            2,
            "The timeline matters here. *Glasnost* appears in speeches "
            "from 1985, so the accident accelerated something already under way.",
        ),
        (
            "b",
            "a",
            "anya",
            3,
            "That's my point exactly, though I could make it clearer in the second paragraph.",
        ),
        (
            "c",
            "b",
            "ben",
            6,
            "Still, 18 days of silence before Gorbachev spoke on "
            "television. The old habits were strong.",
        ),
        (
            "d",
            None,
            "hmarsh",
            9,
            "A careful argument, Anya. For the final essay, compare "
            "the official coverage in *Pravda* for the first week with the later reporting.",
        ),
    ],
}
GUEST_COMMENT = {
    "post": "The films that waited on the shelf",
    "name": "Marina T.",
    "email": "marina@example.org",
    "website": "https://example.org/marina",
    "body": "I saw *Commissar* at a festival screening in 1988. The audience stood up at the "
    "end. Thank you for writing about it.",
}
POST_LIKES = {
    "What the Secret Speech did not say": ["ben", "chioma", "dmitri", "elena", "hmarsh"],
    "Corn, chemistry and the limits of a campaign": ["farid", "anya"],
    "Why everyone read Novy Mir in 1962": ["elena", "anya", "dmitri"],
    "Queues, kitchens and the meaning of stagnation": ["anya", "farid", "chioma"],
    "Samizdat as a network, not a genre": ["chioma", "hmarsh"],
    "Glasnost began with a disaster": ["elena", "ben", "farid", "dmitri"],
}
COMMENT_LIKES = ["anya", "ben", "chioma", "dmitri", "elena", "farid", "hmarsh"]


def date_like(like, liked_since, n):
    """Date a like as the discussion is dated: hours after the thing it likes, not the
    moment of seeding (``created`` is auto_now_add, so the date is set afterwards)."""
    when = min(liked_since + timedelta(hours=1 + 3 * n, minutes=7 * n), timezone.now())
    type(like).objects.filter(pk=like.pk).update(created=when)


def seed(ctx):
    users, posts = ctx["users"], ctx["posts"]
    for title, thread in THREADS.items():
        post = posts[title]
        if post.comments.exists():
            continue
        made = {}
        for n, (key, parent, author, hours, text) in enumerate(thread):
            made[key] = Comment.objects.create(
                post=post,
                parent=made.get(parent),
                author=users[author],
                body=text,
                created=post.published_at + timedelta(hours=hours),
            )
            # A few likes on every other comment, from people other than its author.
            if n % 2 == 0:
                likers = [u for u in COMMENT_LIKES if u != author][: 1 + n % 4]
                for i, u in enumerate(likers):
                    like, _ = CommentLike.objects.get_or_create(comment=made[key], user=users[u])
                    date_like(like, made[key].created, i)
    for title, likers in POST_LIKES.items():
        for i, u in enumerate(likers):
            like, _ = PostLike.objects.get_or_create(post=posts[title], user=users[u])
            date_like(like, posts[title].published_at, i)
    guest = GUEST_COMMENT
    post = posts[guest["post"]]
    Comment.objects.get_or_create(
        post=post,
        guest_email=guest["email"],
        defaults={
            "guest_name": guest["name"],
            "guest_website": guest["website"],
            "body": guest["body"],
            "status": Comment.Status.PENDING,
            "created": post.published_at + timedelta(hours=5),
        },
    )
