"""Conflicts: two versions of one report made from the same parent, and their resolution.

The server keeps both versions and flags the later one; the pull records the pair
(``sync_conflicts``).  Resolving picks, field by field, which side's value wins and submits
the result as a new version whose parent is the server's current version; it is queued and
pushed like any other version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from informant_app.core.store.conflicts import (
    BlockedResolutionError,
    open_conflict_sides,
    resolve_conflict,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Conflict
from sync.contract import ContractError, Issue
from sync.contract.report import CONTENT_KEYS

#: Content keys that are not the informant's choice (identity, time of filing).
NOT_CHOSEN = frozenset({"report_uuid", "submitted_at", "figures"})


class ResolutionRefusedError(Exception):
    """The chosen combination fails the rules (e.g. totals that no longer add up).

    Attributes:
        issues: the blocking issues.
        zh: the message in Chinese.
        en: the message in English.
    """

    def __init__(self, issues: list[Issue] | None = None, zh: str = "", en: str = "") -> None:
        self.issues = list(issues or [])
        self.zh = zh or "所选组合未通过审核规则：" + "；".join(i.zh for i in self.issues)
        self.en = en or "the chosen values fail the rules: " + "; ".join(i.en for i in self.issues)
        super().__init__(self.en)

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


def differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the content keys whose values differ; figures as ``figures.<name>``."""
    keys = [k for k in sorted(CONTENT_KEYS - NOT_CHOSEN) if a.get(k) != b.get(k)]
    fa, fb = a.get("figures") or {}, b.get("figures") or {}
    keys += [f"figures.{n}" for n in sorted(set(fa) | set(fb)) if fa.get(n) != fb.get(n)]
    return tuple(keys)


def open_conflicts(store: ReportStore) -> list[Conflict]:
    """Return the conflicts waiting to be resolved on this device, oldest first."""
    return [
        Conflict(
            report_uuid=report_uuid,
            ours=ours,
            theirs=theirs,
            differing_fields=differing_fields(ours.content, theirs.content),
        )
        for report_uuid, ours, theirs in open_conflict_sides(store)
    ]


def merge(
    base: Mapping[str, Any], choices: Mapping[str, str], sources: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Return ``base`` with each chosen field taken from the chosen version's content."""
    merged = json.loads(json.dumps(base))
    figures = dict(merged.get("figures") or {})
    for field, version_uuid in choices.items():
        source = sources[version_uuid]
        if field.startswith("figures."):
            name = field.removeprefix("figures.")
            value = (source.get("figures") or {}).get(name)
            if value is None:
                figures.pop(name, None)
            else:
                figures[name] = value
        elif field in CONTENT_KEYS and field not in NOT_CHOSEN:
            merged[field] = source.get(field)
        else:
            raise ValueError(f"not a field one can choose: {field}")
    merged["figures"] = figures
    return dict(merged)


def resolve(store: ReportStore, report_uuid: str, choices: Mapping[str, str]) -> str:
    """Resolve the report's open conflicts with ``choices``; return the new version's id.

    Fields not in ``choices`` keep the server's current value.

    Raises:
        KeyError: the report has no open conflict here.
        ValueError: a choice names an unknown field or version, or the report has a draft
            or an unsent version on this device.
        ResolutionRefusedError: the combination fails the rules.
    """

    def combine(sources: Mapping[str, Mapping[str, Any]], current: str) -> dict[str, Any]:
        return merge(sources[current], choices, sources)

    try:
        return resolve_conflict(store, report_uuid, set(choices.values()), combine)
    except BlockedResolutionError as exc:
        raise ResolutionRefusedError(exc.issues) from exc
    except ContractError as exc:
        raise ResolutionRefusedError(zh=exc.zh, en=exc.en) from exc
