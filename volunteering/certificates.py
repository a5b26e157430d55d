"""The volunteering certificate (Ehrenamtsnachweis) as a PDF, drawn from the certificate's snapshot.

The PDF shows only what was frozen at issue (name, organisation, period, tasks with hours), plus
the verification code and the address where anyone can check it. Text is in the active language.
A Unicode TrueType font is embedded (DejaVu Sans where the system has it, else the Vera font that
ships with reportlab), so names such as "Yılmaz" print as written.
"""
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import reportlab
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"),
     str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf")),
]
FONT, FONT_BOLD = "CertificateSans", "CertificateSans-Bold"


def _register_fonts():
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
            return
    raise RuntimeError("No TrueType font found for certificates.")


def verification_url(certificate):
    path = reverse("volunteering:verify_code", args=[certificate.verification_code])
    return settings.SITE_URL.rstrip("/") + path


def _hours(value):
    return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True)


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def certificate_pdf(certificate):
    """The bytes of the certificate's PDF (A4, one page for a usual number of tasks)."""
    _register_fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=20, leading=26, spaceAfter=6 * mm),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, spaceAfter=3 * mm),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13),
        "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=10, leading=13),
        "number": ParagraphStyle("number", fontName=FONT, fontSize=10, leading=13, alignment=TA_RIGHT),
        "head_number": ParagraphStyle("head_number", fontName=FONT_BOLD, fontSize=10, leading=13, alignment=TA_RIGHT),
    }
    buffer = BytesIO()
    title = _("Volunteering certificate")
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm, bottomMargin=22 * mm,
        title=f"{title} {certificate.verification_code}", author=certificate.organisation_name,
        subject=title, creator="Koproduktion",
    )
    period = {"start": _date(certificate.period_start), "end": _date(certificate.period_end)}
    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(_("This certifies that %(name)s volunteered with %(organisation)s from %(start)s to "
                           "%(end)s and gave %(hours)s hours of their time.")
                         % {"name": certificate.holder_name, "organisation": certificate.organisation_name,
                            "hours": _hours(certificate.hours), **period}), styles["body"]),
        Paragraph(escape(_("Confirmed hours by task")), styles["head"]),
        Spacer(1, 2 * mm),
    ]
    rows = [[Paragraph(escape(_("Task")), styles["head"]), Paragraph(escape(_("Shifts")), styles["head_number"]),
             Paragraph(escape(_("Hours")), styles["head_number"])]]
    for task in certificate.tasks:
        rows.append([Paragraph(escape(task["title"]), styles["cell"]), Paragraph(str(task["shifts"]), styles["number"]),
                     Paragraph(_hours(task["hours"]), styles["number"])])
    rows.append([Paragraph(escape(_("Total")), styles["head"]), "",
                 Paragraph(_hours(certificate.hours), styles["head_number"])])
    table = Table(rows, colWidths=[110 * mm, 22 * mm, 34 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    url = verification_url(certificate)
    story += [
        table,
        Spacer(1, 8 * mm),
        Paragraph(escape(_("Issued on %(date)s by %(organisation)s through Koproduktion.")
                         % {"date": _date(timezone.localdate(certificate.issued_at)),
                            "organisation": certificate.organisation_name}), styles["body"]),
        Paragraph(escape(_("Verification code: %(code)s") % {"code": certificate.verification_code}), styles["head"]),
        Paragraph(escape(_("Anyone can check that this certificate is genuine at %(url)s") % {"url": url}),
                  styles["small"]),
    ]
    document.build(story)
    return buffer.getvalue()
