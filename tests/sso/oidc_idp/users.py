"""The identity provider's test people (the same ones the SAML IdP knows)."""

PASSWORD = "correct horse"

USERS = {
    "ada": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.edu",
        "affiliation": ["student", "member"],
    },
    "grace": {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.edu",
        "affiliation": ["faculty", "member"],
    },
    "mallory": {
        "first_name": "Mallory",
        "last_name": "Outsider",
        "email": "mallory@elsewhere.example",
        "affiliation": ["affiliate"],
    },
}
