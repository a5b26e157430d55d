"""iCalendar (RFC 5545) for shifts: one event per shift, written by hand because it is small.

Each event's UID is ``Shift.ical_uid``, so importing a shift twice or subscribing to the feed
never duplicates an entry; times are written in UTC, text is escaped and long lines are folded
at 75 octets, as the RFC asks.
"""
from datetime import timezone as dt_timezone

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

CRLF = "\r\n"
PRODID = "-//Koproduktion//Volunteering//EN"
LINE_OCTETS = 75


def escape_text(value):
    """TEXT values: backslash, semicolon and comma are escaped, every kind of line break becomes \\n."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Splits a content line into lines of at most 75 octets (UTF-8), never inside a character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc(moment):
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def shift_event(shift, *, stamp):
    """The content lines of one VEVENT; ``shift.task`` (with its organisation) must be loaded."""
    task = shift.task
    url = absolute(reverse("volunteering:detail", args=[task.pk]))
    description = [task.purpose]
    if task.effort_note:
        description.append(_("Duration and effort: %(effort)s") % {"effort": task.effort_note})
    description.append(_("Organisation: %(name)s") % {"name": task.organisation.name})
    description.append(url)
    cancelled = shift.is_cancelled or task.is_cancelled
    summary = task.title if not cancelled else _("Cancelled: %(title)s") % {"title": task.title}
    location = task.location or (_("Remote") if task.is_remote else "")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{shift.ical_uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(shift.starts_at)}",
        f"DTEND:{utc(shift.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def calendar_text(shifts, *, name, stamp=None):
    """A whole VCALENDAR with one event per shift, folded and with CRLF line ends."""
    stamp = (stamp or timezone.now()).replace(microsecond=0)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for shift in shifts:
        lines += shift_event(shift, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
