#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--usage-json against --help, for every registered command (run by tests/cli/usage_json.cmake).

    check_usage_json.py        (binary: $HOTMAP, else `hotmap` on PATH)

`hotmap --usage-json` must parse and list the commands of `hotmap --help` in the same order
with the same one-line descriptions; for each command, `hotmap CMD --usage-json` must equal
its entry there and name exactly the options `hotmap CMD --help` prints: the same long and
short names, in the same order, each with the same help text, default and choices; every
input or output path says what it names; positional arguments are declared options.
Exit 0 when all agree, 1 with one line per difference.
"""
import json
import os
import re
import subprocess
import sys

KINDS = {"flag", "integer", "number", "text", "choice", "list", "input_path", "output_path"}
PATH_KINDS = {"vector", "raster", "folder", "table", "config"}
# Boost.Program_options: "  -o [ --output ] arg   help" or "  --cell arg   help"
OPTION_LINE = re.compile(r"^  (?:-(\w) \[ --([\w-]+) \]|--([\w-]+))( arg)?(?: +(.*))?$")

problems = []


def problem(text):
    problems.append(text)
    print("FAIL:", text)


def run(hotmap, args):
    p = subprocess.run([hotmap] + args, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        sys.exit(f"check_usage_json: '{' '.join(['hotmap'] + args)}' exited {p.returncode}: {p.stderr.strip()}")
    if p.stderr:
        problem(f"'hotmap {' '.join(args)}' wrote to stderr: {p.stderr.strip()}")
    return p.stdout


def squeeze(text):
    return re.sub(r"\s+", "", text)


def help_options(text):
    """[(long, short, has_arg, description)] in the order --help prints them."""
    out, continues = [], False
    for line in text.splitlines():
        m = OPTION_LINE.match(line)
        if m:
            out.append([m.group(2) or m.group(3), m.group(1), bool(m.group(4)), m.group(5) or ""])
            continues = True
        elif continues and line.startswith("   ") and line.strip():
            out[-1][3] += " " + line.strip()
        else:
            continues = False  # a blank line or a group title ends the option
    return out


def expected_description(o):
    text = o["help"]
    if o["kind"] == "choice":
        bar = "|".join(o["choices"])
        if bar not in text:
            text += f" ({bar})"
    if o["default"] is not None and o["kind"] != "flag":
        text += f" (default: {o['default']})"
    return text


def check_command(hotmap, name, entry):
    own = json.loads(run(hotmap, [name, "--usage-json"]))
    if own != entry:
        problem(f"{name}: 'hotmap {name} --usage-json' differs from its entry in 'hotmap --usage-json'")
    if own["name"] != name:
        problem(f"{name}: usage JSON names the command '{own['name']}'")
    helped = help_options(run(hotmap, [name, "--help"]))
    declared = own["options"]
    if [h[0] for h in helped] != [o["name"] for o in declared]:
        problem(f"{name}: --help lists {[h[0] for h in helped]}, --usage-json {[o['name'] for o in declared]}")
        return
    for h, o in zip(helped, declared):
        where = f"{name} --{o['name']}"
        if h[1] != o["short"]:
            problem(f"{where}: short name -{h[1]} in --help, {o['short']} in JSON")
        if o["kind"] not in KINDS:
            problem(f"{where}: unknown kind {o['kind']}")
        if h[2] != (o["kind"] != "flag"):
            problem(f"{where}: --help {'takes' if h[2] else 'takes no'} argument, JSON kind {o['kind']}")
        if squeeze(h[3]) != squeeze(expected_description(o)):
            problem(f"{where}: --help says '{h[3]}', JSON '{expected_description(o)}'")
        if o["kind"] == "choice" and not o["choices"]:
            problem(f"{where}: a choice without choices")
        if o["kind"] != "choice" and o["choices"]:
            problem(f"{where}: choices on a {o['kind']}")
        if o["kind"] in ("input_path", "output_path") and o["path"] not in PATH_KINDS:
            problem(f"{where}: a path without its kind (vector, raster, folder, table, config): {o['path']}")
        if o["kind"] in ("integer", "number"):
            lo, hi = o["min"], o["max"]
            if lo is not None and hi is not None and not lo <= hi:
                problem(f"{where}: min {lo} > max {hi}")
        if o.get("layer_option") is not None and o["layer_option"] not in [d["name"] for d in declared]:
            problem(f"{where}: layer_option --{o['layer_option']} is not an option of {name}")
        if o["kind"] == "list" and not o["repeatable"]:
            problem(f"{where}: a list that is not repeatable")
    names = {o["name"]: o for o in declared}
    for i, p in enumerate(own["positional"]):
        if p not in names:
            problem(f"{name}: positional argument {i} '{p}' is not an option")
        elif names[p]["position"] != i:
            problem(f"{name}: --{p} is positional {i} but says position {names[p]['position']}")
    print(f"{name}: {len(declared)} options agree with --help"
          + (f", positional {own['positional']}" if own["positional"] else ""))


def main():
    hotmap = os.environ.get("HOTMAP") or "hotmap"
    top = json.loads(run(hotmap, ["--usage-json"]))
    listed = []
    block = run(hotmap, ["--help"]).split("\nCommands:\n", 1)[1]
    for line in block.splitlines():
        m = re.match(r"^  ([a-z][a-z0-9-]*) +(\S.*)$", line)
        if not m:
            break
        listed.append((m.group(1), m.group(2).strip()))
    in_json = [(c["name"], c["description"]) for c in top["commands"]]
    if in_json != listed:
        problem(f"'hotmap --usage-json' lists {in_json}, 'hotmap --help' {listed}")
    if not isinstance(top.get("usage_json_version"), int):
        problem("'hotmap --usage-json' has no integer usage_json_version")
    for c in top["commands"]:
        check_command(hotmap, c["name"], c)
    run_cmd = next((c for c in top["commands"] if c["name"] == "run"), None)
    if run_cmd is None or run_cmd["positional"] != ["config"]:
        problem(f"run: positional arguments {run_cmd and run_cmd['positional']}, expected ['config']")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
