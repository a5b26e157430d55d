"""What a recipient may still see: targets that exist, are not hidden, and (members-only) are theirs to read."""
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from stakeholders.models import Membership

from ..registry import VISIBILITY


def visible_items(notifications):
    """The notifications whose target still exists, is not hidden, and their recipient may see."""
    targets = defaultdict(set)
    for item in notifications:
        targets[item.activity.target_type_id].add(item.activity.target_id)
    allowed = {}
    for type_id, ids in targets.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        check = VISIBILITY.get(model)
        if check is None:
            found = dict.fromkeys(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        else:
            found = check(ids)
        allowed.update({(type_id, pk): organisation for pk, organisation in found.items()})
    needed = {(item.recipient_id, allowed[key]) for item in notifications
              if allowed.get(key := (item.activity.target_type_id, item.activity.target_id))}
    members = set()
    if needed:
        members = set(
            Membership.objects.approved()
            .filter(user_id__in={u for u, _o in needed}, organisation_id__in={o for _u, o in needed})
            .values_list("user_id", "organisation_id")
        )
    result = set()
    for item in notifications:
        key = (item.activity.target_type_id, item.activity.target_id)
        if key not in allowed:
            continue
        organisation = allowed[key]
        if organisation is None or (item.recipient_id, organisation) in members:
            result.add(item)
    return result
