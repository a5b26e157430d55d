from django.core.paginator import Paginator
from rest_framework import pagination

from coproduction.paging import ShownCountPaginator


class Pagination(pagination.PageNumberPagination):
    """Pages of 20 by default; ``page_size`` asks for up to 100.

    A view set may offer ``count_without_counting()``: the total from a kept counter when the
    request's filters allow it, or None to count in the database.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        counter = getattr(view, "count_without_counting", None)
        self.known_count = counter() if counter is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        if self.known_count is None:
            return Paginator(object_list, per_page)
        # A kept count may lag behind the rows: it is shown, the rows decide the pages.
        paginator = ShownCountPaginator(object_list, per_page)
        paginator.count = self.known_count
        return paginator
