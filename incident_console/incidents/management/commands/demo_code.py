from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from incident_console.accounts.models import User
from incident_console.accounts.two_factor import totp_device


class Command(BaseCommand):
    help = "Demo only: print the current two-factor code of a demo user (as their authenticator app would)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code only works on a development (DEBUG) install.")
        user = User.objects.filter(username=options["username"]).first()
        device = totp_device(user) if user else None
        if device is None or device.name != "Demo authenticator":
            raise CommandError(f"{options['username']} has no demo authenticator.")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
