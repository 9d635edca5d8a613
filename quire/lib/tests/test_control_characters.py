"""A control character in a URL's path names nothing: no tag, login, pseud or code can hold
one, and PostgreSQL refuses NUL in any text it is sent, so such a path is a 404 before any
view looks it up, never a 500."""

import pytest
from django.test import Client

from quire.conftest import client_for

pytestmark = pytest.mark.django_db

PATHS = [
    "/tags/%00",
    "/tags/a%00b/works",
    "/users/%00",
    "/users/alice%00/works",
    "/users/alice/pseuds/%00",
    "/languages/%00/works",
    "/media/%01/fandoms",
    "/tags/%1F",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_control_character_in_the_path_is_not_found(path):
    assert Client(raise_request_exception=False).get(path).status_code == 404


@pytest.mark.parametrize("path", PATHS[:3])
def test_it_is_not_found_when_logged_in_too(alice, path):
    client = client_for(alice)
    client.raise_request_exception = False
    assert client.get(path).status_code == 404
