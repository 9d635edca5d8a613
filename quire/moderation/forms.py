from django import forms

REASON_MAX = 2_000


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX,
        strip=True,
        error_messages={"required": "Please say why: the creator is told."},
    )


class NoteForm(forms.Form):
    note = forms.CharField(max_length=REASON_MAX, required=False, strip=True)


class SpamCommentsForm(forms.Form):
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    note = forms.CharField(max_length=REASON_MAX, required=False, strip=True)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 - for mypy
        field.choices = [(pk, pk) for pk in choices]
        field.error_messages["required"] = "Select the comments to delete."
