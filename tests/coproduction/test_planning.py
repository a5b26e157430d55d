"""joins_as_written: PostgreSQL keeps the written join order inside the block and its own planning after it."""
import pytest
from django.db import ProgrammingError, connection, transaction

from coproduction.planning import joins_as_written

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]


def join_collapse_limit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def test_the_order_is_kept_inside_the_block_only():
    before = join_collapse_limit()
    with joins_as_written():
        assert join_collapse_limit() == "1"
    assert join_collapse_limit() == before != "1"


def test_a_failing_query_in_the_block_is_the_error_seen_and_the_setting_is_undone():
    before = join_collapse_limit()
    with pytest.raises(ProgrammingError, match="no_such_table"):
        with transaction.atomic():
            with joins_as_written():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table")
    assert join_collapse_limit() == before
