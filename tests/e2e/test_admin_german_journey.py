"""Staff read the back office in German: lists with German filter titles and amounts as “12.345,00 €”."""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.budgets.factories import add_entry, make_process
from tests.stakeholders.factories import MembershipFactory

from .support import log_in, trp, visit

pytestmark = pytest.mark.e2e


def test_staff_read_lists_and_filters_in_german(page, organisation):
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    process = make_process(organisation, total=Decimal("12345"))
    add_entry(process, cost=Decimal("2500"))
    log_in(page, staff.email)

    visit(page, "/admin/budgets/process/")
    expect(page.get_by_role("row").filter(has_text=process.title)).to_contain_text("12.345,00\u00a0€")
    expect(page.locator("#changelist-filter")).to_contain_text(f"Nach {trp('admin filter', 'eligibility')}")

    visit(page, "/admin/budgets/entry/")
    expect(page.locator("#result_list")).to_contain_text("2.500,00\u00a0€")
    expect(page.locator("#changelist-filter")).to_contain_text(f"Nach {trp('admin filter', 'funding')}")

    for path, title in [("/admin/proposals/proposal/", "planning"), ("/admin/proposals/statuschange/", "new status"),
                        ("/admin/volunteering/task/", "flexible hours"), ("/admin/volunteering/signup/", "attendance"),
                        ("/admin/proposals/pledge/", "kind of pledge"), ("/admin/wiki/space/", "reading rights")]:
        visit(page, path)
        expect(page.locator("#changelist-filter")).to_contain_text(f"Nach {trp('admin filter', title)}")
