from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.my_tokens, name="list"),
    path("council/", token_views.council_tokens, name="council"),
    path("<int:pk>/revoke/", token_views.revoke, name="revoke"),
]
