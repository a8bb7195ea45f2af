"""blog's views, one module per job: ``reading`` (home, course, post, search, ...),
``likes`` (the post's Like), ``editor`` (writing and editing posts), ``courses``
(create, join, join code), ``manage`` (the instructor pages) and ``invitations``
(invitations by email), ``announcements`` (pinning a post)."""
