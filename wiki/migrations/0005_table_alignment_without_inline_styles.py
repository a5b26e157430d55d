"""Stored page HTML aligns table columns with the align attribute instead of style="text-align: …", which
the Content Security Policy refuses; the rendering does the same from now on (wiki.rendering)."""
import re

from django.db import migrations

INLINE_ALIGNMENT = re.compile(r'<(th|td)([^>]*?) style="text-align: ?(left|right|center);?"')


def align_without_styles(apps, schema_editor):
    Page = apps.get_model("wiki", "Page")
    for page in Page.objects.filter(html__contains="text-align").only("pk", "html").iterator():
        html = INLINE_ALIGNMENT.sub(r'<\1\2 align="\3"', page.html)
        if html != page.html:
            Page.objects.filter(pk=page.pk).update(html=html)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0004_alter_pageredirect_created_at_and_more")]

    operations = [migrations.RunPython(align_without_styles, migrations.RunPython.noop)]
