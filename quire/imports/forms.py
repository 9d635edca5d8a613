from typing import cast

from django import forms

from quire.accounts.models import Pseud
from quire.works.queries import own_pseuds

# Django refuses more than DATA_UPLOAD_MAX_NUMBER_FILES (100) files in one request anyway.
MAX_FILES = 100
MAX_FILE_MB = 10
MAX_TOTAL_MB = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        single = super().clean
        return [single(item, initial) for item in items]


class ImportForm(forms.Form):
    # The form's metaclass moves declared fields into base_fields, so this field does not
    # shadow BaseForm.files (the uploads) at run time; mypy sees only the class attribute.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Downloaded works",
        help_text=(
            f"AO3 downloads: HTML, EPUB (AO3's or FanFicFare's) or the text form. Up to "
            f"{MAX_FILES} files, {MAX_FILE_MB} MB each."
        ),
        widget=MultipleFileInput(attrs={"accept": ".html,.htm,.epub,.txt"}),
    )
    pseud = forms.ModelChoiceField(queryset=Pseud.objects.none(), empty_label=None, label="Post as")
    restricted = forms.BooleanField(
        required=False, label="Only show these works to registered users"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pseud"]).queryset = own_pseuds(user)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Choose at most {MAX_FILES} files at a time.")
        errors = [
            f"{upload.name} is larger than {MAX_FILE_MB} MB."
            for upload in files
            if upload.size > MAX_FILE_MB * 1024 * 1024
        ]
        if errors:
            raise forms.ValidationError(errors)
        if sum(upload.size for upload in files) > MAX_TOTAL_MB * 1024 * 1024:
            raise forms.ValidationError(f"The files add up to more than {MAX_TOTAL_MB} MB.")
        return files

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
