"""/works/import: the upload form and the batch page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quire.imports.models import ImportBatch, ImportFile
from quire.imports.testing import WorkSpec, build_html
from quire.testing import parse, text_of
from quire.works.models import Work

URL = "/works/import"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_guests_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_the_form(client, alice):
    client.force_login(alice)
    doc = parse(client.get(URL))
    form = doc.get_element_by_id("work-import")
    assert form.get("enctype") == "multipart/form-data"
    assert form.xpath(".//input[@type='file'][@name='files'][@multiple]")


def test_a_few_files_are_imported_at_once_with_a_result_each(client, alice, sample):
    client.force_login(alice)
    pseud = alice.pseuds.get(is_default=True)
    response = client.post(
        URL,
        {
            "files": [
                upload("one.html", sample("single-chapter.html")),
                upload("junk.txt", b"nothing to see"),
                upload("one-again.txt", sample("single-chapter.txt")),
            ],
            "pseud": pseud.pk,
        },
        follow=True,
    )
    doc = parse(response)
    rows = [
        [text_of(cell) for cell in row]
        for row in doc.xpath("//table[contains(@class,'import')]/tbody/tr")
    ]
    assert rows[0] == ["one.html", "Imported", "The Ferry of Market"]
    assert rows[1][:2] == ["junk.txt", "Not imported"]
    assert rows[1][2].startswith("It is not an AO3 download Quire can read")
    assert rows[2] == [
        "one-again.txt",
        "Already imported",
        "Already imported from https://archiveofourown.org/works/101001 as work "
        f"{Work.objects.get().pk}",
    ]
    assert "Imported 1, skipped 1 already imported, 1 not imported." in text_of(
        doc.xpath("//div[contains(@class,'flash')]")[0]
    )
    assert Work.objects.count() == 1
    assert ImportFile.objects.filter(data=b"").count() == 3  # uploads are not kept


def test_a_big_batch_goes_to_the_background_task(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    files = [
        upload(f"w{n}.html", build_html(WorkSpec(title=f"Work {n}", work_id=n)).encode())
        for n in range(7)
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, {"files": files, "pseud": alice.pseuds.get().pk})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/works/import/{batch.pk}"
    page = parse(client.get(response["Location"]))
    assert page.xpath("//progress[@value='0'][@max='7']")
    assert page.xpath("//meta[@http-equiv='refresh']")
    for callback in callbacks:
        callback()  # the task runs (immediate backend in tests)
    page = parse(client.get(response["Location"]))
    assert not page.xpath("//progress")
    assert Work.objects.count() == 7
    assert "Imported 7" in text_of(page.xpath("//div[contains(@class,'flash')]")[0])


def test_no_file_or_too_big_a_file_is_a_clear_error(client, alice, settings):
    from quire.imports import forms

    client.force_login(alice)
    response = client.post(URL, {"pseud": alice.pseuds.get().pk})
    assert "This field is required." in response.content.decode()
    big = upload("big.html", b"x" * (forms.MAX_FILE_MB * 1024 * 1024 + 1))
    response = client.post(URL, {"files": [big], "pseud": alice.pseuds.get().pk})
    assert f"big.html is larger than {forms.MAX_FILE_MB} MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_another_users_batch_is_missing(client, alice, bob, sample):
    client.force_login(alice)
    client.post(
        URL,
        {
            "files": [upload("a.html", sample("single-chapter.html"))],
            "pseud": alice.pseuds.get().pk,
        },
    )
    batch = ImportBatch.objects.get()
    client.force_login(bob)
    assert client.get(f"/works/import/{batch.pk}").status_code == 404


def test_one_cannot_import_as_someone_elses_pseud(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "files": [upload("a.html", build_html(WorkSpec()).encode())],
            "pseud": bob.pseuds.get().pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Work.objects.exists()


def test_the_batch_page_has_a_fixed_query_budget(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    for count in (1, 4):
        files = [
            upload(
                f"w{n}.html",
                build_html(WorkSpec(title=f"W{count}-{n}", work_id=count * 10 + n)).encode(),
            )
            for n in range(count)
        ]
        response = client.post(URL, {"files": files, "pseud": alice.pseuds.get().pk})
        with django_assert_max_num_queries(8):
            client.get(response["Location"])


def test_the_dashboard_links_the_import_form_for_its_owner_alone(client, alice, bob):
    client.force_login(alice)
    assert parse(client.get("/users/alice")).xpath("//a[text()='Import Works']/@href") == [
        reverse("imports:import-new")
    ]
    assert parse(client.get("/users/bob")).xpath("//a[text()='Import Works']") == []
