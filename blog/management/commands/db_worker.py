"""``manage.py db_worker``: django-tasks-db's task worker, which keeps going when the
database goes away.

The library's worker exits on the first database error that isn't a lock (a
PostgreSQL restart, a dropped connection), and its queue then waits for someone to
start it again. This command has the library's name and options and overrides it
(project apps come before django_tasks_db in INSTALLED_APPS, as staticfiles'
runserver overrides Django's): on a connection error it closes the connections,
waits (1 s, doubling up to 30 s; back to 1 s after a minute of work) and goes on.
Whatever supervises it (systemd's Restart=always, deploy/cluster.sh's loop) is then
only for a crash.

Each worker also publishes what was scheduled (blog/scheduling.py): a thread beside the
task loop runs ``publish_due()`` every ``--publish-interval`` seconds (30; 0 turns it
off). Several workers doing so publish each post once (docs/architecture.md,
Scheduled publishing); with ``--batch`` it runs once, before the tasks."""

import functools
import logging
import random
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from blog import scheduling

logger = logging.getLogger("commonplace.tasks")
FIRST_WAIT = 1
LONGEST_WAIT = 30
STEADY_SECONDS = 60  # a run this long was a recovery: the next wait starts at FIRST_WAIT


PUBLISH_INTERVAL = 30  # seconds: a scheduled post goes live at most this late


class Publisher(threading.Thread):
    """Runs blog.scheduling.publish_due() now, then every `interval` seconds, until
    stopped. A daemon: a worker told to stop doesn't wait for it (a run cut short rolls
    back, and the next run does it). The thread's database connection is closed after
    each run, so a restarted database costs one failed run, logged."""

    def __init__(self, interval):
        super().__init__(name="scheduled-publisher", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        # Workers started together (a deploy) spread their runs out a little.
        if self.stopped.wait(random.uniform(0, min(self.interval, 5))):  # noqa: S311
            return
        while True:
            self.run_once()
            connections.close_all()  # this thread's connections only
            if self.stopped.wait(self.interval):
                return

    def run_once(self):
        try:
            scheduling.publish_due()
        except Exception:  # the thread must outlive any one failure
            logger.exception("Scheduled publishing failed; the next run retries")


class Worker(db_worker.Worker):
    def __init__(self, *, publish_interval=PUBLISH_INTERVAL, **kwargs):
        super().__init__(**kwargs)
        self.publish_interval = publish_interval
        self.publisher = None

    def start_publishing(self):
        """Publish what is due: once now with --batch, else in a thread, repeatedly."""
        if not self.publish_interval:
            return
        if self.batch:
            Publisher(self.publish_interval).run_once()
            return
        self.publisher = Publisher(self.publish_interval)
        self.publisher.start()

    def run(self):
        self.start_publishing()
        try:
            return self.run_tasks()
        finally:
            if self.publisher is not None:
                self.publisher.stopped.set()

    def run_tasks(self):
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
    help = (
        db_worker.Command.help + " Survives a database restart and publishes scheduled posts"
        " (blog/management/commands)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--publish-interval",
            type=db_worker.valid_interval,
            default=PUBLISH_INTERVAL,
            help=f"Seconds between runs of the scheduled publisher (default {PUBLISH_INTERVAL};"
            " 0: don't publish).",
        )

    def handle(self, *args, publish_interval=PUBLISH_INTERVAL, **options):
        # The library's handle() builds its module's Worker: this one, for this command.
        worker = functools.partial(Worker, publish_interval=publish_interval)
        library_worker, db_worker.Worker = db_worker.Worker, worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = library_worker
