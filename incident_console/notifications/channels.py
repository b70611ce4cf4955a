"""How a delivery leaves the console: email and SMS, through a backend chosen in settings.

- ``console`` (the default, so ``make run`` needs no keys): SMS is written to the log; email goes
  through Django's email backend (the console backend in development).
- ``notify``: GOV.UK Notify through notifications-python-client, with the base URL, template ids
  and an API key per council from settings (several councils, several Notify services).
- ``django`` (email only): Django's email backend, for a council that relays through SMTP.

Each send carries our ``reference``. For Notify, a send whose outcome was lost (the worker died
after calling it) is looked up by that reference before sending again, so nothing goes twice.
Plain SMTP cannot be asked, so a lost outcome is sent again: at least once, never lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    channel: str  # "email" or "sms"
    address: str
    subject: str
    body: str
    reference: str
    council_slug: str


class SendFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


def backend_for(channel: str) -> str:
    return str(
        settings.NOTIFICATIONS_SMS_BACKEND if channel == "sms" else settings.NOTIFICATIONS_EMAIL_BACKEND
    )


def notify_client(council_slug: str) -> NotificationsAPIClient:
    key = settings.NOTIFY_API_KEYS.get(council_slug) or settings.NOTIFY_API_KEY
    if not key:
        raise SendFailed(f"No GOV.UK Notify API key is set for council “{council_slug}”.", permanent=False)
    return NotificationsAPIClient(key, base_url=settings.NOTIFY_BASE_URL, timeout=10)


def already_sent(message: Message) -> str | None:
    """The provider's id for a message with this reference, if it has one (Notify only)."""
    if backend_for(message.channel) != "notify":
        return None
    try:
        found = notify_client(message.council_slug).get_all_notifications(reference=message.reference)
    except HTTPError as error:
        raise SendFailed(f"GOV.UK Notify lookup failed: {error}", permanent=False) from error
    except OSError as error:
        raise SendFailed(f"GOV.UK Notify could not be reached: {error}", permanent=False) from error
    notifications = found.get("notifications") or []
    return str(notifications[0]["id"]) if notifications else None


def send(message: Message) -> str:
    """Send it; return the provider's id (or our reference when the provider gives none)."""
    backend = backend_for(message.channel)
    if backend == "notify":
        return _send_notify(message)
    if message.channel == "email":
        try:
            send_mail(message.subject, message.body, None, [message.address])
        except OSError as error:
            raise SendFailed(
                f"The email server refused or could not be reached: {error}", permanent=False
            ) from error
        return message.reference
    logger.info("SMS to %s [%s]: %s", message.address, message.reference, message.body)
    return message.reference


def _send_notify(message: Message) -> str:
    client = notify_client(message.council_slug)
    try:
        if message.channel == "sms":
            response = client.send_sms_notification(
                phone_number=message.address,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation={"message": message.body},
                reference=message.reference,
            )
        else:
            response = client.send_email_notification(
                email_address=message.address,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation={"subject": message.subject, "message": message.body},
                reference=message.reference,
            )
    except HTTPError as error:
        # 400 and 403 will not get better by trying again (bad number, bad key, trial mode).
        raise SendFailed(
            f"GOV.UK Notify refused it: {error}", permanent=error.status_code in (400, 403)
        ) from error
    except OSError as error:
        raise SendFailed(f"GOV.UK Notify could not be reached: {error}", permanent=False) from error
    return str(response["id"])
