"""Tests shared by the back offices that staff see scoped to their organisations (budgets, proposals).

A test module with fixtures ``own`` and ``foreign`` (objects of the staff member's organisation and of
another one) takes the changelist tests as its own, under the names it gives them:

    test_staff_lists_show_only_their_organisations, test_superuser_sees_all = changelist_scoping_tests(ADMIN, LISTS)

``ADMIN`` is the app's admin address ("/admin/budgets"); ``LISTS`` holds (model, a row of own, a row of foreign).
"""
import pytest


def changelist_scoping_tests(admin, lists):
    """(staff see only their organisations' rows, a superuser sees all rows), each test run for every list."""

    @pytest.mark.parametrize("model, mine, theirs", lists)
    def staff_lists_show_only_their_organisations(client, staff, own, foreign, model, mine, theirs):
        client.force_login(staff)
        page = client.get(f"{admin}/{model}/").text
        assert mine in page and theirs not in page

    @pytest.mark.parametrize("model, mine, theirs", lists)
    def superuser_sees_all(client, superuser, own, foreign, model, mine, theirs):
        client.force_login(superuser)
        page = client.get(f"{admin}/{model}/").text
        assert mine in page and theirs in page

    return staff_lists_show_only_their_organisations, superuser_sees_all
