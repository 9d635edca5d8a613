"""/works/import: upload downloaded works, then follow each file's result."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import submitted

from .actions import do_create_batch, do_run_batch
from .forms import ImportForm
from .queries import access_batch, batch_files
from .tasks import import_batch

# Up to this many files are imported while the uploader waits; more go to the background.
IMPORT_NOW_MAX = 5


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    data = submitted(request)
    form = ImportForm(data, request.FILES if data is not None else None, user=request.user)
    if data is not None and form.is_valid():
        uploads = form.uploads()
        batch = do_create_batch(
            request.user,
            pseud=form.cleaned_data["pseud"],
            restricted=form.cleaned_data["restricted"],
            files=uploads,
        )
        if len(uploads) <= IMPORT_NOW_MAX:
            do_run_batch(batch)
        else:
            transaction.on_commit(lambda: import_batch.enqueue(batch.pk))
        return redirect("imports:import-show", batch_id=batch.pk)
    return render(request, "imports/import_new.html", {"form": form})


@login_required
def import_show(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch(request.user, batch_id)
    files = list(batch_files(batch))
    done = batch.total - batch.waiting
    counts = {
        status: sum(f.status == status for f in files)
        for status in ("imported", "skipped", "failed")
    }
    return render(
        request,
        "imports/import_show.html",
        {"batch": batch, "files": files, "done": done, "counts": counts},
    )
