"""Errors that reach users as messages, never tracebacks.

One base class, :class:`SendReportError`, with specific subclasses that carry the
evidence (file, column, rule, sample rows, notebook cell). The CLI prints ``str(err)``
and exits with ``err.exit_code``:

- 0 success
- 1 verification mismatch, notebook failure or internal failure
- 2 invalid data or parameters
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from enum import StrEnum
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class Reason(StrEnum):
    """Why a command failed: the ``reason`` of every error and of its ``--json`` record."""

    ERROR = "error"
    INVALID_PARAMETER = "invalid_parameter"
    BAD_INPUT_FILE = "bad_input_file"
    BAD_PROFILE = "bad_profile"
    VALIDATION_FAILED = "validation_failed"
    RELEASE_NOT_RECOGNISED = "release_not_recognised"
    NOTEBOOK_FAILED = "notebook_failed"
    NOTEBOOK_TIMEOUT = "notebook_timeout"
    KERNEL_DIED = "kernel_died"
    NOTEBOOK_INCOMPLETE = "notebook_incomplete"
    VERIFICATION_MISMATCH = "verification_mismatch"
    NOT_APPROVED = "not_approved"
    OUTPUT_FOLDER = "output_folder"


class SendReportError(Exception):
    """Base for every error sendreport reports to a user."""

    exit_code: int = EXIT_FAILURE
    reason: str = Reason.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text

    def to_json(self) -> dict[str, Any]:
        """The error as data for ``--json``: status, exit code, reason, message and the
        evidence it carries (problems, file, cell, differences…)."""
        evidence = {k: v for k, v in vars(self).items() if k != "message" and v is not None}
        record = {
            "status": "error",
            "exit_code": self.exit_code,
            "reason": str(self.reason),
            "message": str(self),
            **evidence,
        }
        return json.loads(json.dumps(record, default=_plain))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle rebuilds an exception as ``cls(*args)``, which fails for subclasses whose
        # evidence is keyword-only; rebuild from the instance state instead, so an error
        # raised in a worker process reaches the user intact (never BrokenProcessPool).
        return (_restore_error, (type(self), self.args, self.__dict__.copy()))


def _plain(value: Any) -> Any:
    """JSON for evidence: dataclasses (problem records) as dicts, anything else as text."""
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else str(value)


def _restore_error(
    cls: type[SendReportError], args: tuple[Any, ...], state: dict[str, Any]
) -> SendReportError:
    err = cls.__new__(cls, *args)
    err.args = args
    err.__dict__.update(state)
    return err


class ParameterError(SendReportError):
    """A command-line or notebook parameter that is malformed or out of range."""

    exit_code = EXIT_INVALID
    reason = Reason.INVALID_PARAMETER

    def __init__(
        self,
        message: str,
        *,
        accepted: str | None = None,
        parameter: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.accepted = accepted
        self.parameter = parameter

    def __str__(self) -> str:
        text = self.message
        if self.accepted:
            text += f"\n  accepted: {self.accepted}"
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text


class InputFileError(SendReportError):
    """An input file that cannot be read as the data contract requires.

    Carries the file, the column and rule broken (when there is one) and sample rows,
    so a message can say exactly what and where.
    """

    exit_code = EXIT_INVALID
    reason = Reason.BAD_INPUT_FILE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        dataset: str | None = None,
        column: str | None = None,
        rule: str | None = None,
        samples: Sequence[Any] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.dataset = dataset
        self.column = column
        self.rule = rule
        self.samples = list(samples)

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"file {self.path}" if self.path else "",
                f"column {self.column!r}" if self.column else "",
                f"rule {self.rule}" if self.rule else "",
            )
            if part
        )
        text = f"{self.message}" + (f"\n  where: {where}" if where else "")
        if self.samples:
            text += "\n  sample rows:"
            for sample in self.samples[:5]:
                text += f"\n    {sample}"
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text


class ProfileError(InputFileError):
    """A council profile (``council.toml``) key that is unknown or has the wrong type."""

    reason = Reason.BAD_PROFILE

    def __init__(
        self, message: str, *, path: str | None = None, key: str = "", hint: str | None = None
    ) -> None:
        super().__init__(message, path=path, dataset="council.toml", hint=hint)
        self.key = key

    def __str__(self) -> str:
        where = f"\n  where: file {self.path}" if self.path else ""
        where += f", key {self.key!r}" if self.key and self.path else ""
        return f"{self.message}{where}" + (f"\n  how to fix: {self.hint}" if self.hint else "")


@dataclass
class ProblemRecord:
    """One broken rule found by validation (Great Expectations or a file check)."""

    dataset: str
    column: str
    expectation: str
    failing_count: int
    samples: list[Any] = field(default_factory=list)
    message: str = ""
    severity: str = "error"  # "error" stops the build; "warning" is reported only
    path: str = ""  # the file the rows came from, when known

    def render(self) -> str:
        # File-level problems (missing file, bad encoding) have no column and no row count.
        where = f"column {self.column!r} " if self.column else ""
        source = f" ({self.path})" if self.path else ""
        head = f"- {self.dataset}{source}: {where}broke {self.expectation}"
        if self.failing_count:
            head += f" ({self.failing_count} row{'s' if self.failing_count != 1 else ''})"
        if self.message:
            head += f"\n    {self.message}"
        for sample in self.samples[:5]:
            head += f"\n    e.g. {sample}"
        return head


class ValidationFailed(SendReportError):
    """Data broke the contract; carries every problem found, not just the first."""

    exit_code = EXIT_INVALID
    reason = Reason.VALIDATION_FAILED

    def __init__(
        self,
        problems: Sequence[ProblemRecord],
        *,
        results_dir: str | None = None,
        hint: str | None = None,
    ) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(
            f"validation failed: {len(errors)} problem{'s' if len(errors) != 1 else ''} "
            "in the input data",
            hint=hint,
        )
        self.problems = list(problems)
        self.results_dir = results_dir

    def __str__(self) -> str:
        lines = [self.message]
        lines += [p.render() for p in self.problems]
        if self.results_dir:
            lines.append(f"  full results and Data Docs: {self.results_dir}")
        lines.append("  the last good build, if any, is unchanged")
        if self.hint:
            lines.append(f"  how to fix: {self.hint}")
        return "\n".join(lines)


class ReleaseNotRecognised(SendReportError):
    """A DfE release file whose columns match no schema this package knows."""

    exit_code = EXIT_INVALID
    reason = Reason.RELEASE_NOT_RECOGNISED

    def __init__(self, path: str, expected: Sequence[str], found: Sequence[str]) -> None:
        super().__init__(
            f"{path}: not a DfE release file sendreport recognises\n"
            f"  expected columns including: {', '.join(expected)}\n"
            f"  found: {', '.join(found[:30])}{' …' if len(found) > 30 else ''}",
            hint="point --dfe at the data/ folder of an 'Education, health and care plans' "
            "release downloaded from explore-education-statistics",
        )
        self.path = path
        self.expected = list(expected)
        self.found = list(found)


class NotebookError(SendReportError):
    """A report notebook failed while executing."""

    exit_code = EXIT_FAILURE
    reason = Reason.NOTEBOOK_FAILED

    def __init__(
        self,
        notebook: str,
        *,
        cell_index: int | None,
        source_line: str | None,
        ename: str,
        evalue: str,
        kept_at: str | None = None,
        cell_id: str | None = None,
    ) -> None:
        super().__init__(f"notebook {notebook} failed: {ename}: {evalue}")
        self.notebook = notebook
        self.cell_index = cell_index
        self.cell_id = cell_id
        self.source_line = source_line
        self.ename = ename
        self.evalue = evalue
        self.kept_at = kept_at

    def __reduce__(self):  # keyword-only evidence survives pickling (a pool worker's error)
        fields = (self.cell_index, self.source_line, self.ename, self.evalue, self.kept_at)
        return (_rebuild_notebook_error, (type(self), self.notebook, *fields, self.cell_id))

    def __str__(self) -> str:
        if self.cell_index is None:
            where = "an unknown cell"
        else:
            where = f"cell {self.cell_index}" + (f" (id {self.cell_id!r})" if self.cell_id else "")
            where += f" of notebooks/{self.notebook}.ipynb"
        text = f"notebook {self.notebook} failed in {where}: {self.ename}: {self.evalue}"
        if self.source_line:
            text += f"\n  failing line: {self.source_line.strip()}"
        if self.kept_at:
            text += f"\n  partly executed notebook kept at: {self.kept_at}"
        return text


def _rebuild_notebook_error(
    cls: type[NotebookError],
    notebook: str,
    cell_index: int | None,
    source_line: str | None,
    ename: str,
    evalue: str,
    kept_at: str | None,
    cell_id: str | None,
) -> NotebookError:
    return cls(
        notebook,
        cell_index=cell_index,
        source_line=source_line,
        ename=ename,
        evalue=evalue,
        kept_at=kept_at,
        cell_id=cell_id,
    )


class NotebookTimeout(NotebookError):
    """A cell ran longer than ``--timeout`` allows."""

    reason = Reason.NOTEBOOK_TIMEOUT


class KernelDied(NotebookError):
    """The kernel process died (out of memory, ``os._exit``, a crash in native code)."""

    reason = Reason.KERNEL_DIED


class VerificationMismatch(SendReportError):
    """A re-executed build did not reproduce the recorded figures or files."""

    exit_code = EXIT_FAILURE
    reason = Reason.VERIFICATION_MISMATCH

    def __init__(self, differences: Sequence[str], *, inputs_changed: Sequence[str] = ()) -> None:
        lines = [f"verification failed: {len(differences)} difference(s)"]
        lines += [f"- {d}" for d in differences]
        if inputs_changed:
            lines.append("recorded inputs have changed since the build:")
            lines += [f"- {p}" for p in inputs_changed]
        super().__init__("\n".join(lines))
        self.differences = list(differences)
        self.inputs_changed = list(inputs_changed)


class NotApproved(SendReportError):
    """A build that may not be published: unapproved by a required role, or changed since
    its approval (each problem names the role or file)."""

    exit_code = EXIT_INVALID
    reason = Reason.NOT_APPROVED

    def __init__(
        self, message: str, *, problems: Sequence[str] = (), hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = list(problems)

    def __reduce__(self):  # keyword-only evidence survives pickling
        return (_rebuild_not_approved, (self.message, self.problems, self.hint))

    def __str__(self) -> str:
        lines = [self.message, *(f"- {p}" for p in self.problems)]
        if self.hint:
            lines.append(f"  how to fix: {self.hint}")
        return "\n".join(lines)


def _rebuild_not_approved(message: str, problems: list[str], hint: str | None) -> NotApproved:
    return NotApproved(message, problems=problems, hint=hint)


class NotebookIncomplete(NotebookError):
    """A notebook stopped before its last cell without raising (``sys.exit()``, ``exit()``)."""

    reason = Reason.NOTEBOOK_INCOMPLETE


class OutputFolderError(SendReportError):
    """The output folder cannot be written (read-only, full, not a folder) or would
    overwrite files the user did not ask to replace."""

    exit_code = EXIT_INVALID
    reason = Reason.OUTPUT_FOLDER

    def __init__(self, message: str, *, path: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path
