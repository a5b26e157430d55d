"""/coproduction/: Bovaird's matrix as an accessible table with the public proposals per cell."""
import re

import pytest
from django.utils.html import escape

from coproduction.modes import CELLS, Delivery, Planning

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def cell_html(page, planning, delivery):
    """The <td> of one cell, found by its link to the filtered list."""
    link = f'/proposals/?planning={planning}&amp;delivery={delivery}"'
    start = page.rindex("<td", 0, page.index(link))
    return page[start:page.index("</td>", start)]


def test_matrix_is_a_table_with_row_and_column_headers(client):
    response = client.get("/coproduction/")
    assert response.status_code == 200
    page = response.text
    assert "<caption" in page
    assert page.count('<th scope="col">') == 3 and page.count('<th scope="row">') == 3
    for choice in list(Planning) + list(Delivery):
        assert f">{choice.label}</th>" in page
    for cell in CELLS:
        html = cell_html(page, cell.planning, cell.delivery)
        assert all(escape(str(text)) in html for text in (cell.name, cell.explanation, cell.example))


def test_the_two_corners_are_marked_as_not_coproduction(client):
    page = client.get("/coproduction/").text
    assert page.count("Not co-production") == 2
    for cell in CELLS:
        html = cell_html(page, cell.planning, cell.delivery)
        assert ("Not co-production" in html) == (not cell.is_coproduction), cell.name
    assert not any(cell.is_coproduction for cell in CELLS if (cell.planning, cell.delivery) in
                   [("professionals", "professionals"), ("community", "community")])


def test_each_cell_counts_published_visible_proposals_and_links_to_them(client):
    ProposalFactory.create_batch(3, planning="together", delivery="together")
    ProposalFactory(planning="together", delivery="together", draft=True)
    ProposalFactory(planning="together", delivery="together", is_hidden=True)
    ProposalFactory(planning="community", delivery="professionals", status="rejected")
    page = client.get("/coproduction/").text
    assert re.search(r">\s*3 proposals\s*<", cell_html(page, "together", "together"))
    assert re.search(r">\s*1 proposal\s*<", cell_html(page, "community", "professionals"))
    assert re.search(r">\s*0 proposals\s*<", cell_html(page, "professionals", "together"))
    listed = client.get("/proposals/", {"planning": "community", "delivery": "professionals"})
    assert len(listed.context["proposals"]) == 1


@pytest.mark.parametrize("size", [2, 60])
def test_matrix_queries_do_not_grow(client, django_assert_max_num_queries, size):
    for index in range(size):
        cell = CELLS[index % len(CELLS)]
        ProposalFactory(planning=cell.planning, delivery=cell.delivery)
    with django_assert_max_num_queries(1):
        assert client.get("/coproduction/").status_code == 200


def test_matrix_is_linked_from_the_navigation(client):
    page = client.get("/").text
    assert 'href="/coproduction/"' in page and 'href="/proposals/"' in page


def test_matrix_counts_are_kept_until_a_proposal_enters_or_leaves(client, django_capture_on_commit_callbacks, staff):
    from proposals import services
    from tests.stakeholders.factories import UserFactory

    def published(**mode):
        return services.proposal_create(
            author=UserFactory(), organisation=staff.memberships.get().organisation, title="Idee", summary="Kurz",
            text="Lang", publish=True, **mode,
        )

    with django_capture_on_commit_callbacks(execute=True):
        first = published(planning="together", delivery="together")
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 1
    with django_capture_on_commit_callbacks(execute=True):
        published(planning="together", delivery="together")
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.content_set_hidden(target=first, moderator=staff, hidden=True, reason="Werbung")
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 1


def test_deleting_in_the_back_office_leaves_the_counts_right(client, superuser, django_capture_on_commit_callbacks):
    first, second, third = ProposalFactory.create_batch(3, planning="together", delivery="together")
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 3
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/proposals/proposal/{first.pk}/delete/", {"post": "yes"})
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/proposals/proposal/", {"action": "delete_selected", "post": "yes",
                                                   "_selected_action": [second.pk, third.pk]})
    assert client.get("/coproduction/").context["rows"][1][1][1][1] == 0
