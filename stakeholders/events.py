"""What stakeholders records in the activity log. notifications/notify.py declares these verbs,
describes them and says whom they concern (stakeholders sits below notifications)."""


class Verb:
    REQUESTED = "membership.requested"
    APPROVED = "membership.approved"
    DECLINED = "membership.declined"
    LEFT = "membership.left"
