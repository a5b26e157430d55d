"""Who may read, edit and look after wiki spaces and pages, as named rules.

Every predicate takes a space or a page (and then asks about its space). The list twins are
Space.objects.visible_to, Page.objects.visible_to and Revision.objects.visible_to.
"""
import rules

from .models import Space


def _space(obj):
    if obj is None:
        return None
    return obj if isinstance(obj, Space) else obj.space


@rules.predicate
def is_public(user, obj):
    space = _space(obj)
    return space is not None and space.visibility == Space.Visibility.PUBLIC


@rules.predicate
def is_member_of_space(user, obj):
    """An approved role of any kind in the space's organisation; in the shared space, being signed in."""
    space = _space(obj)
    return space is not None and "member" in space.roles_of(user)


@rules.predicate
def is_staff_of_space(user, obj):
    space = _space(obj)
    return space is not None and "staff" in space.roles_of(user)


@rules.predicate
def editors_are_members(user, obj):
    space = _space(obj)
    return space is not None and space.editors == Space.Editors.MEMBERS


@rules.predicate
def editors_are_staff(user, obj):
    space = _space(obj)
    return space is not None and space.editors == Space.Editors.STAFF


@rules.predicate
def editors_are_signed_in(user, obj):
    space = _space(obj)
    return space is not None and space.editors == Space.Editors.SIGNED_IN


is_superuser = rules.is_superuser
is_signed_in = rules.is_authenticated
can_read = is_superuser | is_public | is_member_of_space
can_edit = is_superuser | (
    can_read & (
        (editors_are_signed_in & is_signed_in)
        | (editors_are_members & is_member_of_space)
        | (editors_are_staff & is_staff_of_space)
    )
)
can_look_after = is_superuser | is_staff_of_space

rules.add_perm("wiki.view_space", can_read)
rules.add_perm("wiki.add_page", can_edit)
rules.add_perm("wiki.watch_space", is_signed_in & can_read)
rules.add_perm("wiki.handover_space", can_look_after)
rules.add_perm("wiki.view_page", can_read)
rules.add_perm("wiki.change_page", can_edit)
rules.add_perm("wiki.revert_page", can_edit)
rules.add_perm("wiki.watch_page", is_signed_in & can_read)
rules.add_perm("wiki.hand_over_page", can_look_after)
