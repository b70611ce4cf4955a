"""Pages and API list endpoints in-process (Django's test client, full middleware stack), each
against its floor view, with query counts at two scales."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from incident_console.accounts.models import User
from incident_console.guidance.models import Checklist

from .data import Dataset

URLCONF = "incident_console.bench.urls"


def first_checklist(dataset: Dataset) -> int:
    """The id of the large incident's first module checklist (200 actions at full scale)."""
    return int(
        Checklist.objects.filter(incident_id=dataset.big_incident_id)
        .order_by("module__title")
        .values_list("pk", flat=True)[0]
    )


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: Callable[[Dataset], str]
    floor: Callable[[Dataset], str]


ENDPOINTS = (
    Endpoint("dashboard /", lambda d: "/", lambda d: "/bench-floor/dashboard/"),
    Endpoint(
        "incident page",
        lambda d: f"/incidents/{d.big_incident_id}/",
        lambda d: f"/bench-floor/incidents/{d.big_incident_id}/",
    ),
    Endpoint(
        "checklist page (first 50 actions)",
        lambda d: f"/incidents/{d.big_incident_id}/checklists/{first_checklist(d)}/",
        lambda d: f"/bench-floor/incidents/{d.big_incident_id}/checklists/{first_checklist(d)}/",
    ),
    Endpoint("API incidents", lambda d: "/api/v1/incidents/", lambda d: "/bench-floor/api/incidents/"),
    Endpoint(
        "API checklist items",
        lambda d: f"/api/v1/incidents/{d.big_incident_id}/checklist-items/",
        lambda d: f"/bench-floor/api/incidents/{d.big_incident_id}/checklist-items/",
    ),
    Endpoint(
        "API timeline",
        lambda d: f"/api/v1/incidents/{d.big_incident_id}/timeline/",
        lambda d: f"/bench-floor/api/incidents/{d.big_incident_id}/timeline/",
    ),
    Endpoint("API my shifts", lambda d: "/api/v1/me/shifts/", lambda d: "/bench-floor/api/me/shifts/"),
)


@dataclass
class Timing:
    p50: float
    p95: float
    queries: int


@dataclass
class PageResult:
    name: str
    page: Timing
    floor: Timing
    small: Timing  # the same page at the smaller scale

    @property
    def queries_small(self) -> int:
        return self.small.queries

    @property
    def ratio(self) -> float:
        return self.page.p95 / self.floor.p95


def signed_in(user: User) -> Client:
    """A client signed in as ``user`` with a session that has passed the second factor."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Bench authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise AssertionError(f"{path} answered {response.status_code}")
    return len(captured.captured_queries)


def _timing(samples: list[float], count: int) -> Timing:
    cuts = statistics.quantiles(samples, n=20, method="inclusive") if len(samples) > 1 else samples * 19
    return Timing(statistics.median(samples), cuts[18], count)


def timed(client: Client, *paths: str, requests: int, warm_up: int) -> list[Timing]:
    """Each path ``requests`` times after ``warm_up``, taking turns, so that whatever else the
    machine is doing falls on all of them alike."""
    counts = [queries(client, path) for path in paths]
    for _ in range(warm_up):
        for path in paths:
            client.get(path)
    samples: list[list[float]] = [[] for _ in paths]
    gc.collect()
    gc.freeze()  # what is alive now stays out of the collections below, which stay cheap
    try:
        for _ in range(requests):
            for path, taken in zip(paths, samples, strict=True):
                # Each request starts with no garbage left by the one before: a collection set
                # off by the page's garbage would otherwise land, at random, in the floor's time.
                gc.collect()
                began = time.perf_counter()
                client.get(path)
                taken.append((time.perf_counter() - began) * 1000)
    finally:
        gc.unfreeze()
    return [_timing(taken, count) for taken, count in zip(samples, counts, strict=True)]


def run(full: Dataset, small: Dataset, *, requests: int = 100, warm_up: int = 5) -> list[PageResult]:
    results = []
    with override_settings(ROOT_URLCONF=URLCONF):
        big = signed_in(full.responder)
        little = signed_in(small.responder)
        for endpoint in ENDPOINTS:
            page, floor = timed(
                big, endpoint.path(full), endpoint.floor(full), requests=requests, warm_up=warm_up
            )
            (smaller,) = timed(little, endpoint.path(small), requests=requests, warm_up=warm_up)
            results.append(PageResult(endpoint.name, page, floor, smaller))
    return results
