"""Panels apps contribute to others' pages: order, nothing for None, bound forms, one stylesheet link."""
import pytest
from django.test import RequestFactory

from coproduction import pages


@pytest.fixture
def slot(monkeypatch):
    monkeypatch.setattr(pages, "PANELS", {})
    seen = {}

    def context(name, shown=True):
        def build(request, obj, bound):
            seen[name] = bound
            return {"text": f"{name}:{obj}"} if shown else None
        return build

    pages.panel("thing", "second", template="includes/_text.html", context=context("second"), order=200,
                related=("b",), stylesheet="css/site.css")
    pages.panel("thing", "first", template="includes/_text.html", context=context("first"), related=("a__c",),
                stylesheet="css/site.css")
    pages.panel("thing", "hidden", template="includes/_text.html", context=context("hidden", shown=False),
                stylesheet="css/wiki.css")
    return seen


def test_panels_render_in_order_with_their_stylesheet_once(slot, settings, tmp_path):
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "_text.html").write_text("<p>{{ text }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    html = pages.render_panels("thing", RequestFactory().get("/"), "x", {"second": {"form": "bound"}})
    assert html == '<link rel="stylesheet" href="/static/css/site.css"><p>first:x</p><p>second:x</p>'
    assert slot == {"first": None, "hidden": None, "second": {"form": "bound"}}
    assert pages.related_of("thing") == ["a__c", "b"]
    assert pages.render_panels("nothing", None, "x") == ""


def test_two_panels_of_one_name_are_refused(slot):
    with pytest.raises(ValueError):
        pages.panel("thing", "first", template="x.html", context=lambda *args: None)
