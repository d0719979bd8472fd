"""Campaigns are reviewed before they go out: draft → review → publish.

Commerce officers write a campaign and submit it to the "Duyệt chiến dịch" workflow; a member
of the "Campaign reviewers" group (or platform staff) approves it, which publishes it, or
schedules it for its start when that is still ahead. Officers cannot publish or unpublish a
campaign themselves, even where their region's page permissions let them publish other pages
(`CampaignPermissionTester`, and the create-view guards in `catalog.wagtail_hooks`).

Every campaign uses this workflow, wherever it sits in the page tree (`CampaignPage
.get_workflow`), rather than the workflow of the pages above it (Wagtail's default "Moderators
approval" sits on the root): so it is not assigned to any page, and the other pages of a region
(its page, cooperative stories) are not held up by it. Deactivating it in Settings → Workflows
gives campaigns the workflow of the page tree again.

`install_campaign_workflow` creates the group, task and workflow when they are missing; it runs
after every `migrate` (`cooperatives.roles.install_after_migrate`).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from wagtail.models import GroupApprovalTask, PagePermissionTester, Workflow, WorkflowTask

REVIEWERS_GROUP = "Campaign reviewers"
CAMPAIGN_WORKFLOW = "Duyệt chiến dịch"
REVIEW_TASK = "Cán bộ duyệt chiến dịch"

_REVIEWER_CACHE = "_ocop_campaign_reviewer"


def install_campaign_workflow(using: str = DEFAULT_DB_ALIAS) -> Workflow:
    """The reviewers' group and the campaign workflow with its approval task, created once."""
    group, _created = Group.objects.using(using).get_or_create(name=REVIEWERS_GROUP)
    access_admin = (
        Permission.objects.using(using)
        .filter(content_type__app_label="wagtailadmin", codename="access_admin")
        .first()
    )
    if access_admin is not None:
        group.permissions.add(access_admin)
    workflow, _created = Workflow.objects.using(using).get_or_create(
        name=CAMPAIGN_WORKFLOW, defaults={"active": True}
    )
    if not WorkflowTask.objects.using(using).filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.using(using).create(name=REVIEW_TASK)
        task.groups.add(group)
        WorkflowTask.objects.using(using).create(workflow=workflow, task=task, sort_order=0)
    return workflow


def campaign_workflow() -> Workflow | None:
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    return Workflow.objects.filter(name=CAMPAIGN_WORKFLOW, active=True).first()


def is_reviewer(user) -> bool:
    """Platform staff and members of "Campaign reviewers" (asked once per request's user)."""
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _REVIEWER_CACHE):
        setattr(user, _REVIEWER_CACHE, user.groups.filter(name=REVIEWERS_GROUP).exists())
    return getattr(user, _REVIEWER_CACHE)


class CampaignPermissionTester(PagePermissionTester):
    """Only reviewers put a campaign on the site or take it off; officers submit it for review."""

    def can_publish(self):
        return not self.page_is_root and is_reviewer(self.user)

    def can_unpublish(self):
        return bool(self.page.live) and not self.page_locked() and is_reviewer(self.user)
