from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, object]:
    """Values every page layout needs (large-text mode)."""
    return {"large_text": request.COOKIES.get("zw_large_text") == "1"}
