import pytest
from django.core import mail

from quire.conftest import client_for
from quire.lib.spam import started_token
from quire.moderation.models import SupportTicket
from quire.moderation.queries import log_for
from quire.pages.actions import do_update_site_settings
from quire.testing import parse, text_of

pytestmark = pytest.mark.django_db


def ticket_data(**fields) -> dict:
    return {
        "email": "reader@example.org",
        "username": "",
        "summary": "Downloads fail",
        "description": "The EPUB download of my work is empty.",
        "form_started": started_token(),
        **fields,
    }


def test_a_guest_sends_a_message_to_the_queue(client):
    response = client.post("/support", ticket_data())
    assert response["Location"] == "/support/sent"
    ticket = SupportTicket.objects.get()
    assert ticket.status == "open" and ticket.sender is None
    assert mail.outbox[0].to == ["reader@example.org"]


def test_a_logged_in_sender_is_recorded(bob):
    client_for(bob).post("/support", ticket_data(email="other@example.org"))
    ticket = SupportTicket.objects.get()
    assert ticket.sender == bob and ticket.email == "bob@example.org"


def test_missing_fields_keep_what_was_typed(client):
    response = client.post("/support", ticket_data(summary=""))
    assert response.status_code == 200
    assert b"The EPUB download of my work is empty." in response.content
    assert not SupportTicket.objects.exists()


def test_support_is_throttled_with_a_message(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "support": "1/3600"}
    client.post("/support", ticket_data())
    response = client.post("/support", ticket_data(email="else@example.org"))
    assert response.status_code == 200
    assert b"too many times" in response.content
    assert SupportTicket.objects.count() == 1


def test_the_form_is_closed_when_the_setting_is_off(client):
    do_update_site_settings(support_form=False)
    response = client.get("/support")
    assert b"closed" in response.content
    client.post("/support", ticket_data())
    assert not SupportTicket.objects.exists()


def test_support_staff_work_a_ticket(support_client, support_staff, client):
    client.post("/support", ticket_data())
    ticket = SupportTicket.objects.get()
    doc = parse(support_client.get("/staff/support"))
    assert "Downloads fail" in text_of(doc.get_element_by_id("ticket-queue"))
    support_client.post(
        f"/staff/support/{ticket.pk}",
        {"status": "resolved", "assignee": support_staff.pk, "update_button": "1"},
    )
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    assert log_for(ticket).get().actor == support_staff
