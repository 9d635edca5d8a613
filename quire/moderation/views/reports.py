"""Abuse reports: the public form at /abuse_reports/new, and the staff queue."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.limits import RateLimited, hit
from quire.lib.site import site_url

from ..actions import ReportInput, do_create_abuse_report
from ..forms import AbuseReportForm
from ..permissions import REPORTS, staff_required
from ..queries import (
    access_report,
    describe_target,
    log_for,
    report_queue,
    report_url_limit,
    resolve_target,
)
from .queue import queue_index, queue_show

URL_LIMITED = (
    "This page has already been reported. Our volunteers only need one report to look into "
    "a problem, so please wait until we have had a chance to look at it."
)
EMAIL_LIMITED = (
    "You have reached the daily limit of abuse reports. Please report only what you come "
    "across while using the archive, and try again tomorrow."
)


def abuse_report_new(request: HttpRequest) -> HttpResponse:
    form = AbuseReportForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        site=site_url(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hit("abuse_report_email", data["email"], message=EMAIL_LIMITED)
            hit(report_url_limit(form.path), form.normalised_url, message=URL_LIMITED)
        except RateLimited as limited:
            form.add_error(None, limited.message)
        else:
            do_create_abuse_report(
                ReportInput(
                    url=data["url"],
                    category=data["category"],
                    summary=data["summary"],
                    description=data["description"],
                    email=data["email"],
                    username=data["username"],
                ),
                target=resolve_target(form.path),
                sender=request.user if request.user.is_authenticated else None,
            )
            return redirect("moderation:abuse-report-sent")
    elif request.method == "GET" and "url" in request.GET:
        form.initial["url"] = request.GET["url"][:2080]
    return render(request, "moderation/abuse_report_new.html", {"form": form})


def abuse_report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/abuse_report_sent.html")


@staff_required(REPORTS)
def staff_report_index(request: HttpRequest) -> HttpResponse:
    return queue_index(request, report_queue, template="moderation/report_index.html")


@staff_required(REPORTS)
def staff_report_show(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(report_id)
    target = report.target
    extra = {
        "target": target,
        "target_view": describe_target(target),
        "target_log": list(log_for(target)[:50]) if target is not None else [],
    }
    response = queue_show(request, report, template="moderation/report_show.html", extra=extra)
    if response.status_code == 302:
        messages.success(request, "Report updated.")
    return response
