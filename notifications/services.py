from .models import Activity


def activity_record(*, actor, verb, target, organisation=None, **data):
    """Writes one activity-log row; call it inside the transaction of the change it records."""
    return Activity.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target=target,
        organisation=organisation,
        data=data,
    )
