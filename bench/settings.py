"""Settings for benchmarks: the real settings plus a bare view to compare against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Quiet, except for what went wrong: a 4xx or 5xx answer (django.request) and logged
# errors reach gunicorn's log in bench/results/.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "ERROR"},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "WARNING", "propagate": False}},
}

# REQUEST_LOG=<file>: one line per request with its time in the worker (the request
# id middleware's), to see which requests make a scenario's tail.
if env("REQUEST_LOG", default=""):  # noqa: F405
    LOGGING["handlers"]["requests"] = {
        "class": "logging.FileHandler",
        "filename": env("REQUEST_LOG"),  # noqa: F405
        "formatter": "line",
    }
    LOGGING["formatters"] = {"line": {"format": "%(created).3f %(process)d %(message)s"}}
    LOGGING["loggers"]["commonplace.requests"] = {
        "handlers": ["requests"],
        "level": "INFO",
        "propagate": False,
    }
