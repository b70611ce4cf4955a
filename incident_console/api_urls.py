"""The REST API under /api/v1/."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from incident_console.accounts import api as accounts_api
from incident_console.assessments import api as assessments_api
from incident_console.broadcasts import api as broadcasts_api
from incident_console.closure import api as closure_api
from incident_console.command import api as command_api
from incident_console.contacts import api as contacts_api
from incident_console.continuity import api as continuity_api
from incident_console.guidance import api as guidance_api
from incident_console.incidents import api as incidents_api
from incident_console.lessons import api as lessons_api
from incident_console.lib.api import not_found
from incident_console.payments import api as payments_api
from incident_console.priority_cases import api as priority_api
from incident_console.recovery import api as recovery_api
from incident_console.reports import api as reports_api
from incident_console.rotas import api as rotas_api
from incident_console.safeguarding import api as safeguarding_api

router = DefaultRouter()
router.register("incidents", incidents_api.IncidentViewSet, basename="incident")
router.register("modules", guidance_api.ModuleViewSet, basename="module")
router.register("checklist-items", guidance_api.ChecklistItemViewSet, basename="checklist-item")
router.register("me/tokens", accounts_api.MyTokenViewSet, basename="my-token")
router.register("rotas", rotas_api.RotaViewSet, basename="rota")
router.register("swaps", rotas_api.SwapViewSet, basename="swap")


urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("me/shifts/", rotas_api.MyShiftsView.as_view(), name="my-shifts"),
    path("contacts/", contacts_api.ContactList.as_view(), name="contacts"),
    path("contacts/<int:pk>/", contacts_api.ContactDetail.as_view(), name="contact"),
    path(
        "incidents/<int:pk>/checklist-items/",
        guidance_api.IncidentChecklistItemList.as_view(),
        name="incident-checklist-items",
    ),
    path(
        "incidents/<int:pk>/checklists/",
        guidance_api.IncidentChecklistList.as_view(),
        name="incident-checklists",
    ),
    path(
        "incidents/<int:pk>/assignments/", command_api.AssignmentList.as_view(), name="incident-assignments"
    ),
    path("incidents/<int:pk>/handovers/", command_api.HandoverList.as_view(), name="incident-handovers"),
    path(
        "incidents/<int:pk>/handovers/<int:handover_id>/acknowledge/",
        command_api.HandoverAcknowledge.as_view(),
        name="incident-handover-acknowledge",
    ),
    path("incidents/<int:pk>/decisions/", command_api.DecisionList.as_view(), name="incident-decisions"),
    path(
        "incidents/<int:pk>/decisions/<int:decision_id>/",
        command_api.DecisionDetail.as_view(),
        name="incident-decision",
    ),
    path("incidents/<int:pk>/risks/", command_api.RiskList.as_view(), name="incident-risks"),
    path("incidents/<int:pk>/risks/<int:risk_id>/", command_api.RiskDetail.as_view(), name="incident-risk"),
    path(
        "incidents/<int:pk>/battle-rhythm/", command_api.RhythmList.as_view(), name="incident-battle-rhythm"
    ),
    path(
        "incidents/<int:pk>/broadcasts/", broadcasts_api.BroadcastList.as_view(), name="incident-broadcasts"
    ),
    path(
        "incidents/<int:pk>/broadcasts/<int:broadcast_id>/",
        broadcasts_api.BroadcastDetail.as_view(),
        name="incident-broadcast",
    ),
    path("incidents/<int:pk>/archives/", closure_api.ArchiveList.as_view(), name="incident-archives"),
    path("archives/<int:job_id>/", closure_api.ArchiveDetail.as_view(), name="archive-detail"),
    path("archives/<int:job_id>/download/", closure_api.ArchiveDownload.as_view(), name="archive-download"),
    path("incidents/<int:pk>/purge/", closure_api.Purge.as_view(), name="incident-purge"),
    path("incidents/<int:pk>/reset/", closure_api.Reset.as_view(), name="incident-reset"),
    path("purge-records/", closure_api.PurgeRecordList.as_view(), name="purge-records"),
    path("incidents/<int:pk>/lessons/", lessons_api.LessonList.as_view(), name="incident-lessons"),
    path("lessons/<int:pk>/", lessons_api.LessonDetail.as_view(), name="lesson"),
    path(
        "incidents/<int:pk>/recovery-handovers/",
        lessons_api.RecoveryHandoverList.as_view(),
        name="incident-recovery-handovers",
    ),
    path(
        "recovery-handovers/<int:pk>/acknowledge/",
        lessons_api.RecoveryHandoverAcknowledge.as_view(),
        name="recovery-handover-acknowledge",
    ),
    path("incidents/<int:pk>/payments/", payments_api.PaymentList.as_view(), name="incident-payments"),
    path("payments/<int:pk>/", payments_api.PaymentDetail.as_view(), name="payment"),
    path("payments/<int:pk>/authorise/", payments_api.PaymentAuthorise.as_view(), name="payment-authorise"),
    path("payments/<int:pk>/reject/", payments_api.PaymentReject.as_view(), name="payment-reject"),
    path("payments/<int:pk>/paid/", payments_api.PaymentPaid.as_view(), name="payment-paid"),
    path("payments/<int:pk>/reconcile/", payments_api.PaymentReconcile.as_view(), name="payment-reconcile"),
    path(
        "incidents/<int:pk>/bank-detail-changes/",
        payments_api.BankChangeList.as_view(),
        name="incident-bank-detail-changes",
    ),
    path("bank-detail-changes/<int:pk>/", payments_api.BankChangeDetail.as_view(), name="bank-detail-change"),
    path(
        "bank-detail-changes/<int:pk>/call-back/",
        payments_api.BankChangeCallBack.as_view(),
        name="bank-detail-change-call-back",
    ),
    path(
        "bank-detail-changes/<int:pk>/confirm/",
        payments_api.BankChangeConfirm.as_view(),
        name="bank-detail-change-confirm",
    ),
    path(
        "bank-detail-changes/<int:pk>/reject/",
        payments_api.BankChangeReject.as_view(),
        name="bank-detail-change-reject",
    ),
    path("incidents/<int:pk>/systems/", recovery_api.SystemList.as_view(), name="incident-systems"),
    path(
        "incidents/<int:pk>/systems/<int:system_id>/",
        recovery_api.SystemDetail.as_view(),
        name="incident-system",
    ),
    path(
        "incidents/<int:pk>/external-notifications/",
        recovery_api.ExternalNotificationList.as_view(),
        name="incident-external-notifications",
    ),
    path("incidents/<int:pk>/deadlines/", safeguarding_api.DeadlineList.as_view(), name="incident-deadlines"),
    path("deadlines/<int:pk>/", safeguarding_api.DeadlineDetail.as_view(), name="deadline"),
    path(
        "deadlines/<int:pk>/complete/", safeguarding_api.DeadlineComplete.as_view(), name="deadline-complete"
    ),
    path("safeguarding/timings/", safeguarding_api.TimingRuleList.as_view(), name="safeguarding-timings"),
    path(
        "incidents/<int:pk>/priority-cases/",
        priority_api.PriorityCaseList.as_view(),
        name="incident-priority-cases",
    ),
    path("priority-cases/<int:pk>/", priority_api.PriorityCaseDetail.as_view(), name="priority-case"),
    path(
        "priority-cases/<int:pk>/contacts/",
        priority_api.CaseContactCreate.as_view(),
        name="priority-case-contacts",
    ),
    path(
        "incidents/<int:pk>/assessments/",
        assessments_api.AssessmentList.as_view(),
        name="incident-assessments",
    ),
    path("assessments/<int:assessment_id>/", assessments_api.AssessmentDetail.as_view(), name="assessment"),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessments_api.AssessmentSubmit.as_view(),
        name="assessment-submit",
    ),
    path(
        "assessments/<int:assessment_id>/sign-off/",
        assessments_api.AssessmentSignOff.as_view(),
        name="assessment-sign-off",
    ),
    path(
        "assessments/<int:assessment_id>/return/",
        assessments_api.AssessmentReturn.as_view(),
        name="assessment-return",
    ),
    path("incidents/<int:pk>/sitreps/", reports_api.SitrepList.as_view(), name="incident-sitreps"),
    path("sitreps/<int:sitrep_id>/", reports_api.SitrepDetail.as_view(), name="sitrep"),
    path("sitreps/<int:sitrep_id>/approve/", reports_api.SitrepApprove.as_view(), name="sitrep-approve"),
    path("sitreps/<int:sitrep_id>/issue/", reports_api.SitrepIssue.as_view(), name="sitrep-issue"),
    path("sitreps/<int:sitrep_id>/pdf/", reports_api.SitrepPdf.as_view(), name="sitrep-pdf"),
    path("incidents/<int:pk>/comms/", reports_api.CommsList.as_view(), name="incident-comms"),
    path("incidents/<int:pk>/grab-pack/", reports_api.GrabPack.as_view(), name="incident-grab-pack"),
    path(
        "incidents/<int:pk>/grab-pack/restricted/",
        reports_api.RestrictedGrabPack.as_view(),
        name="incident-grab-pack-restricted",
    ),
    path(
        "incidents/<int:pk>/manual-records/",
        continuity_api.ManualRecordList.as_view(),
        name="incident-manual-records",
    ),
    path(
        "manual-records/<int:record_id>/", continuity_api.ManualRecordDetail.as_view(), name="manual-record"
    ),
    path(
        "manual-records/<int:record_id>/enter/",
        continuity_api.ManualRecordEnter.as_view(),
        name="manual-record-enter",
    ),
    path(
        "manual-records/<int:record_id>/verify/",
        continuity_api.ManualRecordVerify.as_view(),
        name="manual-record-verify",
    ),
    path(
        "manual-records/<int:record_id>/return/",
        continuity_api.ManualRecordReturn.as_view(),
        name="manual-record-return",
    ),
    path("", include(router.urls)),
    # Anything else under the API is a JSON 404, never the HTML page meant for browsers.
    re_path(r"^", not_found),
]
