"""Open-data downloads: CSV and JSON written row by row, so a file of any size leaves in constant memory.

CSV starts with a byte-order mark, so that Excel reads umlauts as UTF-8, and every cell a spreadsheet
would run as a formula gets a leading apostrophe. JSON is one valid document: the head keys, then
the results, then how many there were (counted while writing, so it costs no query).
"""
import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_CHARACTERS = 64 * 1024
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


def spreadsheet_safe(value):
    """The cell as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class _Echo:
    """A file that hands back what is written, so csv.writer formats one line at a time."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The BOM and the header line, then one line per row (a sequence of cells), each cell spreadsheet-safe."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def json_document(head, rows):
    """``{**head, "results": [...rows], "count": n}`` as text pieces; rows are dicts written one by one."""
    encode = json.JSONEncoder(ensure_ascii=False, default=DjangoJSONEncoder().default).encode
    opening = "".join(f"{encode(key)}: {encode(value)}, " for key, value in head.items())
    yield "{" + opening + '"results": ['
    count = 0
    for row in rows:
        yield ("," if count else "") + "\n" + encode(row)
        count += 1
    yield f'\n], "count": {count}}}\n'


def _in_chunks(pieces, size=CHUNK_CHARACTERS):
    """Joins small pieces into chunks of about ``size`` characters, so the server writes fewer, larger blocks."""
    buffer, length = [], 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def download(pieces, *, content_type, filename, stream=True):
    """A file download of ``pieces``: streamed while it is written, or in one piece for small files."""
    if stream:
        response = StreamingHttpResponse(_in_chunks(pieces), content_type=content_type)
    else:
        response = HttpResponse("".join(pieces), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def absolute_url_maker(request, viewname):
    """A function id → absolute address of ``viewname`` for that id, built once from the request."""
    marker = 987654321
    prefix, suffix = request.build_absolute_uri(reverse(viewname, args=[marker])).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"
