from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    # Public forms
    path("abuse_reports/new", views.abuse_report_new, name="abuse-report-new"),
    path("abuse_reports/sent", views.abuse_report_sent, name="abuse-report-sent"),
    path("support", views.support_new, name="support-new"),
    path("support/sent", views.support_sent, name="support-sent"),
    # Staff: dashboard
    path("staff", views.staff_dashboard, name="staff-dashboard"),
    # Staff: abuse reports
    path("staff/reports", views.staff_report_index, name="staff-reports"),
    path("staff/reports/<int:report_id>", views.staff_report_show, name="staff-report"),
    # Staff: support tickets
    path("staff/support", views.staff_ticket_index, name="staff-tickets"),
    path("staff/support/<int:ticket_id>", views.staff_ticket_show, name="staff-ticket"),
    # Staff: users and sanctions
    path("staff/users/<str:login>", views.staff_user_show, name="staff-user"),
    # Staff: activity log
    path("staff/log", views.staff_log, name="staff-log"),
    # Staff: hiding and spam
    path("staff/hide/<str:kind>/<int:target_id>", views.hide, name="hide"),
    path("staff/unhide/<str:kind>/<int:target_id>", views.unhide, name="unhide"),
    path("staff/comments", views.comment_list, name="comments"),
    path("staff/users/<str:login>/spammer", views.spammer, name="spammer"),
]
