from django.contrib import admin

from .actions import do_index_tag_words
from .audience import refresh_tag_audience
from .models import Tag
from .names import tag_key


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger", "unwrangleable"]
    list_filter = ["type", "canonical", "unwrangleable"]
    search_fields = ["name"]
    raw_id_fields = ["merger"]
    exclude = ["name_key"]
    # Derived (audience.py): shown here, never typed, or saving the form would clear them.
    readonly_fields = ["shown_to_guests", "shown_to_users"]

    def save_model(self, request, obj, form, change):
        obj.name_key = tag_key(obj.name)
        super().save_model(request, obj, form, change)
        # A new or renamed tag needs its autocomplete words.
        do_index_tag_words([obj])
        # Its canonical box may have changed, and with it who may see the tag.
        refresh_tag_audience([obj.pk])
