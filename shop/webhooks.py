"""What every incoming provider webhook (payments, logistics) answers the same way."""

from django.http import JsonResponse

MAX_BODY_BYTES = 1024 * 1024  # far above any real notification; bounds hostile bodies


def answer(success: bool, status: int) -> JsonResponse:
    """`{"success": ...}`: what SePay documents, and enough for every other provider."""
    return JsonResponse({"success": success}, status=status)


def too_large(request, limit: int = MAX_BODY_BYTES) -> bool:
    """Refuse by the declared length before the body is read; a missing one counts as empty."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    return not length.isdigit() or int(length) > limit
