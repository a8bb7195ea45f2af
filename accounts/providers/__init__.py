"""Third-party login providers of ours, written the way allauth writes its own."""
