import pytest

from quire.conftest import client_for
from quire.moderation.actions import ReportInput, do_create_abuse_report
from quire.moderation.models import AbuseReport, QueueNote
from quire.moderation.queries import log_for
from quire.testing import make_user, make_work, parse, text_of

from .conftest import make_staff, staff_client_for

pytestmark = pytest.mark.django_db


def make_report(target=None, *, summary="Spam in the notes", url="http://testserver/works/1"):
    return do_create_abuse_report(
        ReportInput(
            url=url,
            category="spam",
            summary=summary,
            description="Shop links everywhere.",
            email="reader@example.org",
        ),
        target=target,
        sender=None,
    )


@pytest.fixture
def report(alice):
    work = make_work(author=alice, title="Boots for Sale")
    return make_report(work, url=f"http://testserver/works/{work.pk}")


PAGES = ["/staff", "/staff/reports", "/staff/support", "/staff/log", "/staff/users/alice"]


@pytest.mark.parametrize("path", PAGES)
def test_guests_are_sent_to_log_in_and_readers_find_nothing(client, bob, path, alice):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")
    assert client_for(bob).get(path).status_code == 404


def test_staff_without_the_role_get_a_403_in_the_layout(report):
    staff = make_staff("plain", None)
    response = staff_client_for(staff).get(f"/staff/reports/{report.pk}")
    assert response.status_code == 403
    assert b"your staff role" in response.content
    assert b'id="header"' in response.content


def test_support_staff_see_tickets_but_not_reports(support_client, report):
    assert support_client.get("/staff/support").status_code == 200
    assert support_client.get("/staff/reports").status_code == 403


def test_the_queue_lists_open_reports_and_filters_them(policy_client, policy, report):
    other = make_report(summary="Plagiarised from a book")
    other.status = "resolved"
    other.save()
    doc = parse(policy_client.get("/staff/reports"))
    rows = doc.xpath("//table[@id='report-queue']/tbody/tr")
    assert [text_of(row.xpath("td")[0]) for row in rows] == ["Spam in the notes"]
    doc = parse(policy_client.get("/staff/reports?status=resolved"))
    assert "Plagiarised from a book" in text_of(doc.get_element_by_id("report-queue"))
    doc = parse(policy_client.get("/staff/reports?status=all&assignee=me"))
    assert "No reports here." in text_of(doc.get_element_by_id("report-queue"))


@pytest.mark.parametrize("page", ["2", "0", "-1", "x", str(10**30), "²"])
def test_page_numbers_are_bounded(policy_client, report, page):
    assert policy_client.get(f"/staff/reports?page={page}").status_code == 200


def test_the_report_page_shows_the_target_its_creator_and_its_log(policy_client, report, alice):
    doc = parse(policy_client.get(f"/staff/reports/{report.pk}"))
    actions = doc.get_element_by_id("target-actions")
    assert actions.xpath(".//a[@class='target-link']/@href") == [f"/works/{report.target_id}"]
    assert actions.xpath(".//a[@class='creator-link']/@href") == ["/staff/users/alice"]
    assert doc.get_element_by_id("target-log") is not None


def test_a_missing_report_is_a_404(policy_client):
    assert policy_client.get("/staff/reports/999999").status_code == 404
    assert policy_client.get(f"/staff/reports/{10**25}").status_code == 404


def test_staff_change_status_and_assignee_and_it_is_logged(policy_client, policy, report):
    response = policy_client.post(
        f"/staff/reports/{report.pk}",
        {"status": "in_progress", "assignee": policy.pk, "update_button": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert report.assignee == policy
    entry = log_for(report).get()
    assert entry.actor == policy
    assert entry.action == "report_update"
    assert "In progress" in entry.note


def test_a_bad_status_is_refused(policy_client, report):
    response = policy_client.post(
        f"/staff/reports/{report.pk}", {"status": "gone", "update_button": "1"}
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "open"
    assert not log_for(report).exists()


def test_a_reader_cannot_be_assigned(policy_client, report, bob):
    policy_client.post(
        f"/staff/reports/{report.pk}",
        {"status": "open", "assignee": bob.pk, "update_button": "1"},
    )
    report.refresh_from_db()
    assert report.assignee is None


def test_staff_notes_are_a_logged_thread(policy_client, policy, report):
    policy_client.post(
        f"/staff/reports/{report.pk}", {"body": "Asked the creator.", "note_button": "1"}
    )
    note = QueueNote.objects.get()
    assert note.report == report and note.author == policy
    doc = parse(policy_client.get(f"/staff/reports/{report.pk}"))
    assert "Asked the creator." in text_of(doc.get_element_by_id("staff-notes"))
    assert log_for(report).get().action == "report_note"


def test_the_queue_page_count_is_flat(policy_client, django_assert_max_num_queries):
    for number in range(30):
        make_report(summary=f"Report {number}")
    with django_assert_max_num_queries(12):
        policy_client.get("/staff/reports")


def test_the_dashboard_counts_only_what_the_role_opens(policy_client, support_client, report):
    make_user("someone")
    doc = parse(policy_client.get("/staff"))
    assert text_of(doc.get_element_by_id("open-reports")) == "(1 open)"
    assert not doc.xpath("//*[@id='open-tickets']")
    doc = parse(support_client.get("/staff"))
    assert not doc.xpath("//*[@id='open-reports']")
    assert AbuseReport.objects.count() == 1


def test_the_report_page_count_is_flat_in_notes_and_log(
    policy_client, policy, report, django_assert_max_num_queries
):
    from quire.moderation.actions import do_add_queue_note, do_log

    for number in range(20):
        do_add_queue_note(report, by=policy, body=f"Note {number}")
        do_log(policy, "looked", report.target)
    with django_assert_max_num_queries(25):
        response = policy_client.get(f"/staff/reports/{report.pk}")
    assert response.status_code == 200


def test_the_user_page_and_the_log_are_flat(
    policy_client, policy, alice, django_assert_max_num_queries
):
    from quire.moderation.actions import do_log, do_sanction_user

    for number in range(20):
        make_work(author=alice, title=f"Work {number}")
        do_sanction_user(alice, "note", reason=f"Note {number}", by=policy)
        do_log(policy, "looked", alice)
    with django_assert_max_num_queries(25):
        assert policy_client.get("/staff/users/alice").status_code == 200
    with django_assert_max_num_queries(15):
        assert policy_client.get("/staff/log").status_code == 200


@pytest.mark.parametrize("path", ["/staff/reports", "/staff/support", "/staff/log"])
@pytest.mark.parametrize("value", ["\x00", "x" * 5000, "%", "'; --", "²"])
def test_hostile_filters_are_never_a_server_error(superuser_client, path, value):
    for name in ("status", "assignee", "actor", "action", "page"):
        assert superuser_client.get(path, {name: value}).status_code == 200


def test_a_hostile_prefill_is_never_a_server_error(client):
    for value in ("\x00", "x" * 5000, "javascript:alert(1)"):
        assert client.get("/abuse_reports/new", {"url": value}).status_code == 200
