"""Who hears about proposals: their followers (authors and supporters follow automatically), also
about the progress of accepted proposals."""
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from notifications.channels import Channel
from notifications.notify import Category as Core, staff_of
from notifications.registry import category, event, rule, visibility
from notifications.wording import actor_name, excerpt

from .models import Comment, Follow, ImplementationUpdate, Proposal


def followers(proposal_id):
    return Follow.objects.filter(proposal_id=proposal_id).values_list("user_id", flat=True)


def _proposal(proposal):
    return proposal.title, proposal.get_absolute_url()


def _comment_address(comment):
    """The comment's lasting address, which finds its page however long the discussion has grown."""
    return reverse("proposals:comment_permalink", args=[comment.proposal_id, comment.pk])


def _comment(comment):
    proposal = comment.proposal
    return proposal.title, _comment_address(comment), {"excerpt": excerpt(comment.text)}


def _content(target):
    """A proposal, or a comment at its place on the proposal's page."""
    if isinstance(target, Comment):
        return target.proposal.title, _comment_address(target)
    return _proposal(target)


def _report(report):
    """Told only to staff: the report's page in the back office, where they decide it."""
    title, _address = _content(report.comment if report.comment_id else report.proposal)
    return title, reverse("admin:proposals_report_change", args=[report.pk]), {
        "reason": excerpt(report.reason, 80), "on_comment": bool(report.comment_id)}


def _update(update):
    proposal = update.implementation.proposal
    return proposal.title, f"{proposal.get_absolute_url()}#progress", {"excerpt": excerpt(update.text)}


class Category:
    PROPOSALS = category("proposals", gettext_lazy("My proposals and proposals I follow"),
                         default_channel=Channel.DAILY, order=10)


class Verb:
    """What the activity log records about proposals, comments, their moderation and their progress."""

    PUBLISHED = event("proposal.published", describe=_proposal)
    STATUS_CHANGED = event("proposal.status_changed", describe=_proposal)
    SUPPORTED = event("proposal.supported", describe=_proposal)
    PLEDGED = event("proposal.pledged", describe=_proposal)
    COMMENTED = event("comment.created", describe=_comment)
    REPORTED = event("report.created", describe=_report)
    HIDDEN = event("content.hidden", describe=_content)
    UNHIDDEN = event("content.unhidden", describe=_content)
    IMPLEMENTATION_UPDATED = event("implementation.updated", describe=_update)


def _comment_recipients(activity):
    comment = activity.target
    people = set(followers(comment.proposal_id))
    if comment.parent_id:
        people.add(Comment.objects.filter(pk=comment.parent_id).values_list("author_id", flat=True).first())
    return people


def _status_message(activity):
    status = Proposal.Status(activity.data["to_status"]).label
    return (_("“%(title)s” is now: %(status)s.") % {"title": activity.title, "status": status},
            excerpt(activity.data.get("response", ""), 60))


rule(Verb.STATUS_CHANGED, Category.PROPOSALS,
     recipients=lambda activity: followers(activity.target_id),
     message=_status_message)
rule(Verb.COMMENTED, Category.PROPOSALS,
     recipients=_comment_recipients,
     message=lambda activity: (_("%(name)s commented on “%(title)s”.") % {"name": actor_name(activity),
                                                                          "title": activity.title},
                               activity.data.get("excerpt", "")))
rule(Verb.PLEDGED, Category.PROPOSALS,
     recipients=lambda activity: [activity.target.author_id],
     message=lambda activity: (_("%(name)s offered to help with “%(title)s”.") % {"name": actor_name(activity),
                                                                                 "title": activity.title}, ""))


def _proposal_followers(activity):
    if activity.data.get("status_changed"):
        return []  # the proposal's status change already tells its followers, with this text
    return followers(activity.data["proposal"])


rule(Verb.IMPLEMENTATION_UPDATED, Category.PROPOSALS, recipients=_proposal_followers,
     message=lambda activity: (_("Progress on “%(title)s”: %(progress)s %% done.")
                               % {"title": activity.title, "progress": activity.data.get("progress", 0)},
                               activity.data.get("excerpt", "")))


def _visible_proposals(ids):
    shown = Proposal.objects.filter(pk__in=ids, is_hidden=False).exclude(status=Proposal.Status.DRAFT).order_by()
    return dict.fromkeys(shown.values_list("pk", flat=True))


def _visible_comments(ids):
    shown = Comment.objects.filter(pk__in=ids, is_hidden=False, proposal__is_hidden=False).order_by()
    return dict.fromkeys(shown.values_list("pk", flat=True))


visibility(Proposal, _visible_proposals)
visibility(Comment, _visible_comments)


def _visible_updates(ids):
    shown = ImplementationUpdate.objects.filter(pk__in=ids, implementation__proposal__is_hidden=False)
    return dict.fromkeys(shown.values_list("pk", flat=True))


visibility(ImplementationUpdate, _visible_updates)


# Staff alerts: what staff of the proposal's organisation should know the same day.
rule(Verb.REPORTED, Core.STAFF, recipients=staff_of, message=lambda activity: (
    (_("A comment on “%(title)s” was reported.") if activity.data.get("on_comment")
     else _("“%(title)s” was reported.")) % {"title": activity.title}, activity.data.get("reason", "")))
rule(Verb.PUBLISHED, Core.STAFF, recipients=staff_of, message=lambda activity: (
    _("New proposal: “%(title)s” by %(name)s.") % {"title": activity.title, "name": actor_name(activity)}, ""))
