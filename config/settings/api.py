"""Django REST Framework and the OpenAPI schema."""

from .env import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that a bad or missing credential answers 401 with WWW-Authenticate.
        "security.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.HuajieAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # Throttling (429 with Retry-After): per signed-in user, per address when anonymous, and sign-in
    # attempts on the token endpoint on their own, tighter scale (the lockout counts failures apart).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
        "sign_in": env("API_THROTTLE_SIGN_IN", default="20/minute"),
    },
}

# A CSRF refusal under /api/ is JSON like every other API error (the site's pages keep Django's).
CSRF_FAILURE_VIEW = "core.api.exceptions.csrf_failure"

SPECTACULAR_SETTINGS = {
    "TITLE": "Huajie API",
    "DESCRIPTION": "Case management for administrative dispute resolution centres (行政争议化解中心).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its Swagger UI page for signed-in users only (session or token): anonymous, the
    # schema answers 401 and the page sends to the login page (core.api.docs).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI is served from the drf-spectacular-sidecar wheel: no CDN on a government intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind"/"status": give each enum its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "core.models.Organisation.Kind",
        "CaseKindEnum": "disputes.choices.CaseKind",
        "PartyKindEnum": "disputes.choices.PartyKind",
        "DisputeStatusEnum": "disputes.choices.Status",
        "PartyRoleEnum": "disputes.choices.PartyRole",
        "DocumentStatusEnum": "documents.models.DocumentStatus",
        # The same choices appear in a record's output and in an action's input (``target`` of
        # ``transfer``, ``transfer_target`` of the resolution): one component each.
        "TransferTargetEnum": "disputes.choices.TransferTarget",
        "ClosingReasonEnum": "disputes.choices.ClosingReason",
        "DecisionTypeEnum": "disputes.choices.DecisionType",
        "LitigationOutcomeEnum": "disputes.choices.LitigationOutcome",
        "DeadlineStatusEnum": "deadlines.models.Status",
        "RemedyStatusEnum": "deadlines.models.RemedyStatus",
        "ProblemEnum": "deadlines.models.Problem",
        "HearingStatusEnum": "hearings.models.Hearing.Status",
        "HeadAnswerEnum": "hearings.models.HeadAnswer.Answer",
        "AttendedEnum": "hearings.models.Attendance.Attended",
        "HearingKindEnum": "hearings.models.HearingKind",
        "ParticipantRoleEnum": "hearings.models.Participant.Role",
        "AidApplicationStatusEnum": "legal_aid.models.Application.Status",
        "AidEndReasonEnum": "legal_aid.models.Application.EndReason",
        "AidScreeningResultEnum": "legal_aid.models.Result",
        "Art31MatterEnum": "legal_aid.models.Art31Matter",
        "Art32SituationEnum": "legal_aid.models.Art32Situation",
        "Art42GroupEnum": "legal_aid.models.Art42Group",
        # The case's matter category keeps its name beside legal aid's ``matter`` (Art. 31).
        "MatterEnum": "disputes.choices.MatterCategory",
        "VisitStatusEnum": "followups.models.Visit.Status",
        "VisitMethodEnum": "followups.models.Visit.Method",
    },
}
