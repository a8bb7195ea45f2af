#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # It compares models with migration files: it serves no request and signs
        # nothing, so it runs on a bare checkout without production secrets
        # (config/settings.py, DJANGO_SECRETS_OPTIONAL). Every other command needs them.
        os.environ.setdefault("DJANGO_SECRETS_OPTIONAL", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
