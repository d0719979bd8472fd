from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import units


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def communes(request):
    """The communes of `?province=<code>` as [{"code", "name"}], for the address form."""
    province = request.GET.get("province", "")[:2]
    return JsonResponse(
        [{"code": unit.code, "name": unit.name} for unit in units.communes(province)], safe=False
    )
