"""Chapter kernels forked from one process that has already imported what every chapter imports.

A chapter's kernel spends about 0.8 s of CPU before its first line of prose: the interpreter and
ipykernel start, then the first cell imports pandas, altair and the report's chart and data
modules. The book build runs seven chapters, so :mod:`nhsreport.publish.book.execute` starts one
*kernel server* for the run: a process, with the build's environment, that imports those modules
(:data:`PRELOAD`) once and then forks a kernel for each chapter. A forked kernel starts with the
modules in memory and nothing else: no chapter has run in the server, and every chapter still has
a process of its own, which ends with the chapter.

The server is not a kernel: it starts no thread and no ZeroMQ context and draws no chart (what
does not survive a fork), and it checks before its first fork that it is alone in its process.
It keeps the standard output and error of the build, as a kernel started by ``jupyter_client``
does. It is the parent of the kernels and waits for each one, and the build waits for the server
when the run ends (:meth:`KernelServer.stop`), so that the kernels' CPU time is counted among the
build's children.

:func:`kernel_manager_class` is what the build passes to nbclient: a ``jupyter_client`` kernel
manager whose provisioner asks the server for the kernel, where it can (POSIX ``fork``, and
``NHSREPORT_FORK_KERNELS`` not ``0``), and otherwise the ordinary kernel manager. A kernel that
the server cannot give as the build asks it (another interpreter or kernel, or another
environment than the server's) is started the ordinary way.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import uuid

#: imported by the server before it forks: what every chapter's first cell
#: (:func:`nhsreport.publish.book.chapter.start`) imports, the chapter module first (it keeps
#: altair's JSON schema checks from compiling the web-address grammars), and what ipykernel
#: imports as it starts (its debugger, IPython's shell, history and completion)
PRELOAD = (
    "nhsreport.publish.book.chapter",
    "numpy",
    "pandas",
    "altair",
    "nhsreport.data",
    "nhsreport.publish.components.charts",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "faulthandler",
    "psutil",
    "runpy",
    "sqlite3",
    "tornado.platform.asyncio",
    "tornado.queues",
)

#: modules of :data:`PRELOAD` whose notices an ordinary kernel prints where no one reads them: it
#: imports them once it has taken over its output, and before any cell runs (debugpy's notice
#: that the interpreter's frozen modules may hide breakpoints)
QUIET = ("ipykernel.debugger",)

#: the variable that turns forked kernels off (``0``)
SWITCH = "NHSREPORT_FORK_KERNELS"

#: variables a kernel's environment may differ in from the server's: jupyter_client sets the
#: parent's process id, which for a forked kernel is the server's
OWN_VARIABLES = ("JPY_PARENT_PID",)


def available() -> bool:
    """Whether chapters' kernels are forked: the platform can fork, and :data:`SWITCH` is not ``0``."""
    return hasattr(os, "fork") and os.environ.get(SWITCH, "1") != "0"


def _shared(env: dict[str, str]) -> dict[str, str]:
    """``env`` without :data:`OWN_VARIABLES`."""
    return {key: value for key, value in env.items() if key not in OWN_VARIABLES}


# ---------------------------------------------------------------------------------------------
# the server process
# ---------------------------------------------------------------------------------------------


def _threads() -> int:
    """The threads of this process (1 where the system does not say)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _fork_kernel(inherited: tuple) -> int:
    """Fork a kernel; in the server return its process id once it leads a session of its own (so
    that a signal to its process group reaches it); in the kernel close what it ``inherited`` of
    the server (its files and descriptors), undo the server's signal handling, and return 0."""
    started_r, started_w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(started_w)
        os.read(started_r, 1)  # the kernel closes its end once it has its own session
        os.close(started_r)
        return pid
    os.setsid()
    os.close(started_r)
    os.close(started_w)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for kept in inherited:
        if isinstance(kept, int):
            os.close(kept)
        else:
            kept.close()
    return 0


def _report(replies, message: dict) -> None:
    replies.write(json.dumps(message) + "\n")
    replies.flush()


def _reap(replies, kernels: set[int], block: bool = False) -> None:
    """Wait for the kernels that have ended (``block``: for every kernel) and report their exit codes."""
    while True:
        try:
            pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        kernels.discard(pid)
        _report(replies, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _end(replies, kernels: set[int]) -> None:
    """The build has closed its requests: kill any kernel still running, wait for them all."""
    for pid in kernels:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    _reap(replies, kernels, block=True)


def preload(replies) -> bool:
    """Import :data:`PRELOAD`; report the server ready, or why it cannot serve: it runs threads, or
    an import printed something, which an ordinary kernel would print in a chapter's first cell
    (the server's output is not the chapter's), except the modules of :data:`QUIET`."""
    import importlib
    import io

    for name in PRELOAD:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            importlib.import_module(name)
        if printed.getvalue() and name not in QUIET:
            _report(replies, {"error": f"importing {name} printed {printed.getvalue()[:500]!r}"})
            return False
    if _threads() != 1:
        _report(replies, {"error": f"the kernel server runs {_threads()} threads after its imports"})
        return False
    _report(replies, {"ready": os.getpid()})
    return True


def serve(requests_fd: int, replies_fd: int) -> dict | None:
    """Run the server: import :data:`PRELOAD`, then fork a kernel for each request read from
    ``requests_fd`` (one JSON object a line: ``argv``, ``env``, ``cwd``) and report on ``replies_fd``
    each kernel's process id and, when it ends, its exit code. Returns ``None`` in the server when
    asked to stop (``{"stop": true}``: a process forked from the build may hold a copy of the
    requests' pipe, so its end is not the only sign) or when the requests end, and the request in a
    forked kernel, which then runs it (:func:`run_kernel`)."""
    replies = os.fdopen(replies_fd, "w", encoding="utf-8")
    if not preload(replies):
        return None
    wakeup_r, wakeup_w = os.pipe()
    os.set_blocking(wakeup_w, False)
    signal.set_wakeup_fd(wakeup_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD wakes the loop
    kernels: set[int] = set()
    pending = b""
    while True:
        ready, _, _ = select.select([requests_fd, wakeup_r], [], [])
        if wakeup_r in ready:
            os.read(wakeup_r, 512)
        _reap(replies, kernels)
        if requests_fd not in ready:
            continue
        chunk = os.read(requests_fd, 1 << 16)
        if not chunk:
            _end(replies, kernels)
            return None
        *lines, pending = (pending + chunk).split(b"\n")
        for request in map(json.loads, lines):
            if request.get("stop"):
                _end(replies, kernels)
                return None
            pid = _fork_kernel((replies, requests_fd, wakeup_r, wakeup_w))
            if not pid:
                return request
            kernels.add(pid)
            _report(replies, {"started": pid})


def run_kernel(request: dict) -> None:
    """Run ipykernel as ``python -m ipykernel_launcher`` would, in a forked kernel: the environment
    and working directory the build asked for, the command line, and the server as the parent
    whose end ends the kernel."""
    import importlib.util

    from ipykernel.kernelapp import IPKernelApp

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
    # jupyter_client passes the parent's id in the environment, which ipykernel reads on import
    IPKernelApp.launch_instance(argv=[*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"])


def main(argv: list[str]) -> None:
    """The server's command: ``main([requests_fd, replies_fd])``. The path is as a kernel's:
    the command line leaves the working directory out of it (see :func:`start_command`)."""
    request = serve(int(argv[0]), int(argv[1]))
    if request is not None:
        run_kernel(request)


def start_command(requests_fd: int, replies_fd: int) -> list[str]:
    """The command that starts the server: like ``python -m ipykernel_launcher``, which removes the
    working directory from the path, the server's path has no working directory in it."""
    code = f"import sys; del sys.path[0]; from {__name__} import main; main([{requests_fd}, {replies_fd}])"
    return [sys.executable, "-c", code]


# ---------------------------------------------------------------------------------------------
# the build's side
# ---------------------------------------------------------------------------------------------


class KernelServerError(RuntimeError):
    """The kernel server could not start or give a kernel."""


class KernelServer:
    """The kernel server of one run, started with the current environment: :meth:`start_kernel` gives
    a kernel forked from it, :meth:`stop` ends it and waits for it."""

    def __init__(self):
        self.env = dict(os.environ)
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                start_command(requests_r, replies_w),
                env=self.env,
                stdin=subprocess.DEVNULL,
                pass_fds=(requests_r, replies_w),
                start_new_session=True,  # a Ctrl-C at the terminal reaches the build, which ends the server
            )
        finally:
            os.close(requests_r)
            os.close(replies_w)
        self._requests = os.fdopen(requests_w, "w", encoding="utf-8")
        self._replies = os.fdopen(replies_r, "r", encoding="utf-8")
        self._starting = threading.Lock()  # one kernel starts at a time: its reply is the next "started"
        self._started: queue.Queue = queue.Queue()
        self._ended = threading.Condition()
        self._codes: dict[int, int] = {}
        self._closed = False
        self.pid: int | None = None
        self.failure: str | None = None
        self._reader = threading.Thread(target=self._read, name="kernel server replies", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._replies:
            reply = json.loads(line)
            if "exited" in reply:
                with self._ended:
                    self._codes[reply["exited"]] = reply["code"]
                    self._ended.notify_all()
            else:
                self._started.put(reply)
        with self._ended:
            self._closed = True
            self._ended.notify_all()
        self._started.put({"error": "the kernel server ended"})

    def serves(self, env: dict[str, str]) -> bool:
        """Whether a kernel with environment ``env`` can be forked from the server: the same as the
        server's, but for the variables the kernel sets itself (:data:`OWN_VARIABLES`)."""
        return _shared(env) == _shared(self.env)

    def _reply(self) -> dict:
        """The server's next reply to a request; a failure, once the server has reported one, is final."""
        if self.failure is None:
            reply = self._started.get()
            self.failure = reply.get("error")
        if self.failure is not None:
            raise KernelServerError(self.failure)
        return reply

    def start_kernel(self, argv: list[str], cwd: str) -> ForkedKernel:
        """A kernel forked from the server, run as ``python -m ipykernel_launcher *argv`` in ``cwd``."""
        with self._starting:
            if self.pid is None:
                self.pid = self._reply()["ready"]  # the first kernel waits for the server's imports
            try:
                self._requests.write(json.dumps({"argv": argv, "env": self.env, "cwd": cwd}) + "\n")
                self._requests.flush()
            except OSError as err:
                self.failure = f"the kernel server ended ({err})"
            return ForkedKernel(self, self._reply()["started"])

    def returncode(self, pid: int, timeout: float | None = 0) -> int | None:
        """Kernel ``pid``'s exit code once it has ended (255 if the server ended first), waiting up to
        ``timeout`` seconds (``None``: as long as it takes); ``None`` while it runs."""
        with self._ended:
            self._ended.wait_for(lambda: pid in self._codes or self._closed, timeout)
            return self._codes.get(pid, 255 if self._closed else None)

    def stop(self, timeout: float = 30) -> None:
        """End the server (it kills any kernel still running) and wait for it."""
        with contextlib.suppress(OSError):
            self._requests.write(json.dumps({"stop": True}) + "\n")
            self._requests.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join()
        self._replies.close()


class ForkedKernel:
    """A kernel forked by the server, with what ``jupyter_client``'s local provisioner asks of its
    ``Popen``: ``pid``, :meth:`poll`, :meth:`wait`, :meth:`send_signal`, :meth:`terminate`, :meth:`kill`."""

    stdin = stdout = stderr = None  # the kernel keeps the server's

    def __init__(self, server: KernelServer, pid: int):
        self.server = server
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.returncode(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.server.returncode(self.pid, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# jupyter_client's side
# ---------------------------------------------------------------------------------------------


def _launcher_arguments(cmd: list[str]) -> list[str] | None:
    """The arguments of ``cmd`` if it runs ipykernel with this interpreter
    (``python -m ipykernel_launcher ...``, which jupyter_client writes with this interpreter's
    path), else ``None``."""
    if cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]:
        return cmd[3:]
    return None


def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        """A local provisioner whose kernel, where the server can give it, is forked from the server."""

        server: KernelServer | None = None

        async def launch_kernel(self, cmd, **kwargs):
            argv = _launcher_arguments(cmd)
            env = kwargs.get("env", os.environ)
            redirected = any(kwargs.get(name) is not None for name in ("stdin", "stdout", "stderr"))
            if self.server is None or argv is None or redirected or not self.server.serves(env):
                return await super().launch_kernel(cmd, **kwargs)
            cwd = kwargs.get("cwd") or os.getcwd()
            try:
                self.process = self.server.start_kernel(argv, cwd)
            except KernelServerError as err:
                self.log.warning("Starting an ordinary kernel: %s", err)
                return await super().launch_kernel(cmd, **kwargs)
            self.cwd = cwd
            self.pid = self.pgid = self.process.pid  # the kernel leads a process group of its own
            return self.connection_info

    return ForkedProvisioner


def _manager_class(server: KernelServer):
    """nbclient's kernel manager, with the provisioner that forks kernels from ``server``."""
    from jupyter_client.manager import AsyncKernelManager

    provisioner = _provisioner_class()

    class ForkedKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
                self.provisioner.server = server
            return await super()._async_pre_start_kernel(**kw)

    return ForkedKernelManager


#: a kernel server started ahead of need (:func:`prestart`), until a run takes it or the build stops it
_PRESTARTED: list[KernelServer] = []


def prestart() -> None:
    """Start the kernel server now, with the current environment, for the next run to take
    (:func:`kernel_manager_class`): the book build's command starts it before Sphinx starts, so
    that its imports are done by the time the first chapter asks for a kernel. The command stops
    it if no run took it (:func:`stop_prestarted`)."""
    if available() and not _PRESTARTED:
        with contextlib.suppress(OSError):
            _PRESTARTED.append(KernelServer())


def stop_prestarted() -> None:
    """End, and wait for, a server :func:`prestart` started and no run took: at once, without
    waiting for its imports (it has forked no kernel)."""
    while _PRESTARTED:
        _PRESTARTED.pop().stop(timeout=0)


def _server() -> KernelServer | None:
    """The prestarted server if it serves the current environment (else it is stopped), or a new one."""
    while _PRESTARTED:
        server = _PRESTARTED.pop()
        if server.serves(dict(os.environ)):
            return server
        server.stop(timeout=0)
    try:
        return KernelServer()
    except OSError:
        return None


@contextlib.contextmanager
def kernel_manager_class():
    """Within the block, the kernel manager class for nbclient (its ``kernel_manager_class``): one
    whose kernels are forked from a kernel server (the one :func:`prestart` started, when it has the
    current environment, else one started now), stopped and waited for at the end of the block;
    where forking is not :func:`available`, the ordinary one."""
    from jupyter_client.manager import AsyncKernelManager

    server = _server() if available() else None
    if server is None:
        yield AsyncKernelManager
        return
    try:
        yield _manager_class(server)
    finally:
        server.stop()
