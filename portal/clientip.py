"""The client's IP address, for the audit log and allauth's rate limits.

X-Forwarded-For is written by whoever sends the request: only the hops added
by our own proxies (ALLAUTH_TRUSTED_PROXY_COUNT of them, counted from the
right) are believed, and only when they parse as an address. Anything else
falls back to the address the connection came from.
"""

import ipaddress

from django.conf import settings


def valid_ip(value):
    """`value` as a normalised IP address, or None if it is not one.

    Accepts the forms proxies write: `203.0.113.5`, `203.0.113.5:4711`,
    `2001:db8::1` and `[2001:db8::1]:4711`.
    """
    value = (value or "").strip()
    if not value:
        return None
    if value.startswith("["):
        host, bracket, _port = value[1:].partition("]")
        value = host if bracket else value
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The client's address, trusting only as many proxies as configured.

    Returns None when neither the trusted hop nor REMOTE_ADDR is an address.
    """
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            ip = valid_ip(hops[-proxies])
            if ip:
                return ip
    return valid_ip(request.META.get("REMOTE_ADDR"))
