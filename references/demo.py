"""Demo references: two posts cite their sources with [@key] and list them."""

from references.models import Reference
from references.services import add_references

SOURCES = {
    "What the Secret Speech did not say": (
        "Taubman's biography reads the omissions the same way [@taubman2003, ch. 11], and the "
        "essays collected by Jones show how unevenly the speech's message travelled once it "
        "left the congress hall [@jones2006].",
        [
            {
                "key": "taubman2003",
                "kind": Reference.Kind.BOOK,
                "authors": [{"family": "Taubman", "given": "William"}],
                "title": "Khrushchev: The man and his era",
                "publisher": "W. W. Norton",
                "place": "New York",
                "issued": "2003",
            },
            {
                "key": "jones2006",
                "kind": Reference.Kind.BOOK,
                "authors": [{"family": "Jones", "given": "Polly"}],
                "title": "The dilemmas of de-Stalinization: Negotiating cultural and social "
                "change in the Khrushchev era",
                "publisher": "Routledge",
                "place": "London",
                "issued": "2006",
            },
        ],
    ),
    "Samizdat as a network, not a genre": (
        "Komaromi's study of the physical copies is where I started [@komaromi2004].",
        [
            {
                "key": "komaromi2004",
                "kind": Reference.Kind.ARTICLE,
                "authors": [{"family": "Komaromi", "given": "Ann"}],
                "title": "The material existence of Soviet samizdat",
                "container_title": "Slavic Review",
                "volume": "63",
                "issue": "3",
                "pages": "597–618",
                "issued": "2004",
            },
        ],
    ),
}


def seed(ctx):
    for title, (sentence, entries) in SOURCES.items():
        post = ctx["posts"].get(title)
        if post is None or post.references.exists():
            continue
        post.body = f"{post.body.rstrip()}\n\n{sentence}\n"
        post.save()
        add_references(post=post, entries=entries)
