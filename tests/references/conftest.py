# A reference that the pages and the post page tests save (references.services).
BOOK = {
    "key": "cohen1985",
    "kind": "book",
    "authors": [{"family": "Cohen", "given": "Stephen F."}],
    "title": "Rethinking the Soviet experience",
    "publisher": "Oxford University Press",
    "issued": "1985",
}
