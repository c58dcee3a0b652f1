#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Man-page drift check (STYLE.md B.10), run by tests/cli/man_pages.cmake.

    check_man_page.py COMMAND MAN_DIR   every option that `hotmap COMMAND --help` prints
                                        (long --name, and short -x) appears in
                                        MAN_DIR/hotmap-COMMAND.md, which has the man-page
                                        sections NAME .. SEE ALSO
    check_man_page.py --all MAN_DIR     every command that `hotmap --help` lists has its page
                                        (NAME line = the summary `hotmap --help` prints), is
                                        named in MAN_DIR/hotmap.md, and passes the check above

The binary is $HOTMAP (set by add_cli_test for CHECK_CMD), else `hotmap` on PATH.
Exit 0 when everything is documented, 1 with one line per gap otherwise, 2 on bad usage.
"""
import os
import re
import subprocess
import sys

SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "DIAGNOSTICS", "EXAMPLES", "SEE ALSO"]
LONG = re.compile(r"(?<![\w-])--[a-z0-9]+(?:-[a-z0-9]+)*")
# a short option as Boost.Program_options prints it: "  -i [ --incidents ] arg"
SHORT = re.compile(r"^\s+(-[A-Za-z0-9]) \[ --", re.M)


def run(hotmap, args):
    try:
        p = subprocess.run([hotmap] + args, capture_output=True, text=True, timeout=60)
    except OSError as e:
        sys.exit(f"check_man_page: cannot run {hotmap}: {e}")
    if p.returncode != 0:
        sys.exit(f"check_man_page: '{' '.join([hotmap] + args)}' exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def mentioned(text, option):
    """True when `option` occurs in `text` as a whole option name (--time is not --time-format)."""
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text) is not None


def check_command(hotmap, cmd, man_dir, summary=None):
    """Problems of one command's page, as lines."""
    page = os.path.join(man_dir, f"hotmap-{cmd}.md")
    if not os.path.isfile(page):
        return [f"{cmd}: no man page {page}"]
    with open(page, encoding="utf-8") as f:
        text = f.read()
    problems = []
    if not text.startswith(f"# hotmap-{cmd}(1)"):
        problems.append(f"{page}: the first line is not '# hotmap-{cmd}(1)'")
    for s in SECTIONS:
        if not re.search(r"^## " + re.escape(s) + r"\s*$", text, re.M):
            problems.append(f"{page}: no '## {s}' section")
    if summary is not None:
        name = re.search(r"^## NAME\s*\n+(.*)$", text, re.M)
        want = f"hotmap {cmd} - {summary}"
        if not name or name.group(1).strip() != want:
            problems.append(f"{page}: the NAME line is not '{want}' (the summary 'hotmap --help' prints)")
    help_text = run(hotmap, [cmd, "--help"])
    if not help_text.startswith(f"Usage: hotmap {cmd}"):
        problems.append(f"{cmd}: 'hotmap {cmd} --help' does not start with 'Usage: hotmap {cmd}'")
    options = sorted(set(LONG.findall(help_text)) | set(SHORT.findall(help_text)))
    missing = [o for o in options if not mentioned(text, o)]
    if missing:
        problems.append(f"{page}: options printed by 'hotmap {cmd} --help' but not in the page: {' '.join(missing)}")
    if not problems:
        print(f"hotmap-{cmd}.md: all {len(options)} options of 'hotmap {cmd} --help' documented")
    return problems


def listed_commands(hotmap):
    """(name, summary) of every command in the 'Commands:' block of `hotmap --help`."""
    text = run(hotmap, ["--help"])
    block = text.split("\nCommands:\n", 1)
    if len(block) != 2:
        sys.exit("check_man_page: 'hotmap --help' has no 'Commands:' list")
    out = []
    for line in block[1].splitlines():
        m = re.match(r"^  ([a-z][a-z0-9-]*) +(\S.*)$", line)
        if not m:
            break
        out.append((m.group(1), m.group(2).strip()))
    if not out:
        sys.exit("check_man_page: 'hotmap --help' lists no command")
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    hotmap = os.environ.get("HOTMAP") or "hotmap"
    what, man_dir = argv[1], argv[2]
    problems = []
    if what == "--all":
        top = os.path.join(man_dir, "hotmap.md")
        top_text = open(top, encoding="utf-8").read() if os.path.isfile(top) else None
        if top_text is None:
            problems.append(f"no top-level page {top}")
        for opt in ("--help", "--version"):
            if top_text is not None and not mentioned(top_text, opt):
                problems.append(f"{top}: '{opt}' of 'hotmap --help' is not in the page")
        for cmd, summary in listed_commands(hotmap):
            if top_text is not None and f"hotmap-{cmd}(1)" not in top_text:
                problems.append(f"{top}: the command '{cmd}' is not listed (as hotmap-{cmd}(1))")
            problems += check_command(hotmap, cmd, man_dir, summary)
    else:
        problems = check_command(hotmap, what, man_dir)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
