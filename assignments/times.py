"""Due times as people read them: in the course's time zone, and in the reader's own
when it differs ("Due Friday, 17:00")."""

import zoneinfo
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format


def zone(name):
    """A ZoneInfo for a zone name, or None when the name is no known zone."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def course_zone(course):
    """The course's ZoneInfo (its time_zone is validated; the server's zone otherwise)."""
    return zone(course.time_zone) or timezone.get_default_timezone()


def reader_zone(request):
    """The reader's zone, from the cookie their browser set (None if unknown)."""
    return zone(unquote(request.COOKIES.get(settings.READER_ZONE_COOKIE, ""))[:64])


def when_label(moment, tz, *, now=None):
    """ "Friday, 17:00" within the coming week, else "Fri 3 April, 17:00" (this year)
    or "3 April 2028, 17:00", in zone tz."""
    now = now or timezone.now()
    local = timezone.localtime(moment, tz)
    today = timezone.localtime(now, tz).date()
    days = (local.date() - today).days
    if days == 0:
        return date_format(local, "\\T\\o\\d\\a\\y, H:i")
    if days == 1:
        return date_format(local, "\\T\\o\\m\\o\\r\\r\\o\\w, H:i")
    if 1 < days < 7:
        return date_format(local, "l, H:i")
    if local.year == today.year:
        return date_format(local, "D j F, H:i")
    return date_format(local, "j F Y, H:i")


def zone_abbreviation(moment, tz):
    return timezone.localtime(moment, tz).tzname() or str(tz)


def same_offset(moment, tz_a, tz_b):
    """Whether two zones show the same wall-clock time at moment."""
    if tz_a is None or tz_b is None:
        return True
    return moment.astimezone(tz_a).utcoffset() == moment.astimezone(tz_b).utcoffset()


def due_text(moment, course_tz, reader_tz=None, *, now=None):
    """ "Friday, 17:00 (CET)", plus "; Friday, 11:00 your time (EST)" when the reader's
    clock differs."""
    text = f"{when_label(moment, course_tz, now=now)} ({zone_abbreviation(moment, course_tz)})"
    if reader_tz is not None and not same_offset(moment, course_tz, reader_tz):
        mine = when_label(moment, reader_tz, now=now)
        text += f"; {mine} your time ({zone_abbreviation(moment, reader_tz)})"
    return text


def to_course_time(naive, tz):
    """A naive wall-clock time typed for the course's zone, as an aware datetime."""
    return timezone.make_aware(naive, tz)


def for_input(moment, tz):
    """An aware datetime as the naive wall-clock time of zone tz (for a form field)."""
    return timezone.localtime(moment, tz).replace(tzinfo=None) if moment else None


REMINDER_AHEAD = timedelta(hours=24)
