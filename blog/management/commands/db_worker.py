"""``manage.py db_worker``: django-tasks-db's task worker, which keeps going when the
database goes away.

The library's worker exits on the first database error that isn't a lock (a
PostgreSQL restart, a dropped connection), and its queue then waits for someone to
start it again. This command has the library's name and options and overrides it
(project apps come before django_tasks_db in INSTALLED_APPS, as staticfiles'
runserver overrides Django's): on a connection error it closes the connections,
waits (1 s, doubling up to 30 s; back to 1 s after a minute of work) and goes on.
Whatever supervises it (systemd's Restart=always, deploy/cluster.sh's loop) is then
only for a crash."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("commonplace.tasks")
FIRST_WAIT = 1
LONGEST_WAIT = 30
STEADY_SECONDS = 60  # a run this long was a recovery: the next wait starts at FIRST_WAIT


class Worker(db_worker.Worker):
    def run(self):
        wait = FIRST_WAIT
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:  # asked to stop meanwhile
                    raise
                if time.monotonic() - started > STEADY_SECONDS:
                    wait = FIRST_WAIT
                logger.error(
                    "Database unavailable (%s); the task worker retries in %s s", error, wait
                )
                connections.close_all()
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)


class Command(db_worker.Command):
    help = db_worker.Command.help + " Survives a database restart (blog/management/commands)."

    def handle(self, *args, **options):
        # The library's handle() builds its module's Worker: this one, for this command.
        library_worker, db_worker.Worker = db_worker.Worker, Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = library_worker
