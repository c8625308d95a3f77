#!/usr/bin/env python3
"""The review page as a person sees it (docs/review.md): opened in headless Chromium.

Runs `plan --forecast` against freshdesk-sim (started here on 127.0.0.1 with port 0) on the demo's
account and rules (read from scripts/demo), or with --account SPEC on another; with --apply also
`apply`, and the page then shows the journal. Then Chromium opens the page with every request it
might make sent to a counting proxy on 127.0.0.1, and the test checks that:
  - the page's script ran to its end and raised no error (the page records both on <body>, and
    Content-Security-Policy violations too), and the browser logged no console message;
  - the counts it shows are the plan summary's, the entries table holds every entry and draws a
    page of them; with --apply the journal section accounts for every entry, none failed;
  - nothing was asked over the network: the page fetched no resource (its own record) and the
    proxy saw no request but the browser's own background calls to its vendor's update and
    account services (BROWSER_OWN), which no page can cause.
With --screenshot FILE it also writes a screenshot of the page (docs/review-demo.png is one).
With --bench-entries N it instead times `review` on a plan of N entries (cloned from the demo
plan's) and Chromium's first render of it: scripts/bench review prints those figures.
"""
import argparse
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time


# Chromium's own background services, called whatever page is open (flags cannot silence them
# all): left out of the count. A page's request to any other host fails the test.
BROWSER_OWN = ("update.googleapis.com", "accounts.google.com", "clients2.google.com",
               "optimizationguide-pa.googleapis.com", "safebrowsing.googleapis.com")


def page_requests(requests):
    """The proxy's request lines that are not the browser's own background calls."""
    out = []
    for line in requests:
        parts = line.split()
        target = parts[1] if len(parts) > 1 else ""
        host = re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0]
        if host not in BROWSER_OWN:
            out.append(line)
    return out


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def demo_defaults(source_dir):
    """The account spec and rules file scripts/demo uses, so that this test shows the demo's page."""
    text = open(os.path.join(source_dir, "scripts", "demo")).read()
    spec = re.search(r"account_spec=\$\{DEMO_ACCOUNT:-([^}]+)\}", text)
    rules = re.search(r"rules=\$\{DEMO_RULES:-\$root/([^}]+)\}", text)
    if not spec or not rules:
        fail("scripts/demo no longer sets account_spec and rules as this test expects")
    return spec.group(1), os.path.join(source_dir, rules.group(1))


class Simulator:
    def __init__(self, binary, spec, work):
        self.out = open(os.path.join(work, "sim.out"), "w+")
        self.log = open(os.path.join(work, "sim.log"), "w")
        self.process = subprocess.Popen(
            [binary, "--generate", spec, "--rate-limit", "100000", "--list-rate-limit", "100000",
             "--job-seconds", "0", "--port", "0"], stdout=self.out, stderr=self.log)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline and self.port is None:
            self.out.seek(0)
            first = self.out.readline().strip()
            if first:
                self.port = int(first)
            elif self.process.poll() is not None:
                fail("freshdesk-sim did not start")
            else:
                time.sleep(0.1)
        if self.port is None:
            fail("freshdesk-sim did not report its port")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def run(command, env=None, what=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        fail((what or command[1]) + " exited " + str(result.returncode) + ": " + result.stderr[-2000:])
    return result


class CountingProxy:
    """An HTTP proxy that answers nothing and counts every request: Chromium sends every http(s)
    request it makes (CONNECT for https) here."""

    def __init__(self):
        self.requests = []
        seen = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one_request(self):
                try:
                    self.raw_requestline = self.rfile.readline(65537)
                except OSError:
                    return
                if self.raw_requestline:
                    seen.append(self.raw_requestline.decode("latin-1").strip())
                    self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    fail("no chromium: scripts/setup installs Debian's chromium package")


def chromium(page, work, proxy_port, extra, fragment=""):
    profile = tempfile.mkdtemp(dir=work, prefix="profile-")
    command = [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--user-data-dir=" + profile,
               "--proxy-server=http://127.0.0.1:%d" % proxy_port, "--proxy-bypass-list=<-loopback>",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--no-default-browser-check",
               "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
               "--window-size=1280,2000"] + extra + ["file://" + os.path.abspath(page) + fragment]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, timeout=240,
                            env=dict(os.environ, HOME=work))
    if result.returncode != 0:
        fail("chromium exited %d: %s" % (result.returncode, result.stderr[-2000:]))
    return result, time.time() - started


def attribute(dom, element, name):
    match = re.search(r"<%s\b[^>]*\b%s=\"([^\"]*)\"" % (element, name), dom)
    return match.group(1) if match else None


def shown_count(dom, key):
    match = re.search(r'data-count="%s">([0-9,]+)<' % re.escape(key), dom)
    return int(match.group(1).replace(",", "")) if match else None


def check_page(dom, log, plan, proxy):
    if attribute(dom, "body", "data-ready") != "1":
        fail("the page's script did not run to its end (no data-ready on <body>)")
    errors = attribute(dom, "body", "data-errors")
    if errors:
        fail("the page's script raised: " + errors)
    console = [l for l in log.splitlines() if "CONSOLE" in l or "Content Security Policy" in l
               or "Uncaught" in l]
    if console:
        fail("the browser logged: " + " | ".join(console[:5]))
    summary = plan["summary"]
    for key in ("tickets_to_delete", "archived_tickets_to_delete", "contacts_to_delete",
                "contacts_to_mark", "soft_deleted_to_purge", "contacts_read", "tickets_read"):
        if shown_count(dom, key) != summary[key]:
            fail("the page shows %s = %s, the plan summary says %s"
                 % (key, shown_count(dom, key), summary[key]))
    entries = len(plan["entries"])
    if shown_count(dom, "entries") != entries:
        fail("the page says %s entries, the plan has %d" % (shown_count(dom, "entries"), entries))
    table = re.search(r'<div id="entries" data-rows="(\d+)">(.*?)</table>', dom, re.S)
    if not table or int(table.group(1)) != entries:
        fail("the entries table does not hold the plan's %d entries" % entries)
    rows = table.group(2).count("<tr>") - 1  # the header row
    if rows != min(50, entries):
        fail("the entries table draws %d rows, not a page of %d" % (rows, min(50, entries)))
    if attribute(dom, "body", "data-resources") != "0":
        fail("the page fetched %s resource(s)" % attribute(dom, "body", "data-resources"))
    asked = page_requests(proxy.requests)
    if asked:
        fail("the page asked the network: " + "; ".join(asked[:5]))


def make_large_plan(plan, count, path):
    """The demo plan's header with `count` entries cloned from its own (new ids, ascending)."""
    models = [e for e in plan["entries"] if e["steps"]]
    entries = []
    for i in range(count):
        entry = json.loads(json.dumps(models[i % len(models)]))
        base = (i + 1) * 1000
        entry["contact_id"] = i + 1
        mapping = {t: base + k for k, t in enumerate(sorted(set(
            entry["expect"]["ticket_ids"] + [t for s in entry["steps"] for t in s.get("ticket_ids", [])])))}
        entry["expect"]["ticket_ids"] = [mapping[t] for t in entry["expect"]["ticket_ids"]]
        for step in entry["steps"]:
            if "ticket_ids" in step:
                step["ticket_ids"] = [mapping[t] for t in step["ticket_ids"]]
        entries.append(entry)
    large = dict(plan)
    large["entries"] = entries
    large["protected"] = []
    with open(path, "w") as out:
        json.dump(large, out, indent=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--account", help="a freshdesk-sim --generate spec (default: the demo's)")
    parser.add_argument("--apply", action="store_true", help="apply the plan, review its journal")
    parser.add_argument("--screenshot")
    parser.add_argument("--bench-entries", type=int)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="gdpr-purge-review-")
    spec, rules = demo_defaults(args.source_dir)
    spec = args.account or spec
    simulator = Simulator(args.simulator, spec, work)
    proxy = CountingProxy()
    try:
        env = dict(os.environ, FRESHDESK_API_KEY="sim-api-key")
        base = ["--base-url", "http://127.0.0.1:%d" % simulator.port]
        plan_path = os.path.join(work, "plan.json")
        journal = plan_path + ".journal.jsonl"
        page = os.path.join(work, "review.html")
        run([args.binary, "plan", "--rules", rules, "--out", plan_path, "--forecast", "28",
             "--state-dir", os.path.join(work, "state")] + base, env)
        plan = json.load(open(plan_path))
        if args.bench_entries:
            # What --forecast costs: the same plan without it, then with 90 days.
            for days in (None, 90):
                report = os.path.join(work, "report-%s.json" % days)
                extra = ["--forecast", str(days)] if days else []
                started = time.time()
                run([args.binary, "plan", "--rules", rules, "--out", os.path.join(work, "p.json"),
                     "--state-dir", os.path.join(work, "state-%s" % days), "--report", report]
                    + extra + base, env)
                api = json.load(open(report))["api"]
                print("plan %s: %.1f s, %d calls, %d credits"
                      % ("--forecast %d" % days if days else "without --forecast",
                         time.time() - started, api["calls"], api["credits"]))
            large = os.path.join(work, "large.json")
            make_large_plan(plan, args.bench_entries, large)
            started = time.time()
            run([args.binary, "review", large, "--out", page])
            seconds = time.time() - started
            result, wall = chromium(page, work, proxy.port, ["--dump-dom"])
            render = attribute(result.stdout, "body", "data-render-ms")
            print("review of %d entries: %.2f s, %d bytes (%.0f bytes an entry); Chromium: first "
                  "render at %s ms, %.1f s in all" % (args.bench_entries, seconds,
                                                       os.path.getsize(page),
                                                       os.path.getsize(page) / args.bench_entries,
                                                       render, wall))
            check_page(result.stdout, result.stderr, json.load(open(large)), proxy)
            return
        review = [args.binary, "review", plan_path, "--out", page]
        if args.apply:
            run([args.binary, "apply", plan_path, "--yes", "--lock-file",
                 os.path.join(work, "lock"), "--state-dir", os.path.join(work, "state")] + base, env)
            review += ["--journal", journal]
        run(review)
        result, _ = chromium(page, work, proxy.port, ["--dump-dom"])
        check_page(result.stdout, result.stderr, plan, proxy)
        if not args.apply:
            if "id=\"journal\"" in result.stdout:
                fail("a journal section without a journal")
        states = {k: shown_count(result.stdout, "journal_" + k)
                  for k in ("done", "partly_done", "skipped", "failed", "not_run")}
        if args.apply and (None in states.values() or sum(states.values()) != len(plan["entries"])
                           or states["failed"] != 0 or states["done"] == 0):
            fail("the journal section counts %s for %d entries" % (states, len(plan["entries"])))
        if plan["entries"]:
            # The page's own search, as a link to one contact opens it: one row, that contact's.
            wanted = plan["entries"][-1]["contact_id"]
            found, _ = chromium(page, work, proxy.port, ["--dump-dom"], "#search=%d" % wanted)
            table = re.search(r'<div id="entries"[^>]*>(.*?)</table>', found.stdout, re.S)
            cells = re.findall(r'<tr><td class="num">(\d+)</td>', table.group(1) if table else "")
            if cells != [str(wanted)]:
                fail("#search=%d draws the rows %s" % (wanted, cells[:5]))
        if args.screenshot:
            chromium(page, work, proxy.port, ["--hide-scrollbars",
                                              "--screenshot=" + os.path.abspath(args.screenshot)])
        print("ok: %d entries, counts as in the plan, no script error, no request"
              % len(plan["entries"]))
    finally:
        proxy.stop()
        simulator.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
