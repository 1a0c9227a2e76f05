"""The papermill engine sendreport runs notebooks with, and its kernel manager.

Two departures from papermill's defaults, both for speed and hygiene: the output notebook
is written once, when execution ends (stock papermill rewrites it, charts included, before
and after every cell), and the kernel talks over Unix sockets in a private folder (no TCP
ports open on the machine).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from sendreport import forkserver
from sendreport.pool import die_with_parent

ENGINE_NAME = "sendreport"


class FinalSaveManager(NotebookExecutionManager):
    """Saves only from ``notebook_complete``, which papermill calls in a ``finally`` block,
    so a failing, timed-out or dead-kernel run still keeps its partial notebook."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._saving = False
        super().__init__(*args, **kwargs)

    def save(self, **kwargs: Any) -> None:
        if self._saving:
            super().save(**kwargs)

    def notebook_complete(self, **kwargs: Any) -> None:
        self._saving = True
        super().notebook_complete(**kwargs)


class FinalSaveEngine(NBClientEngine):
    """NBClientEngine with :class:`FinalSaveManager`."""

    @classmethod
    def execute_notebook(
        cls,
        nb: Any,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = False,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: Any,
    ) -> Any:
        manager = FinalSaveManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


def register_engine() -> str:
    """Register the engine with papermill (idempotent) and return its name."""
    papermill_engines.register(ENGINE_NAME, FinalSaveEngine)
    return ENGINE_NAME


def launch_forked(manager: AsyncKernelManager, kernel_cmd: list[str], kw: dict[str, Any]) -> bool:
    """Have the fork server (if this process has one) start the kernel; False when the
    caller must launch it the usual way (no server, an unusual command, a server gone)."""
    socket_path = forkserver.current_socket()
    args = forkserver.kernel_args(kernel_cmd)
    if socket_path is None or args is None or manager.provisioner is None:
        return False
    cwd = str(kw.get("cwd") or os.getcwd())
    env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
    try:
        pid = forkserver.request_kernel(socket_path, forkserver.KernelRequest(args, env, cwd))
    except OSError:
        return False
    provisioner = manager.provisioner
    provisioner.process = forkserver.ForkedKernel(pid)  # type: ignore[attr-defined]
    provisioner.pid = provisioner.pgid = pid  # type: ignore[attr-defined]
    provisioner.cwd = cwd  # type: ignore[attr-defined]
    manager._reconcile_connection_info(provisioner.connection_info)
    return True


def ipc_kernel_manager() -> tuple[type, Path]:
    """A kernel manager class bound to a fresh private socket folder, and that folder
    (the caller removes it when the kernel has gone)."""
    socket_dir = Path(tempfile.mkdtemp(prefix="sendreport-kernel-"))

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_dir / "k"))
            super().__init__(*args, **kwargs)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            if launch_forked(self, kernel_cmd, kw):
                return
            # The kernel ends with the process that started it: a killed build leaves none.
            kw.setdefault("preexec_fn", functools.partial(die_with_parent, os.getpid()))
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return IPCKernelManager, socket_dir
