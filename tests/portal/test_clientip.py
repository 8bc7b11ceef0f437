"""The client's address, from X-Forwarded-For only as far as our proxies vouch for it."""

import pytest
from django.test import RequestFactory

from portal.clientip import client_ip, valid_ip
from tests.factories import PASSWORD, UserFactory


def _request(forwarded=None, remote="10.0.0.2"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        (" 203.0.113.5 ", "203.0.113.5"),
        ("203.0.113.5:4711", "203.0.113.5"),
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("not-an-ip", None),
        ("203.0.113.500", None),
        ("", None),
        (None, None),
        ("[2001:db8::1", None),
    ],
)
def test_only_real_addresses_pass(value, expected):
    assert valid_ip(value) == expected


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.7")) == "10.0.0.2"


def test_one_trusted_proxy_gives_the_last_hop(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_two_trusted_proxies_give_the_second_hop_from_the_right(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["not-an-ip", "1.2.3.4, <script>", "", " , "])
def test_a_hop_that_is_no_address_falls_back_to_the_connection(settings, forwarded):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded)) == "10.0.0.2"


def test_fewer_hops_than_proxies_falls_back_to_the_connection(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3
    assert client_ip(_request("198.51.100.7")) == "10.0.0.2"


def test_an_invalid_remote_addr_gives_none(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("garbage", remote="garbage")) is None
    assert client_ip(_request(None, remote="")) is None


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-ip", "1.2.3.4, 5.6.7.8, 9.9.9.9"])
def test_login_page_survives_a_forged_forwarded_for(client, settings, forwarded):
    """allauth alone answers 403 to an unparsable hop and 500 to a short list."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 4 if "," in forwarded else 1
    UserFactory(email="hanako@example.jp")
    response = client.post(
        "/accounts/login/",
        {"login": "hanako@example.jp", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_limits_count_per_validated_client_address(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    UserFactory(email="hanako@example.jp")

    def limited(forwarded):
        response = client.post(
            "/accounts/login/",
            {"login": "hanako@example.jp", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        return "ログイン失敗が連続しています" in response.content.decode()

    assert [limited("198.51.100.7") for _ in range(4)] == [False, False, False, True]
    # Another client behind the same proxy has its own counter ...
    assert not limited("198.51.100.8")
    # ... and garbage in the header counts against the proxy's own address,
    # not against a fresh counter per garbage string.
    assert [limited(f"junk-{n}") for n in range(4)] == [False, False, False, True]
