from django.conf import settings
from django.http import HttpRequest


def console(request: HttpRequest) -> dict[str, object]:
    from incident_console.incidents.access import council_names

    user = getattr(request, "user", None)
    names = council_names(user) if user is not None else []
    return {"service_name": settings.CONSOLE_SERVICE_NAME, "council_name": ", ".join(names)}
