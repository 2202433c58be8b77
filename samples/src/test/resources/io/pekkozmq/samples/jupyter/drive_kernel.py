"""Drives the pekko-zmq Java kernel with the real jupyter_client, check by check.

usage: drive_kernel.py KERNELS_DIR TRANSPORT(tcp|ipc) MODE(full|basic) [IPC_DIR]

Prints one line per check, "PASS name" or "FAIL name: why", and exits 0 only if every check
passed. Every wait is bounded by TIMEOUT; nothing sleeps to synchronise.
"""
import os
import sys
import traceback

import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

TIMEOUT = float(os.environ.get("KERNEL_TIMEOUT", "60"))
kernels_dir, transport, mode = sys.argv[1], sys.argv[2], sys.argv[3]
failed = []


def check(name):
    def run(fn):
        try:
            fn()
            print("PASS", name, flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
            failed.append(name)
            print("FAIL %s: %r" % (name, e), flush=True)
            traceback.print_exc()
        return fn
    return run


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


ksm = KernelSpecManager(kernel_dirs=[kernels_dir])
km = KernelManager(kernel_name="pekkozmq-java", kernel_spec_manager=ksm, transport=transport)
if transport == "ipc":
    km.ip = os.path.join(sys.argv[4], "kernel")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=TIMEOUT)


def reply_to(get, msg_id):
    """The reply to msg_id on a channel; anything else there is a failure (requests are sequential)."""
    while True:
        m = get(timeout=TIMEOUT)
        if m["msg_type"] == "kernel_info_reply" and m["parent_header"].get("msg_id") != msg_id:
            continue  # wait_for_ready asks again and again until the first answer; the rest arrive late
        expect(m["parent_header"].get("msg_id") == msg_id,
               "a reply to another request (%s) came first" % m["parent_header"].get("msg_id"))
        return m


def iopub_until_idle(msg_id):
    """Every iopub message caused by msg_id, from busy to idle (other parents are skipped)."""
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            expect(seen[0]["msg_type"] == "status" and seen[0]["content"]["execution_state"] == "busy",
                   "the first iopub message for a request is status busy, got %s" % seen[0]["msg_type"])
            return seen


def run(code, **kw):
    msg_id = kc.execute(code, **kw)
    reply = reply_to(kc.get_shell_msg, msg_id)
    return reply["content"], iopub_until_idle(msg_id)


def of_type(outputs, t):
    return [m["content"] for m in outputs if m["msg_type"] == t]


def result_text(outputs):
    results = of_type(outputs, "execute_result")
    expect(len(results) == 1, "one execute_result, got %r" % outputs)
    return results[0]["data"]["text/plain"]


@check("kernel_info")
def _():
    info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    expect(info["status"] == "ok", info)
    expect(info["protocol_version"] == "5.3", info)
    lang = info["language_info"]
    expect(lang["name"] == "java" and lang["file_extension"] == ".java" and lang["mimetype"] == "text/x-java", lang)
    expect(lang["version"], lang)
    expect(info["implementation"] == "pekko-zmq-java", info)
    expect(km.transport == transport, km.transport)
    if transport == "ipc":  # the kernel bound ipc://<ip>-<port>, as the connection file says
        for port in (km.shell_port, km.iopub_port, km.stdin_port, km.control_port, km.hb_port):
            expect(os.path.exists("%s-%d" % (km.ip, port)), "no ipc socket %s-%d" % (km.ip, port))


@check("expression_value")
def _():
    reply, outputs = run("1 + 1")
    expect(reply["status"] == "ok", reply)
    expect(result_text(outputs) == "2", outputs)
    inputs = of_type(outputs, "execute_input")
    expect(len(inputs) == 1 and inputs[0]["code"] == "1 + 1", outputs)
    expect(inputs[0]["execution_count"] == reply["execution_count"] >= 1, (inputs, reply))
    expect(of_type(outputs, "execute_result")[0]["execution_count"] == reply["execution_count"], outputs)


if mode == "full":
    @check("stdout_stream")
    def _():
        reply, outputs = run('System.out.println("hello from java");\nSystem.err.print("to stderr");')
        expect(reply["status"] == "ok", reply)
        out = "".join(s["text"] for s in of_type(outputs, "stream") if s["name"] == "stdout")
        err = "".join(s["text"] for s in of_type(outputs, "stream") if s["name"] == "stderr")
        expect(out == "hello from java\n", outputs)
        expect(err == "to stderr", outputs)
        expect(not of_type(outputs, "execute_result"), "a statement has no value: %r" % outputs)

    @check("state_survives_between_cells")
    def _():
        reply, outputs = run("int answer = 42;")
        expect(reply["status"] == "ok", reply)
        reply, outputs = run("answer * 2")
        expect(reply["status"] == "ok", reply)
        expect(result_text(outputs) == "84", outputs)

    @check("execution_count_counts_cells")
    def _():
        first, _ = run("1")
        second, _ = run("2")
        silent, outputs = run("3", silent=True)
        expect(second["execution_count"] == first["execution_count"] + 1, (first, second))
        expect(not of_type(outputs, "execute_input") and not of_type(outputs, "execute_result"), outputs)
        third, _ = run("4")
        expect(third["execution_count"] == second["execution_count"] + 1, "a silent cell is not counted")

    @check("exception_is_an_error")
    def _():
        reply, outputs = run('throw new IllegalStateException("boom")')
        expect(reply["status"] == "error", reply)
        expect(reply["ename"] == "java.lang.IllegalStateException" and reply["evalue"] == "boom", reply)
        errors = of_type(outputs, "error")
        expect(len(errors) == 1 and errors[0]["ename"] == "java.lang.IllegalStateException", outputs)
        expect(any("IllegalStateException: boom" in line for line in errors[0]["traceback"]), errors)

    @check("compile_error_is_an_error")
    def _():
        reply, outputs = run("int broken = ;")
        expect(reply["status"] == "error" and reply["ename"] == "CompilationError", reply)
        expect(of_type(outputs, "error"), outputs)
        reply, outputs = run("undefinedName + 1")
        expect(reply["status"] == "error" and "undefinedName" in "\n".join(reply["traceback"]), reply)

    @check("cells_can_use_pekko_zmq")
    def _():
        reply, outputs = run("io.pekkozmq.engine.SocketType.valueOf(\"PUSH\").name()")
        expect(reply["status"] == "ok" and result_text(outputs) == '"PUSH"', (reply, outputs))

    @check("queued_cells_abort_after_an_error")
    def _():
        # the second request reaches the kernel while the first cell is still in its 3 s sleep
        failing = kc.execute('Thread.sleep(3000);\nthrow new RuntimeException("first")')
        queued = kc.execute("answer = 7;")
        expect(reply_to(kc.get_shell_msg, failing)["content"]["status"] == "error", "the first cell fails")
        expect(reply_to(kc.get_shell_msg, queued)["content"]["status"] == "aborted", "the queued cell is aborted")
        reply, outputs = run("answer")
        expect(result_text(outputs) == "42", "the aborted cell did not run: %r" % outputs)

    @check("complete_prefix")
    def _():
        reply = kc.complete("Stri", 4, reply=True, timeout=TIMEOUT)["content"]
        expect(reply["status"] == "ok" and "String" in reply["matches"], reply)
        expect(reply["cursor_start"] == 0 and reply["cursor_end"] == 4, reply)
        reply = kc.complete("int x = ans", 11, reply=True, timeout=TIMEOUT)["content"]
        expect("answer" in reply["matches"] and reply["cursor_start"] == 8, reply)

    @check("inspect")
    def _():
        reply = kc.inspect("Math.abs(", 9, reply=True, timeout=TIMEOUT)["content"]
        expect(reply["status"] == "ok" and reply["found"], reply)
        expect("abs" in reply["data"]["text/plain"], reply)

    @check("is_complete")
    def _():
        for code, status in [("int y = 1;", "complete"), ("void f() {", "incomplete"), ("1 + 1", "complete")]:
            reply = reply_to(kc.get_shell_msg, kc.is_complete(code))["content"]
            expect(reply["status"] == status, (code, reply))

    @check("history_and_comm_info")
    def _():
        reply = kc.history(reply=True, timeout=TIMEOUT)["content"]
        expect(reply["status"] == "ok" and reply["history"] == [], reply)
        reply = kc.comm_info(reply=True, timeout=TIMEOUT)["content"]
        expect(reply["status"] == "ok" and reply["comms"] == {}, reply)

    @check("heartbeat_beats")
    def _():
        ctx = zmq.Context.instance()
        s = ctx.socket(zmq.REQ)
        s.linger = 0
        s.connect("%s://%s%s%d" % (km.transport, km.ip, ":" if km.transport == "tcp" else "-", km.hb_port))
        for i in range(3):
            s.send(b"ping %d" % i)
            expect(s.poll(TIMEOUT * 1000), "no heartbeat echo")
            expect(s.recv() == b"ping %d" % i, "the echo is the ping")
        s.close()

    @check("interrupt_stops_an_endless_cell")
    def _():
        msg_id = kc.execute('System.out.println("looping");\nwhile (true) {}')
        while True:  # the cell is running once it has printed
            m = kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                break
        km.interrupt_kernel()
        reply = reply_to(kc.get_shell_msg, msg_id)["content"]
        expect(reply["status"] == "error" and reply["ename"] == "Interrupted", reply)
        reply, outputs = run("answer + 1")
        expect(reply["status"] == "ok" and result_text(outputs) == "43", (reply, outputs))

    @check("bad_messages_are_ignored")
    def _():
        bad = Session(key=b"not-the-key", session=kc.session.session)
        sent = bad.send(kc.shell_channel.socket, "execute_request",
                        {"code": "answer = 0;", "silent": False, "store_history": True,
                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        bad_id = sent["header"]["msg_id"]
        raw = zmq.Context.instance().socket(zmq.DEALER)
        raw.linger = 0
        raw.connect(kc.shell_channel.socket.getsockopt_string(zmq.LAST_ENDPOINT))
        raw.send_multipart([b"no delimiter at all"])
        raw.send_multipart([b"<IDS|MSG>", b"truncated"])
        raw.send_multipart([b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", b"{}"])
        raw.send_multipart([b"<IDS|MSG>", b"0" * 64, b"not json", b"{}", b"{}", b"{}"])
        # the kernel serves requests one at a time in order: had it taken the bad one, its reply
        # would come before this one's (reply_to fails on any other parent)
        reply, outputs = run("answer")
        expect(reply["status"] == "ok" and result_text(outputs) == "42", (reply, outputs))
        expect(all(m["parent_header"].get("msg_id") != bad_id for m in outputs), outputs)
        raw.close()

    ASK_EXIT = [{"source": "ask_exit", "keepkernel": False}]

    @check("exit_asks_the_frontend_to_exit")
    def _():
        # IPython's spellings and JShell's /exit: status ok, the ask_exit payload, and the cell is
        # counted (as ipykernel counts it) but not run as Java; the kernel stays up until the
        # frontend sends shutdown_request
        before, _ = run("answer")
        count = before["execution_count"]
        for code in ["exit", "quit", "exit()", "quit()", "exit;", " quit ( ) ; ", "/exit", "exit\n"]:
            reply, outputs = run(code)
            count += 1
            expect(reply["status"] == "ok" and reply.get("payload") == ASK_EXIT, (code, reply))
            expect(reply["execution_count"] == count, (code, count, reply))
            inputs = of_type(outputs, "execute_input")
            expect(len(inputs) == 1 and inputs[0]["execution_count"] == count, (code, outputs))
            expect(not of_type(outputs, "execute_result") and not of_type(outputs, "error")
                   and not of_type(outputs, "stream"), (code, outputs))
            expect(km.is_alive(), "the kernel is still running after %r" % code)
        reply, outputs = run("exit", silent=True)
        expect(reply["status"] == "ok" and reply.get("payload") == ASK_EXIT, reply)
        expect(not outputs[1:-1], "a silent exit publishes nothing but busy and idle: %r" % outputs)

    @check("exit_inside_java_is_java")
    def _():
        reply, outputs = run("int exitCode = 3;")
        expect(reply["status"] == "ok" and reply.get("payload") == [], reply)
        reply, outputs = run("exitCode")
        expect(reply.get("payload") == [] and result_text(outputs) == "3", (reply, outputs))
        reply, outputs = run("exit + 1")  # part of an expression: Java, and exit is not declared
        expect(reply["status"] == "error" and reply["ename"] == "CompilationError", reply)
        reply, outputs = run("int y = 1;\nexit")  # not the whole cell
        expect(reply["status"] == "error" and reply["ename"] == "CompilationError", reply)
        # a name the cells declare shadows the exit spelling, as a Python variable exit does in IPython
        reply, _ = run("int exit = 4;")
        expect(reply["status"] == "ok" and reply.get("payload") == [], reply)
        reply, outputs = run("exit")
        expect(reply.get("payload") == [] and result_text(outputs) == "4", (reply, outputs))
        reply, outputs = run("exit()")  # a variable does not shadow the call
        expect(reply.get("payload") == ASK_EXIT, reply)
        reply, _ = run('void quit() { System.out.println("my quit"); }')
        expect(reply["status"] == "ok", reply)
        reply, outputs = run("quit()")
        out = "".join(s["text"] for s in of_type(outputs, "stream") if s["name"] == "stdout")
        expect(reply.get("payload") == [] and out == "my quit\n", (reply, outputs))
        reply, outputs = run("quit")  # a method does not shadow the bare name
        expect(reply.get("payload") == ASK_EXIT, reply)
        for code in ["exit", "quit()", "/exit"]:
            reply = reply_to(kc.get_shell_msg, kc.is_complete(code))["content"]
            expect(reply["status"] == "complete", (code, reply))

    @check("restart")
    def _():
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        reply, outputs = run("1 + 2")
        expect(reply["status"] == "ok" and result_text(outputs) == "3", outputs)
        reply, outputs = run("answer")
        expect(reply["status"] == "error", "a restarted kernel starts afresh: %r" % reply)


@check("shutdown_ends_the_process")
def _():
    process = km.provisioner.process
    msg_id = kc.shutdown()
    reply = reply_to(kc.get_control_msg, msg_id)
    expect(reply["msg_type"] == "shutdown_reply" and reply["content"]["status"] == "ok", reply)
    rc = process.wait(timeout=TIMEOUT)
    expect(rc == 0, "exit code %r" % rc)


kc.stop_channels()
if km.has_kernel and km.is_alive():
    km.shutdown_kernel(now=True)
km.cleanup_resources()
print("done: %d failed" % len(failed), flush=True)
sys.exit(1 if failed else 0)
