"""The signed-in person behind a request, typed as our User."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
