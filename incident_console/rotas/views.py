"""Rota pages and the calendar feed. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents.access import AccessDenied
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors
from incident_console.lib.time import LONDON, london, now

from . import access, calendar, reports, selectors, services
from .forms import YEARS, ImportForm, OverrideForm, PeriodForm, RotaForm, SwapForm, parse_local
from .models import PersonRotaSettings, Rota, Swap
from .resolver import Shift

COVERAGE_DAYS = 7
GAP_DAYS = 14
MY_SHIFTS_DAYS = 28


def get_rota(request: HttpRequest, pk: int, action: str = "view_rota") -> Rota:
    rota = selectors.rota_for_page(request.user, pk)
    if rota is None:
        raise Http404
    access.require(request.user, action, rota)
    return rota


def _week_start(value: str | None) -> date:
    today = london(now()).date()
    if value:
        try:
            chosen = date.fromisoformat(value)
        except ValueError:
            return today
        if chosen.year in YEARS:
            return chosen
    return today


@login_required
def rota_list(request: HttpRequest) -> HttpResponse:
    if not access.may_see_rotas(request.user):
        raise AccessDenied("view_rota")
    return render(
        request,
        "rotas/list.html",
        {
            "rotas": list(selectors.council_rotas(request.user)),
            "may_create": access.may_create_rotas(request.user),
            "council_settings": selectors.council_settings(access.admin_council_ids(request.user)),
            "nav": "rotas",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rota_create(request: HttpRequest) -> HttpResponse:
    councils = list(Council.objects.filter(pk__in=access.admin_council_ids(request.user)))
    if not councils:
        raise AccessDenied("create_rota")
    form = RotaForm(request.POST or None, councils=councils, initial={"anchor_date": london(now()).date()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rota = services.create_rota(
                council=data["council"],
                actor=signed_in_user(request),
                name=data["name"],
                cover=data["cover"],
                anchor_date=data["anchor_date"],
                patterns=data["shifts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rota %(name)s created. Now add its members.") % {"name": rota.name})
            return HttpResponseRedirect(reverse("rotas:import", args=[rota.pk]))
    return render(request, "rotas/create.html", {"form": form, "nav": "rotas"})


@login_required
def rota_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_rota(request, pk)
    first_day = _week_start(request.GET.get("week"))
    user = signed_in_user(request)
    members = list(rota.members.all())
    context: dict[str, Any] = {
        "rota": rota,
        "rows": selectors.coverage(rota, first_day, COVERAGE_DAYS),
        "gaps": selectors.gaps_for(rota, days=GAP_DAYS),
        "gap_days": GAP_DAYS,
        "first_day": first_day,
        "last_day": first_day + timedelta(days=COVERAGE_DAYS - 1),
        "previous_week": first_day - timedelta(days=COVERAGE_DAYS),
        "next_week": first_day + timedelta(days=COVERAGE_DAYS),
        "rotation": [m for m in members if not m.is_backup],
        "backups": [m for m in members if m.is_backup],
        "shift_times": sorted({(p.start_time, p.end_time) for p in rota.patterns.all()}),
        "warnings": selectors.rota_warnings(rota),
        "swaps": [s for s in selectors.swaps_for(user) if s.rota_id == rota.pk],
        "may_manage": access.can(user, "manage_rota", rota),
        "may_swap": any(m.user_id == user.pk and not m.is_backup for m in members),
        "nav": "rotas",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "rotas/detail.html#coverage", context)
    return render(request, "rotas/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def override_create(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_rota(request, pk, "manage_rota")
    initial: dict[str, str] = {}
    for key in ("start", "end"):
        with contextlib.suppress(ValueError):
            initial[key] = f"{london(parse_local(request.GET.get(key, ''))):%Y-%m-%d %H:%M}"
    form = OverrideForm(request.POST or None, council=rota.council, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_override(
                rota=rota,
                actor=signed_in_user(request),
                user=data["user"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s now covers %(rota)s.") % {"name": data["user"], "rota": rota.name}
            )
            return HttpResponseRedirect(
                reverse("rotas:detail", args=[rota.pk]) + f"?week={london(data['start']).date():%Y-%m-%d}"
            )
    return render(request, "rotas/override.html", {"form": form, "rota": rota, "nav": "rotas"})


@login_required
@require_http_methods(["GET", "POST"])
def members_import(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_rota(request, pk, "manage_rota")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[services.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.import_members(
                rota=rota, actor=signed_in_user(request), text=form.cleaned_data["file"]
            )
        except services.ImportRejected as rejected:
            problems = rejected.problems
            form.add_error("file", _("Nothing was imported: correct the rows below and try again."))
        else:
            messages.success(request, _("%(count)s people imported.") % {"count": count})
            return HttpResponseRedirect(reverse("rotas:detail", args=[rota.pk]))
    return render(
        request, "rotas/import.html", {"form": form, "rota": rota, "problems": problems, "nav": "rotas"}
    )


@login_required
@require_GET
def hours(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_rota(request, pk, "manage_rota")
    today = london(now()).date()
    default = {"start": (today.replace(day=1)).isoformat(), "end": (today + timedelta(days=1)).isoformat()}
    form = PeriodForm(request.GET if "start" in request.GET else default)
    report = None
    if form.is_valid():
        start = selectors.london_midnight(form.cleaned_data["start"])
        end = selectors.london_midnight(form.cleaned_data["end"])
        report = selectors.hours_for_rota(rota, start, end)
        if request.GET.get("format") == "csv":
            response = HttpResponse(reports.to_csv(report, rota.name), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="rota-{rota.pk}-hours.csv"'
            return response
    return render(request, "rotas/hours.html", {"form": form, "rota": rota, "report": report, "nav": "rotas"})


def _shift_choices(
    listed: list[Shift], people: dict[int, Any], *, mine: int | None, other_than: int | None
) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", "")]
    for shift in listed:
        if shift.source == "override" or shift.person is None:
            continue
        if mine is not None and shift.person != mine:
            continue
        if other_than is not None and shift.person == other_than:
            continue
        label = f"{london(shift.start):%a %d %b %H:%M}–{london(shift.end):%H:%M} {shift.label}"  # noqa: RUF001
        if mine is None:
            label += f" ({people[shift.person].display_name})"
            choices.append((f"{shift.start.isoformat()}|{shift.person}", label))
        else:
            choices.append((shift.start.isoformat(), label))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def swap_new(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_rota(request, pk)
    user = signed_in_user(request)
    people = selectors.people_of(rota)
    if not any(m.user_id == user.pk and not m.is_backup for m in rota.members.all()):
        raise AccessDenied("swap")
    listed = [
        s
        for s in selectors.shifts_for(rota, now(), now() + timedelta(days=MY_SHIFTS_DAYS))
        if s.start >= now()
    ]
    form = SwapForm(
        request.POST or None,
        mine=_shift_choices(listed, people, mine=user.pk, other_than=None),
        theirs=_shift_choices(listed, people, mine=None, other_than=user.pk),
    )
    if request.method == "POST" and form.is_valid():
        their_start, their_id = form.cleaned_data["theirs"].split("|")
        try:
            services.request_swap(
                rota=rota,
                actor=user,
                my_shift_start=datetime.fromisoformat(form.cleaned_data["mine"]),
                other=people[int(their_id)],
                other_shift_start=datetime.fromisoformat(their_start),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Swap requested. It changes nothing until they agree."))
            return HttpResponseRedirect(reverse("rotas:mine"))
    return render(request, "rotas/swap.html", {"form": form, "rota": rota, "nav": "rotas"})


def _swap_for(request: HttpRequest, pk: int) -> Swap:
    """Only the two people in a swap act on it: 404 outside the rota's council, 403 inside."""
    user = signed_in_user(request)
    swap = get_object_or_404(Swap.objects.select_related("rota", "other", "requested_by"), pk=pk)
    if swap.rota.council_id not in access.member_council_ids(user):
        raise Http404
    if user.pk not in (swap.requested_by_id, swap.other_id):
        raise AccessDenied("swap")
    return swap


@login_required
@require_POST
def swap_agree(request: HttpRequest, pk: int) -> HttpResponse:
    swap = _swap_for(request, pk)
    if swap.other_id != signed_in_user(request).pk:
        raise AccessDenied("agree_swap")
    try:
        services.agree_swap(swap=swap, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Swap agreed."))
    return HttpResponseRedirect(reverse("rotas:mine"))


@login_required
@require_POST
def swap_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    swap = _swap_for(request, pk)
    try:
        services.withdraw_swap(swap=swap, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Swap withdrawn."))
    return HttpResponseRedirect(reverse("rotas:mine"))


def _my_shifts_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = signed_in_user(request)
    start = now()
    settings_row = PersonRotaSettings.objects.filter(user=user).first()
    return {
        "shifts": selectors.my_shifts(user, start, start + timedelta(days=MY_SHIFTS_DAYS)),
        "days": MY_SHIFTS_DAYS,
        "swaps": list(selectors.swaps_for(user)),
        "warnings": selectors.warnings_for_person(user, start=start),
        "has_feed": bool(settings_row and settings_row.calendar_key_hash),
        "feed_created_at": settings_row.calendar_key_created_at if settings_row else None,
        "opted_out": bool(settings_row and settings_row.opted_out_of_48_hours),
        "may_see_rotas": access.may_see_rotas(user),
        "nav": "mine",
        **extra,
    }


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    return render(request, "rotas/mine.html", _my_shifts_context(request))


@login_required
@require_POST
def calendar_key(request: HttpRequest) -> HttpResponse:
    key = services.issue_calendar_key(user=signed_in_user(request))
    url = request.build_absolute_uri(reverse("rotas:calendar_feed", args=[key]))
    return render(request, "rotas/mine.html", _my_shifts_context(request, new_feed_url=url))


@login_required
@require_POST
def working_time_opt_out(request: HttpRequest) -> HttpResponse:
    opted_out = request.POST.get("opted_out") == "yes"
    services.set_opt_out(user=signed_in_user(request), opted_out=opted_out)
    messages.success(
        request,
        _("Recorded: you have opted out of the 48-hour week.")
        if opted_out
        else _("Recorded: the 48-hour week limit applies to you."),
    )
    return HttpResponseRedirect(reverse("rotas:mine"))


@login_required
@require_POST
def council_settings(request: HttpRequest, council_id: int) -> HttpResponse:
    if council_id not in access.member_council_ids(request.user):
        raise Http404
    if council_id not in access.admin_council_ids(request.user):
        raise AccessDenied("rota_settings")
    council = get_object_or_404(Council, pk=council_id)
    value = request.POST.get("standby_is_working_time") == "yes"
    services.set_standby_is_working_time(council=council, actor=signed_in_user(request), value=value)
    messages.success(request, _("Rota settings saved for %(council)s.") % {"council": council.name})
    return HttpResponseRedirect(reverse("rotas:list"))


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_calendar_key(user=signed_in_user(request))
    messages.success(request, _("Your calendar address no longer works. Remove the calendar from your apps."))
    return HttpResponseRedirect(reverse("rotas:mine"))


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No session: the secret address is the credential. Only the person's own shifts."""
    user = selectors.user_for_calendar_key(services.hash_key(token))
    if user is None:
        raise Http404
    start = now()
    shifts = selectors.my_shifts(user, start - timedelta(days=30), start + timedelta(days=180))
    host = request.get_host().split(":")[0]
    body = calendar.feed(shifts, stamp=start.astimezone(LONDON), host=host)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
