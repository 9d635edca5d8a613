"""Who a visitor is, for the rules that count guests (kudos, hits, the comment rate limit):
their address, and a keyed hash of it that is stored instead."""

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from quire.lib.limits import client_address


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. granian/nginx real-ip). The rate
    # limits read the address the same way.
    return client_address(request) or None


def hash_ip(ip: str) -> str:
    """A keyed hash of an IP address: enough to tell visitors apart, useless to recover it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()[:32]
