# SPDX-License-Identifier: MIT
"""Talking to the hotmap binary: where it is, what it declares (--usage-json), and running it
with progress and cancellation. No QGIS import here beyond what callers pass in."""
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import threading

# the version of the --usage-json layout this plugin reads (hotmap's usage_json_version)
USAGE_JSON_VERSION = 1
# "hotmap density: progress: 42% what" (hotmap --progress)
PROGRESS = re.compile(r"^hotmap [^:]+: progress: (\d+)%\s*(.*)$")
ERROR = re.compile(r"^hotmap [^:]*: error: ")
WARNING = re.compile(r"^hotmap [^:]*: warning: ")


class HotmapError(Exception):
    """A one-line problem the user can act on (binary missing, bad JSON, failed run)."""


def find_binary(configured):
    """The configured path if set (it must be an executable file), else `hotmap` on PATH."""
    if configured:
        path = os.path.expanduser(configured)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
        raise HotmapError(f"hotmap binary '{configured}' is not an executable file "
                          "(Settings > Options > Processing > Providers > hotmap)")
    found = shutil.which("hotmap")
    if not found:
        raise HotmapError("hotmap binary not found on PATH: install hotmap or set its path in "
                          "Settings > Options > Processing > Providers > hotmap")
    return found


def usage(binary):
    """`hotmap --usage-json`, parsed: {"commands": [...], "version": ...}."""
    try:
        p = subprocess.run([binary, "--usage-json"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise HotmapError(f"cannot run {binary}: {e.strerror}") from e
    except subprocess.TimeoutExpired as e:
        raise HotmapError(f"'{binary} --usage-json' did not answer within 60 s") from e
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["no message"])[-1]
        raise HotmapError(f"'{binary} --usage-json' failed (exit {p.returncode}): {last} "
                          "(a hotmap older than --usage-json?)")
    try:
        data = json.loads(p.stdout)
    except ValueError as e:
        raise HotmapError(f"'{binary} --usage-json' printed no valid JSON: {e}") from e
    if data.get("usage_json_version") != USAGE_JSON_VERSION:
        raise HotmapError(f"'{binary} --usage-json' has layout version {data.get('usage_json_version')}, "
                          f"this plugin reads version {USAGE_JSON_VERSION}: update the plugin or hotmap")
    return data


def run(argv, on_progress, on_info, on_warning, is_canceled, poll_s=0.1):
    """Run argv; its stderr lines go to on_progress(percent, text), on_warning(line) or
    on_info(line) as they come, always from the calling thread. is_canceled() is polled: when
    it turns true the process gets SIGINT (hotmap then removes its staged outputs) and this
    returns None. Otherwise returns (stdout text, error lines); a failed run raises HotmapError
    with hotmap's own one-line error."""
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                bufsize=1, start_new_session=True)
    except OSError as e:
        raise HotmapError(f"cannot run {argv[0]}: {e.strerror}") from e
    lines, errors, out_chunks = queue.Queue(), [], []

    def read_stderr():
        for line in proc.stderr:
            lines.put(line.rstrip("\n"))

    def read_stdout():
        out_chunks.append(proc.stdout.read())

    def drain():
        while True:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                return
            m = PROGRESS.match(line)
            if m:
                on_progress(int(m.group(1)), m.group(2))
            elif ERROR.match(line):
                errors.append(line)
            elif WARNING.match(line):
                on_warning(line)
            elif line:
                on_info(line)

    readers = [threading.Thread(target=read_stderr, daemon=True), threading.Thread(target=read_stdout, daemon=True)]
    for t in readers:
        t.start()
    canceled = False
    while True:
        try:
            proc.wait(timeout=poll_s)
            break
        except subprocess.TimeoutExpired:
            drain()
            if not canceled and is_canceled():
                canceled = True
                # hotmap removes its staged outputs on SIGINT (Windows has none: terminate)
                proc.send_signal(signal.SIGINT) if os.name == "posix" else proc.terminate()
    for t in readers:
        t.join(5)
    proc.stdout.close()
    proc.stderr.close()
    drain()
    if canceled:
        return None
    if proc.returncode != 0:
        message = errors[-1] if errors else f"{os.path.basename(argv[0])} exited with status {proc.returncode}"
        raise HotmapError(message)
    return "".join(out_chunks), errors
