"""The report contract both ends obey: indicators, stages, disaster types, codes and rules.

Qt-free and FastAPI-free: the app, the sync client and the city server all import it.
"""

from sync.contract.disasters import DISASTER_TYPE_BY_KEY, DISASTER_TYPES, DisasterType
from sync.contract.divisions import (
    Division,
    DivisionLevel,
    DivisionTable,
    default_divisions,
    is_valid_code,
    is_within,
)
from sync.contract.indicators import (
    INDICATOR_BY_FIELD,
    INDICATORS,
    SECTION_LABELS,
    Indicator,
    Section,
    indicators_by_section,
)
from sync.contract.report import (
    HOUSE_DAMAGE_KINDS,
    LIMITS,
    PROTOCOL_VERSION,
    ContentTooLargeError,
    ContractError,
    HouseholdLedgerEntry,
    LedgerEntry,
    PhotoRef,
    ReportContent,
    canonical_json,
    content_hash,
    format_time,
    parse_time,
    size_error,
    utc_now,
)
from sync.contract.rules import (
    Issue,
    Severity,
    ValidationContext,
    blocking_issues,
    validate,
)
from sync.contract.stages import INITIAL_NARRATIVE_MAX_CHARS, ReportStage

__all__ = [
    "DISASTER_TYPES",
    "DISASTER_TYPE_BY_KEY",
    "HOUSE_DAMAGE_KINDS",
    "INDICATORS",
    "INDICATOR_BY_FIELD",
    "INITIAL_NARRATIVE_MAX_CHARS",
    "LIMITS",
    "PROTOCOL_VERSION",
    "SECTION_LABELS",
    "ContentTooLargeError",
    "ContractError",
    "DisasterType",
    "Division",
    "DivisionLevel",
    "DivisionTable",
    "HouseholdLedgerEntry",
    "Indicator",
    "Issue",
    "LedgerEntry",
    "PhotoRef",
    "ReportContent",
    "ReportStage",
    "Section",
    "Severity",
    "ValidationContext",
    "blocking_issues",
    "canonical_json",
    "content_hash",
    "default_divisions",
    "format_time",
    "indicators_by_section",
    "is_valid_code",
    "is_within",
    "parse_time",
    "size_error",
    "utc_now",
    "validate",
]
