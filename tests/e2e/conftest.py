"""Real-browser journeys: Playwright drives Debian's chromium against pytest-django's live server.

Without chromium the journeys skip with a hint how to install it; under CI=true they fail.
Every page a journey reaches must be axe-checked (see ``support.checked``), or the test fails.
"""
import os
from pathlib import Path

import pytest

from .support import csp_violations, track, unchecked_addresses

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise refuse
# ORM calls made from the test (factories, reading the outbox's users) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = Path(os.environ.get("E2E_ARTIFACTS", "/tmp/e2e-artifacts"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        message = (
            f"No chromium at {executable}: the browser journeys need Debian's chromium "
            "(apt-get update && apt-get install -y chromium), or set CHROMIUM_PATH to another chromium."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI=true a missing browser is a failure.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(request, browser, live_server):
    """Opens a page in a fresh browser context (own cookies), German by default.

    ``new_page(viewport=..., is_mobile=True, locale="en-GB")`` passes its options to the context.
    At teardown a passing test fails if one of its pages reached an address that was not axe-checked, or
    if the browser reported that the Content Security Policy refused something on one of them.
    """
    contexts, pages = [], []

    def open_page(**options):
        options.setdefault("locale", "de-DE")
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = track(context.new_page())
        pages.append(page)
        return page

    yield open_page

    call = getattr(request.node, "e2e_report_call", None)
    try:
        if call is not None and call.failed:
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            for number, page in enumerate(pages):
                if not page.is_closed():
                    shot = ARTIFACTS_DIR / f"{request.node.name}-{number}.png"
                    page.screenshot(path=str(shot), full_page=True)
        elif call is not None and call.passed:
            refused = [violation for page in pages for violation in csp_violations(page)]
            if refused:
                pytest.fail("The Content Security Policy refused something:\n" + "\n".join(refused), pytrace=False)
            missed = [address for page in pages for address in unchecked_addresses(page)]
            if missed:
                pytest.fail(
                    "These pages were visited but never axe-checked; call checked(page) after each "
                    "navigation: " + ", ".join(missed),
                    pytrace=False,
                )
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):
    return new_page()
