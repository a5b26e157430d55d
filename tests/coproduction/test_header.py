"""The site header: the menu that folds on phones, the search field, the personal area, and the unread
count on the folded menu."""
import re

import pytest

from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def header(response):
    html = response.content.decode()
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def test_the_menu_is_a_details_button_with_the_navigation_and_language_inside(client):
    html = header(client.get("/"))
    assert re.search(r'<details class="site-menu">\s*<summary>.*Menü', html, re.S)
    assert html.index("<details") < html.index("<nav ") < html.index("</details>")
    assert "Anmelden" in html and "Registrieren" in html and 'class="language-switcher"' in html
    assert "<svg" in html and 'aria-hidden="true"' in html  # icons beside words, hidden from screen readers


def test_the_header_offers_the_site_search_to_everyone_and_my_area_to_people_signed_in(client):
    anonymous = header(client.get("/"))
    assert re.search(r'<form method="get" action="/search/" class="site-search" role="search"', anonymous)
    assert 'type="search"' in anonymous and 'name="q"' in anonymous
    assert "Mein Bereich" not in anonymous

    client.force_login(UserFactory())
    signed_in = header(client.get("/"))
    assert '<a href="/me/"' in signed_in and "Mein Bereich" in signed_in
    assert "Mein Profil" not in signed_in  # the profile is part of My area


def test_the_folded_menu_shows_the_unread_count(client):
    user = UserFactory()
    type(user).objects.filter(pk=user.pk).update(unread_notifications=3)
    client.force_login(user)
    html = header(client.get("/"))
    summary = html[html.index("<summary>"):html.index("</summary>")]
    assert '<span aria-hidden="true">3</span>' in summary and "3 ungelesen" in summary


@pytest.mark.parametrize("path, query, active", [
    ("/proposals/", "", 0), ("/proposals/", "?district=Nordstadt&q=", 1), ("/proposals/", "?district=Nordstadt&q=Bank", 2),
    ("/tasks/", "?district=Nordstadt", 1), ("/organisations/", "?city=Kassel", 1),
])
def test_list_filters_fold_into_a_panel_with_the_active_count_below_the_result_count(client, path, query, active):
    html = client.get(path + query).content.decode()
    main = html[html.index("<main"):]
    count, panel = main.index('class="meta result-count"'), main.index('<details class="filters-panel"')
    assert count < panel < main.index('role="search"'), "the result count stands before the folded filters"
    summary = main[panel:main.index("</summary>", panel)]
    assert "Filter" in summary
    assert (f"{active} aktiv" in summary) == bool(active)
