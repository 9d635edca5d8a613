"""Every account writes under a default pseud, however it was made: signing up (test_signup.py),
`createsuperuser`, `create_user` in code, the admin's add form; and accounts made before this
rule get theirs from a data migration."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from quire.accounts.models import Pseud, User
from quire.conftest import client_for, staff_session_for
from quire.testing import TEST_PASSWORD, parse

pytestmark = pytest.mark.django_db


def default_pseuds(user: User) -> list[tuple[str, bool]]:
    return [(p.name, p.is_default) for p in user.pseuds.all()]


def test_create_user_gives_the_account_its_default_pseud():
    user = User.objects.create_user("lizzy", "lizzy@example.org", TEST_PASSWORD)
    assert default_pseuds(user) == [("lizzy", True)]
    assert user.check_password(TEST_PASSWORD)


def test_create_superuser_gives_the_account_its_default_pseud():
    user = User.objects.create_superuser("boss", "boss@example.org", TEST_PASSWORD)
    assert user.is_staff and user.is_superuser
    assert default_pseuds(user) == [("boss", True)]


def test_the_createsuperuser_command_gives_the_account_its_default_pseud():
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.org",
        stdout=StringIO(),
    )
    user = User.objects.get(username="root")
    assert user.is_superuser
    assert default_pseuds(user) == [("root", True)]


def test_an_account_added_in_the_admin_gets_its_default_pseud(admin_user):
    admin = staff_session_for(admin_user)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "added",
            "password1": "a perfectly good password",
            "password2": "a perfectly good password",
            "usable_password": "true",
            "pseuds-TOTAL_FORMS": "0",
            "pseuds-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, parse(response).xpath("//ul[@class='errorlist']//text()")
    assert default_pseuds(User.objects.get(username="added")) == [("added", True)]


def test_an_account_added_in_the_admin_with_a_default_pseud_keeps_just_that_one(admin_user):
    admin = staff_session_for(admin_user)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "penned",
            "password1": "a perfectly good password",
            "password2": "a perfectly good password",
            "usable_password": "true",
            "pseuds-TOTAL_FORMS": "1",
            "pseuds-INITIAL_FORMS": "0",
            "pseuds-0-name": "Pen Name",
            "pseuds-0-is_default": "on",
        },
    )
    assert response.status_code == 302
    assert default_pseuds(User.objects.get(username="penned")) == [("Pen Name", True)]


def test_a_superuser_made_on_the_command_line_can_post_and_import():
    User.objects.create_superuser("root", "root@example.org", TEST_PASSWORD)
    user = User.objects.get(username="root")
    doc = parse(client_for(user).get("/works/new"))
    assert doc.xpath("//input[@name='pseuds'][@checked]/@value") == [str(user.pseuds.get().pk)]


def test_import_as_an_unknown_pseud_says_what_to_do(alice, tmp_path):
    (tmp_path / "work.html").write_text("<html><body><p>Text</p></body></html>")
    with pytest.raises(CommandError, match="pseuds/new") as error:
        call_command("import_works", str(tmp_path), "--as", "alice", "--pseud", "Ghost")
    assert 'alice has no pseud "Ghost"' in str(error.value)


# The data migration, run on accounts made before every way of making one gave a pseud.

migration = importlib.import_module(
    "quire.accounts.migrations.0005_default_pseud_for_every_account"
)


def test_the_migration_gives_pseudless_accounts_their_default_pseud(alice):
    bare = User.objects.create(username="bare", email="bare@example.org")
    with_other = User.objects.create(username="other", email="other@example.org")
    Pseud.objects.create(user=with_other, name="Side Name")
    named = User.objects.create(username="named", email="named@example.org")
    Pseud.objects.create(user=named, name="NAMED")
    migration.give_every_account_a_default_pseud(apps, None)
    assert default_pseuds(bare) == [("bare", True)]
    assert default_pseuds(with_other) == [("other", True), ("Side Name", False)]
    assert default_pseuds(named) == [("NAMED", True)]
    assert default_pseuds(alice) == [("alice", True)]  # untouched
    migration.give_every_account_a_default_pseud(apps, None)  # idempotent
    assert Pseud.objects.count() == 5


def test_posting_with_no_pseud_says_what_to_do(alice):
    response = client_for(alice).post("/works/new", {"title": "Nobody's"})
    assert response.status_code == 200
    assert b"Choose at least one of your pseuds" in response.content
