"""The Content Security Policy holds in the browser: the site's own pages run under it without one refusal
(every journey fails on a refusal, see conftest.py), and what it exists for, an injected inline script or
style, is refused and reported."""
import pytest

from . import support
from .support import checked, visit

pytestmark = pytest.mark.e2e


def test_an_injected_inline_script_and_style_are_refused_and_reported(page):
    visit(page, "/")
    assert support.csp_violations(page) == []
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "document.body.dataset.ran = 'yes'";
        document.head.append(script);
        const style = document.createElement("style");
        style.textContent = "body { background: red }";
        document.head.append(style);
        const attribute = document.createElement("p");
        attribute.setAttribute("style", "color: red");
        document.body.append(attribute);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.body.dataset.ran") is None  # the script did not run
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    refused = support.csp_violations(page)
    assert any("script" in report for report in refused), refused
    assert sum("style" in report for report in refused) >= 2, refused
    support._logs[page].csp_violations.clear()  # seen: this test's own injections are not the site's
    checked(page)
