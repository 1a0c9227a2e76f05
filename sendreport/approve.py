"""Sign-off before publication: who approved which build, in which role, and when.

``approval.json`` sits beside ``manifest.json`` in the build folder. It records the
SHA-256 of the manifest and of every output as they were at the first approval, and one
entry per sign-off (name, role, UTC time, optional note). The roles are the QA plan's
(docs/aqa/qa_plan.md): the analyst who ran the build, the analytical assurer who reviewed
it and the approver who agrees publication. A build changed after its first approval
cannot be approved again or published: rebuild it and start the sign-off afresh.

``approval.json`` is the one file a build folder may hold beyond its manifest's record
(:data:`EXTRA_FILES`): ``verify`` and the "up to date" check ignore it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sendreport.exceptions import InputFileError, NotApproved, ParameterError
from sendreport.manifest import MANIFEST, compare_hashes, read_manifest, sha256_file

APPROVAL = "approval.json"
EXTRA_FILES = frozenset({APPROVAL})
ROLES = ("analyst", "analytical assurer", "approver")
ROLE_ALIASES = {"assurer": "analytical assurer", "analytical-assurer": "analytical assurer"}
DEFAULT_REQUIRED = ("approver",)
KEPT_PREFIX = "inputs/"  # sendreport.build.KEPT_INPUTS
SCHEMA = 1


def parse_role(text: str) -> str:
    """One of :data:`ROLES` (``assurer`` is accepted for the analytical assurer)."""
    role = " ".join(text.strip().lower().replace("_", " ").split())
    role = ROLE_ALIASES.get(role, role)
    if role not in ROLES:
        raise ParameterError(
            f"unknown role {text!r}", parameter="--role", accepted=", ".join(ROLES)
        )
    return role


def parse_roles(text: str) -> tuple[str, ...]:
    """Comma-separated roles, each as :func:`parse_role` reads it."""
    return tuple(dict.fromkeys(parse_role(r) for r in text.split(",") if r.strip()))


def clean_text(text: str, what: str, limit: int = 200) -> str:
    """A name or note as plain, single-line text (control characters refused)."""
    value = " ".join(text.split())
    if not value or re.search(r"[\x00-\x1f\x7f]", text.replace("\n", " ").replace("\t", " ")):
        raise ParameterError(f"{what} must be plain text", parameter=what)
    if len(value) > limit:
        raise ParameterError(f"{what} is longer than {limit} characters", parameter=what)
    return value


def is_signed_off(name: str) -> bool:
    """Files a sign-off covers: all but the manifest (hashed on its own), approval.json and
    kept inputs (personal data that may stay behind when a build is copied for review;
    ``verify`` checks them)."""
    return name != MANIFEST and name not in EXTRA_FILES and not name.startswith(KEPT_PREFIX)


def build_hashes(folder: Path) -> tuple[str, dict[str, str]]:
    """SHA-256 of the manifest and of every file a sign-off covers."""
    outputs = {
        name: sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and is_signed_off(name := p.relative_to(folder).as_posix())
    }
    return sha256_file(folder / MANIFEST), outputs


def recorded_outputs(manifest: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in manifest.get("outputs", {}).items() if is_signed_off(k)}


def read_build(folder: Path) -> dict[str, Any]:
    manifest = read_manifest(Path(folder))
    if manifest is None:
        raise InputFileError(
            f"{folder} has no readable manifest.json",
            path=str(folder),
            hint="pass a build folder written by `sendreport build` (outputs/<la>/<period>)",
        )
    return manifest


def read_approval(folder: Path) -> dict[str, Any] | None:
    path = Path(folder) / APPROVAL
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotApproved(
            f"{path} is not readable JSON",
            hint="delete it and approve the build again",
        ) from None
    return data if isinstance(data, dict) else None


def check_build_unchanged(folder: Path, manifest: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The folder's hashes, after checking its files are those the manifest recorded."""
    manifest_sha, outputs = build_hashes(folder)
    problems = compare_hashes(recorded_outputs(manifest), outputs, "the build")
    if problems:
        raise NotApproved(
            f"{folder} differs from its manifest, so it cannot be approved",
            problems=problems,
            hint="rebuild it (`sendreport build --force`) and approve the new build",
        )
    return manifest_sha, outputs


def _write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def approve_build(
    folder: Path, *, by: str, role: str, note: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Record one sign-off of ``folder`` in its ``approval.json``; returns the record."""
    folder = Path(folder)
    manifest = read_build(folder)
    by, role = clean_text(by, "--by"), parse_role(role)
    note = clean_text(note, "--note", limit=2000) if note else None
    manifest_sha, outputs = check_build_unchanged(folder, manifest)
    record = read_approval(folder) or {
        "schema": SCHEMA,
        "build": {
            "la": manifest["parameters"]["la"],
            "period": manifest["parameters"]["period"],
            "build_key": manifest.get("build_key"),
        },
        "manifest_sha256": manifest_sha,
        "outputs": outputs,
        "approvals": [],
    }
    problems = compare_hashes(record.get("outputs", {}), outputs, "the first approval")
    if record.get("manifest_sha256") != manifest_sha:
        problems.insert(0, f"{MANIFEST}: changed since the first approval")
    if problems:
        raise NotApproved(
            f"{folder} changed after it was first approved", problems=problems, hint=REBUILD_HINT
        )
    other_role = [a["role"] for a in record["approvals"] if a["by"] == by and a["role"] != role]
    if other_role:
        raise ParameterError(
            f"{by} already signed this build off as {other_role[0]}; each role needs a "
            "different person (QA plan: the assurer is not involved in the build)",
            parameter="--by",
        )
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = {"by": by, "role": role, "at": stamp} | ({"note": note} if note else {})
    record["approvals"].append(entry)
    _write_json_atomic(folder / APPROVAL, record)
    return record


REBUILD_HINT = (
    "rebuild it (`sendreport build --force`), check the new build and approve it again; "
    "approval.json goes with the old build"
)


def approved_roles(record: dict[str, Any]) -> set[str]:
    return {a.get("role", "") for a in record.get("approvals", [])}


def required_roles(manifest: dict[str, Any], requested: Sequence[str]) -> tuple[str, ...]:
    """The roles a build needs: those asked for and those its council's profile requires
    (``[sign_off] required_roles`` in council.toml, recorded in the manifest)."""
    profile = (manifest.get("profile") or {}).get("sign_off_roles") or []
    return tuple(dict.fromkeys([*requested, *profile]))


def check_approved(folder: Path, required: Sequence[str] = DEFAULT_REQUIRED) -> dict[str, Any]:
    """The approval record of a build every ``required`` role approved and nobody changed
    since; else :class:`NotApproved` naming the missing roles or changed files."""
    folder = Path(folder)
    manifest = read_build(folder)
    required = required_roles(manifest, required)
    record = read_approval(folder)
    if record is None:
        raise NotApproved(
            f"{folder} has not been approved",
            problems=[f"needs sign-off by: {', '.join(required)}"],
            hint=f"sendreport approve {folder} --by NAME --role ROLE",
        )
    manifest_sha, outputs = build_hashes(folder)
    problems = compare_hashes(record.get("outputs", {}), outputs, "approval")
    if record.get("manifest_sha256") != manifest_sha:
        problems.insert(0, f"{MANIFEST}: changed since approval")
    problems += compare_hashes(recorded_outputs(manifest), outputs, "the build")
    if problems:
        raise NotApproved(
            f"{folder} changed after it was approved", problems=problems, hint=REBUILD_HINT
        )
    missing = [r for r in required if r not in approved_roles(record)]
    if missing:
        raise NotApproved(
            f"{folder} is not approved by every required role",
            problems=[f"no sign-off yet by the {r}" for r in missing],
            hint=f"sendreport approve {folder} --by NAME --role ROLE",
        )
    return record


def describe_approval(record: dict[str, Any]) -> Iterable[str]:
    for a in record.get("approvals", []):
        note = f" ({a['note']})" if a.get("note") else ""
        yield f"{a['at']}  {a['role']}: {a['by']}{note}"


__all__ = [
    "APPROVAL",
    "EXTRA_FILES",
    "ROLES",
    "approve_build",
    "check_approved",
    "parse_role",
    "parse_roles",
    "read_approval",
]
