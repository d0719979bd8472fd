from django.contrib import admin

from .models import Cooperative


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "legal_form", "commune_code", "is_active")
    list_select_related = ("partner",)
    search_fields = ("partner__name", "slug")
