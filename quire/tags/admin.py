from django.contrib import admin

from .models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger", "unwrangleable"]
    list_filter = ["type", "canonical", "unwrangleable"]
    search_fields = ["name"]
    raw_id_fields = ["merger"]
