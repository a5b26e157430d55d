"""Pages of a list whose total is shown but not trusted to cut the pages.

A list's total may come from a kept counter, which can lag behind the rows for a while after a change
made outside the services, or from a count that stops at a cap because counting every match would cost
more than the page. ``ShownCountPaginator`` reads each page's rows by position, one more than it shows
to know whether another page follows, so such a total never cuts a page short or loses the last page:
it is only a number shown a little off until it is kept right again.
"""
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class ShownCountPaginator(Paginator):
    """A paginator whose ``count`` is set by its user and only shown (see the module)."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        # "Page 3 of 2" never: the pages go at least as far as the rows were found.
        self.num_pages = max(self.num_pages, number + more)
        return ShownCountPage(rows[:self.per_page], number, self, more=more)

    def get_page(self, number):
        """As ``Paginator.get_page``: the first page for what is not a number, the last counted page
        (or the first, if the rows end before it) for a page past the rows."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            try:
                return self.page(max(self.num_pages, 1))
            except EmptyPage:
                return self.page(1)


class ShownCountPage(Page):
    """A page that knows from its own rows whether another follows and where it ends."""

    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
