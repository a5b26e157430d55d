"""Values as people read them in the active language: moments, amounts in euros, field labels."""
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.formats import get_format
from django.utils.text import capfirst

CENT = Decimal("0.01")


def short_datetime(moment):
    """A moment as messages show it: local, short, in the active language."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def amount_formatter():
    """A function writing amounts as floatformat:"2g" does in the current language (1234.5 → “1.234,50”
    in German, “1,234.50” in English), looking the number format up once: quick enough for a ballot
    of thousands of proposals."""
    if get_format("NUMBER_GROUPING") != 3:
        return lambda amount: floatformat(amount, "2g")
    table = {ord(","): get_format("THOUSAND_SEPARATOR"), ord("."): get_format("DECIMAL_SEPARATOR")}

    def write(amount):
        amount = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        return f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}".translate(table)
    return write


def amount(value):
    """One amount without its sign, e.g. for messages that write “%(total)s €”."""
    return amount_formatter()(value)


def format_euros(value, formatter=None):
    """The amount with its sign, never broken across lines; plain text (escape it where it goes)."""
    return f"{(formatter or amount_formatter())(value)}\u00a0€"


def field_label(model, name):
    """Forms use the model's field names as labels, so site and back office speak alike."""
    return capfirst(model._meta.get_field(name).verbose_name)
