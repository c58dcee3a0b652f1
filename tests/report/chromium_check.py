#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Open report pages in headless Chromium: each must render (a screenshot with many colours,
# not blank) and load nothing but file: and data: URLs (Chromium's network log). Exit 77
# (CTest SKIP_RETURN_CODE) when Chromium is not installed. Python standard library only.
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77


def png_pixels(path):
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes): (width, height, channels, rows)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = ihdr
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    ch = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * ch
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, ch, rows


def check_screenshot(path):
    w, h, ch, rows = png_pixels(path)
    colours, non_white, total = set(), 0, 0
    for y in range(0, h, 2):
        row = rows[y]
        for x in range(0, w, 2):
            px = row[x * ch:x * ch + 3]
            colours.add(px)
            total += 1
            if px != b"\xff\xff\xff":
                non_white += 1
    share = non_white / max(1, total)
    print(f"  screenshot {w}x{h}: {len(colours)} distinct colours, {share:.1%} not white")
    errors = []
    if len(colours) < 64:
        errors.append(f"only {len(colours)} distinct colours: the page looks blank")
    if share < 0.08:
        errors.append(f"only {share:.1%} of the pixels are not white: the page looks blank")
    return errors


def urls_in_netlog(path):
    """URLs the page requested through the network stack. file: loads do not go through it;
    Chromium's own background traffic (update checks, accounts) has no initiator origin
    ("not an origin") and is not the page's doing, so it is left out."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        # Chromium killed before it closed the JSON: close it ourselves
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log.get("constants", {}).get("logEventTypes", {}).get("URL_REQUEST_START_JOB")
    urls = []
    for ev in log.get("events", []):
        params = ev.get("params") or {}
        if ev.get("type") != start_job or not isinstance(params.get("url"), str):
            continue
        if params.get("initiator") == "not an origin":
            continue
        urls.append(params["url"])
    return urls


def check_references(html):
    """Static check of what the network log cannot see (file: loads): every src, href and
    url() of the page is a data: URI or an anchor; http(s) only as the SVG namespace."""
    import re
    with open(html, encoding="utf-8") as f:
        text = f.read()
    errors = []
    for m in re.finditer(r"""\b(src|href|xlink:href)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^)"']*)""", text):
        target = m.group(2) if m.group(2) is not None else m.group(3)
        if not (target.startswith("data:") or target.startswith("#")):
            errors.append(f"refers to '{target[:80]}'")
    stripped = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for scheme in ("http://", "https://"):
        if scheme in stripped:
            i = stripped.index(scheme)
            errors.append(f"contains a URL: '{stripped[i:i + 80]}'")
    return errors


def check_page(chromium, html, out):
    name = os.path.splitext(os.path.basename(html))[0]
    shot = os.path.join(out, name + ".png")
    netlog = os.path.join(out, name + ".netlog.json")
    for p in (shot, netlog):
        if os.path.exists(p):
            os.remove(p)
    profile = tempfile.mkdtemp(prefix="hotmap-chromium-")
    url = "file://" + os.path.abspath(html)
    cmd = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
           "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
           "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
           "--window-size=1200,2000", "--screenshot=" + shot, "--log-net-log=" + netlog,
           "--enable-logging=stderr", "--v=0", url]
    print(f"{name}: {url}")
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=25, text=True)
    except subprocess.TimeoutExpired:
        return [f"{name}: chromium did not finish in 25 s"]
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    errors = [f"{name}: {e}" for e in check_references(html)]
    if not os.path.exists(shot):
        return [f"{name}: chromium wrote no screenshot (exit {res.returncode}):\n{res.stderr[-2000:]}"]
    errors += [f"{name}: {e}" for e in check_screenshot(shot)]
    for line in res.stderr.splitlines():
        # console messages of the page: failed loads, script or SVG errors
        if "Failed to load resource" in line or "net::ERR_" in line or "Uncaught" in line or "Error parsing" in line:
            errors.append(f"{name}: chromium says: {line.strip()}")
    if os.path.exists(netlog):
        urls = urls_in_netlog(netlog)
        bad = sorted({u for u in urls if not (u.startswith("file://") or u.startswith("data:"))})
        print(f"  network log: {len(urls)} requests by the page, {len(bad)} not file:/data:")
        errors += [f"{name}: requested {u}" for u in bad]
    else:
        errors.append(f"{name}: chromium wrote no network log")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--out", required=True, help="folder for the screenshots and network logs")
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    chromium = shutil.which(a.chromium) or (a.chromium if os.path.isfile(a.chromium) else None)
    if not chromium:
        print(f"SKIP: Chromium not found ('{a.chromium}'); install the chromium package to run this check")
        return SKIP
    os.makedirs(a.out, exist_ok=True)
    errors = []
    for page in a.pages:
        if not os.path.exists(page):
            errors.append(f"{page}: missing (the report-sample-pages test writes it)")
            continue
        errors += check_page(chromium, page, a.out)
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
