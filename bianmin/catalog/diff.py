"""What changed between two guide versions, in words a clerk reads at a glance.

Scalar elements compare value to value (承诺时限：10 → 7 个工作日); long texts show the inserted and
deleted characters; materials, steps, fees and questions are matched by name (question), so a
material that moved is not reported as removed and added.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .content import GUIDE_LISTS, GUIDE_SCALARS
from .models import GuideVersion, Material
from .rules import LABELS

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
LONG_TEXT = {"conditions", "description", "answer", "acceptance_standard", "notes", "basis"}
LIST_KEY = {
    "materials": "name",
    "steps": "name",
    "special_steps": "name",
    "fees": "name",
    "faq": "question",
}
SECTION_LABELS = {
    "materials": LABELS["materials"],
    "steps": LABELS["steps"],
    "special_steps": LABELS["special_steps"],
    "fees": LABELS["fees"],
    "faq": LABELS["faq"],
}
CHOICE_LABELS = {
    "necessity": dict(Material.Necessity.choices),
    "form": dict(Material.Form.choices),
    "source_channel": dict(Material.SourceChannel.choices),
    "result_type": dict(GuideVersion.ResultType.choices),
}
DAY_FIELDS = {"statutory_days", "promised_days", "days"}


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|insert|delete, text)


@dataclass
class EntryChange:
    kind: str  # added | removed | changed
    name: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class SectionChange:
    key: str
    label: str
    entries: list[EntryChange]
    reordered: bool = False


@dataclass
class GuideDiff:
    old_number: int | None
    new_number: int | None
    fields: list[FieldChange]
    sections: list[SectionChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.sections

    @property
    def count(self) -> int:
        return len(self.fields) + sum(len(s.entries) + int(s.reordered) for s in self.sections)


def show(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in CHOICE_LABELS:
        return str(CHOICE_LABELS[key].get(value, value))
    if key in DAY_FIELDS:
        return _("%(n)s working days") % {"n": value}
    return str(value)


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level changes of a Chinese text (words are characters)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", old[a1:a2]))
        else:
            if a2 > a1:
                out.append(("delete", old[a1:a2]))
            if b2 > b1:
                out.append(("insert", new[b1:b2]))
    return out


def _field_changes(old: dict, new: dict, keys) -> list[FieldChange]:
    out = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        change = FieldChange(key, str(LABELS.get(key, key)), show(key, a), show(key, b))
        if key in LONG_TEXT and isinstance(a, str) and isinstance(b, str):
            change.segments = text_segments(a, b)
        out.append(change)
    return out


def diff_guides(old: dict, new: dict, *, old_number=None, new_number=None) -> GuideDiff:
    fields = _field_changes(old, new, [k for k in GUIDE_SCALARS if k != "result_sample"])
    if old.get("result_sample") != new.get("result_sample"):
        fields.append(
            FieldChange("result_sample", str(LABELS["result_sample"]), _("file"), _("new file"))
        )
    sections = []
    for key, columns in GUIDE_LISTS.items():
        name_key = LIST_KEY[key]
        a_rows, b_rows = old.get(key, []), new.get(key, [])
        a_by = {r[name_key]: r for r in a_rows}
        b_by = {r[name_key]: r for r in b_rows}
        entries = []
        for r in b_rows:
            if r[name_key] not in a_by:
                entries.append(EntryChange(ADDED, r[name_key]))
        for r in a_rows:
            if r[name_key] not in b_by:
                entries.append(EntryChange(REMOVED, r[name_key]))
        for r in b_rows:
            before = a_by.get(r[name_key])
            if before is not None and before != r:
                keys = [k for k in columns if k != name_key]
                changes = _field_changes(before, r, keys)
                if changes:
                    entries.append(EntryChange(CHANGED, r[name_key], changes))
        common_a = [r[name_key] for r in a_rows if r[name_key] in b_by]
        common_b = [r[name_key] for r in b_rows if r[name_key] in a_by]
        reordered = common_a != common_b
        if entries or reordered:
            sections.append(SectionChange(key, str(SECTION_LABELS[key]), entries, reordered))
    return GuideDiff(old_number, new_number, fields, sections)


def diff_versions(old: GuideVersion, new: GuideVersion) -> GuideDiff:
    from .content import guide_content

    return diff_guides(
        guide_content(old), guide_content(new), old_number=old.number, new_number=new.number
    )


def as_dict(diff: GuideDiff) -> dict:
    """The diff for the API."""

    def f(c: FieldChange) -> dict:
        return {
            "key": c.key,
            "label": c.label,
            "old": c.old,
            "new": c.new,
            "segments": [{"op": op, "text": t} for op, t in c.segments],
        }

    return {
        "old_version": diff.old_number,
        "new_version": diff.new_number,
        "changes": diff.count,
        "fields": [f(c) for c in diff.fields],
        "sections": [
            {
                "key": s.key,
                "label": s.label,
                "reordered": s.reordered,
                "entries": [
                    {"kind": e.kind, "name": e.name, "fields": [f(c) for c in e.fields]}
                    for e in s.entries
                ],
            }
            for s in diff.sections
        ],
    }
