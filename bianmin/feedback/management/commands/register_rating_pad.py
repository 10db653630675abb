"""bianmin register_rating_pad --center <region code> --window <number> [--name ...]

Registers the tablet beside a window as its rating pad and prints the token once (type it on
the pad's set-up page, /rate/pad/)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bianmin.feedback.services import register_pad
from bianmin.hall.models import Window
from bianmin.identity.models import User


class Command(BaseCommand):
    help = "Register a rating pad beside a window and print its token."

    def add_arguments(self, parser):
        parser.add_argument("--center", required=True, help="the center's region code")
        parser.add_argument("--window", type=int, required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--as-user", default="admin", help="a manager or administrator")

    def handle(self, *args, center, window, name, as_user, **options):
        w = Window.objects.filter(center__region__code=center, number=window).first()
        if w is None:
            raise CommandError(f"no window {window} at center {center}")
        actor = User.objects.filter(username=as_user).first()
        if actor is None:
            raise CommandError(f"no user {as_user}")
        pad, token = register_pad(actor, w, name=name)
        self.stdout.write(f"rating pad {pad.device.name} at {w}: token {token}")
