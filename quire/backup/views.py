from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from quire.accounts.queries import access_user

from .creator_zip import stream_works_zip, zip_file_name


@require_GET
def works_export(request: HttpRequest, login: str) -> StreamingHttpResponse:
    """/users/:login/works/export.zip: every work of the account, for its owner alone (anyone
    else, admins included, gets the 404 of a page that does not exist)."""
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    response = StreamingHttpResponse(stream_works_zip(owner), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{zip_file_name(owner)}"'
    response["Cache-Control"] = "private, no-store"
    return response
