"""Kernels forked from the kernel server: a chapter's cells run in a process of their own forked
from the server, whose CPU time the build counts once the run has waited for the server; signals
and timeouts reach the kernel; and where forking is off, or the environment differs from the
server's, kernels start the ordinary way."""

from __future__ import annotations

import asyncio
import io
import os
import resource
import time

import nbformat
import pytest

from nhsreport.publish.book import chapter, execute, kernels

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["nhsreport"] = {"datasets": []}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def _outputs(path, cache_dir) -> list[str]:
    """The text each code cell of the cached execution of ``path`` shows."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    record = cache.match_cache_notebook(chapter.read_notebook(path.read_text()))
    cells = cache.get_cache_bundle(record.pk).nb.cells
    return [c.outputs[0]["data"]["text/plain"] if c.outputs else "" for c in cells]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended and been waited for (a process not waited for is still there)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_forked_kernel_runs_a_chapter_and_the_server_is_waited_for(tmp_path, monkeypatch):
    monkeypatch.delenv(kernels.SWITCH, raising=False)
    nb_path = _notebook(
        tmp_path / "a.ipynb",
        'from nhsreport.publish.book import chapter\nchapter.start("a1_claims")',
        "import os\nos.getpid(), os.getppid()",
        # a second of the kernel's own CPU time, which the build must count among its children's
        "import time\nstart = time.process_time()\nwhile time.process_time() - start < 1:\n    pass",
    )
    before = _children_cpu()
    assert len(execute.run([nb_path], tmp_path / "cache", timeout=120)) == 1
    spent = _children_cpu() - before
    kernel, server = (int(pid) for pid in _outputs(nb_path, tmp_path / "cache")[1].strip("()").split(", "))
    assert server != os.getpid()  # the kernel's parent is the server, not the build
    assert _gone(kernel) and _gone(server)
    assert spent >= 1.0


def test_the_server_kills_and_waits_for_a_kernel_left_running(tmp_path):
    with kernels.kernel_manager_class() as manager:
        km = manager(kernel_name="python3")
        asyncio.run(km.start_kernel(cwd=str(tmp_path)))
        kernel = km.provisioner.pid
        server = km.provisioner.server
        assert kernel != server.process.pid and km.provisioner.process.poll() is None
    assert server.process.returncode == 0
    assert server.returncode(kernel) is not None and _gone(kernel)


def test_an_interrupt_and_a_timeout_reach_a_forked_kernel(tmp_path):
    with kernels.kernel_manager_class() as manager:

        async def interrupted():
            km = manager(kernel_name="python3")
            await km.start_kernel(cwd=str(tmp_path))
            assert isinstance(km.provisioner.process, kernels.ForkedKernel)
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute("import time\ntime.sleep(60)")
            await asyncio.sleep(1)
            await km.interrupt_kernel()
            reply = await client.get_shell_msg(timeout=30)
            client.stop_channels()
            await km.shutdown_kernel(now=True)
            return msg_id, reply

        msg_id, reply = asyncio.run(interrupted())
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"

    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(120)")
    started = time.monotonic()
    with pytest.raises(execute.ChapterExecutionError, match="(?i)timeout|timed out"):
        execute.run([slow], tmp_path / "cache", timeout=3)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("how", ["switched off", "another environment"])
def test_ordinary_kernels_where_forking_is_off_or_the_environment_differs(tmp_path, monkeypatch, how):
    if how == "switched off":
        monkeypatch.setenv(kernels.SWITCH, "0")
    with kernels.kernel_manager_class() as manager:
        if how == "another environment":
            monkeypatch.setenv("NHSREPORT_TEST_VARIABLE", "1")  # set after the server started
        km = manager(kernel_name="python3")
        asyncio.run(km.start_kernel(cwd=str(tmp_path)))
        try:
            assert not isinstance(km.provisioner.process, kernels.ForkedKernel)
            assert os.getpgid(km.provisioner.pid) == km.provisioner.pid
        finally:
            asyncio.run(km.shutdown_kernel(now=True))


def test_a_server_whose_imports_print_does_not_serve(tmp_path, monkeypatch):
    """What an import prints would be in an ordinary kernel's first cell: such a server gives no
    kernel, and the build starts ordinary ones."""
    (tmp_path / "noisy_module.py").write_text("import sys\nprint('a notice', file=sys.stderr)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(kernels, "PRELOAD", ("noisy_module",))
    replies = io.StringIO()
    assert not kernels.preload(replies)
    assert "importing noisy_module printed 'a notice" in replies.getvalue()


def test_the_server_stops_when_a_process_forked_from_the_build_holds_its_requests(tmp_path):
    """Sphinx forks its workers from the build: a worker's copy of the pipe to the server must not
    keep the server running."""
    with kernels.kernel_manager_class() as manager:
        km = manager(kernel_name="python3")
        asyncio.run(km.start_kernel(cwd=str(tmp_path)))
        asyncio.run(km.shutdown_kernel(now=True))
        holder = os.fork()
        if not holder:  # a process forked from the build, with a copy of every descriptor
            time.sleep(30)
            os._exit(0)
        started = time.monotonic()
    try:
        assert time.monotonic() - started < 10
        assert km.provisioner.server.process.returncode == 0
    finally:
        os.kill(holder, 9)
        os.waitpid(holder, 0)


def test_a_prestarted_server_is_taken_by_the_next_run_or_ended_unused(monkeypatch):
    """The build command starts the server before Sphinx (``kernels.prestart``): the next run takes
    it when the environment is the same; otherwise, or when no run takes it, it is ended, at once,
    and waited for."""
    monkeypatch.delenv(kernels.SWITCH, raising=False)
    kernels.prestart()
    server = kernels._PRESTARTED[0]
    assert kernels._server() is server and not kernels._PRESTARTED
    server.stop()

    kernels.prestart()
    unused = kernels._PRESTARTED[0]
    t0 = time.perf_counter()
    kernels.stop_prestarted()
    assert unused.process.returncode is not None and not kernels._PRESTARTED
    assert time.perf_counter() - t0 < 5

    kernels.prestart()
    earlier = kernels._PRESTARTED[0]
    monkeypatch.setenv("NHSREPORT_PRESTART_TEST", "another environment")
    fresh = kernels._server()
    assert fresh is not earlier and earlier.process.returncode is not None
    assert fresh.serves(dict(os.environ))
    fresh.stop()
