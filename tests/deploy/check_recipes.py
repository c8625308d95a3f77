#!/usr/bin/env python3
"""Checks the scheduling recipes under docs/deploy/ (issue 6).

Usage: check_recipes.py --binary PATH/TO/gdpr-purge --source-dir PATH/TO/SOURCE

1. Each recipe is parsed as what it is (YAML with PyYAML, systemd units as INI, the crontab by
   its line grammar) and its key fields are checked: the schedule, the overlap protection, the
   key kept off the command line, the artifacts or state kept, the guards, and the archive index
   (docs/reading.md, "Archived tickets"): every plan and apply names its --state-dir, and that
   directory is kept between runs (systemd: inside StateDirectory=/ReadWritePaths=; Kubernetes:
   on a PersistentVolumeClaim; GitHub Actions: restored from and saved to the Actions cache;
   GitLab CI: in a cache: with policy pull-push).
2. Every gdpr-purge command line found in a recipe (line continuations joined) is run through the
   real binary's option parser. It cannot run against an account, so some arguments are
   substituted; everything else is passed exactly as the recipe writes it:
     --rules FILE         -> a copy of rules.example.json (or, for Kubernetes, of the rules in the
                             recipe's ConfigMap) in a temporary directory
     --api-key-file FILE  -> a temporary file holding a dummy key
     --report, --metrics-file, --journal, --lock-file, --out FILE
                          -> a file of the same name in a temporary directory
     --state-dir DIR      -> a directory of the same name, not yet made, in an existing
                             temporary directory (gdpr-purge makes it, as on a first run)
     --domain NAME        -> dropped; FRESHDESK_DOMAIN is removed from the environment
     --base-url URL       -> dropped; --base-url http://127.0.0.1:9 (a closed loopback port) is
                             added, so that no request leaves the machine
   The environment gets FRESHDESK_API_KEY=<dummy> (the recipes that take the key from the
   environment), TMPDIR=<temporary directory> (the default lock) and XDG_STATE_HOME=<temporary
   directory>/state (the default state directory, never the user's); standard input is not a
   terminal; the working directory is a temporary directory.
   Expected: exit 0 for validate-rules; 4 (a guard) or 5 (cannot reach the account) for plan and
   apply. Exit 2 means the recipe's options do not parse (a misspelled option, a bad value): a
   failure. An argument left with a $VARIABLE or a %specifier that the test does not substitute
   is a failure too.
3. If systemd-analyze exists, the units are checked with `systemd-analyze verify` (copies whose
   ExecStart names the built binary, because verify wants an existing executable).

Exits 0 when every check passes, 1 otherwise, listing every failure.
"""

import argparse
import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("check_recipes.py: PyYAML is missing (Debian: python3-yaml; scripts/setup installs it)",
          file=sys.stderr)
    sys.exit(1)

SUBCOMMANDS = {"validate-rules", "plan", "apply", "undo-soft", "help"}
GUARDS = ("--max-deletions", "--report", "--metrics-file")
SHELL_OPERATORS = {"&&", "||", ";", "|", "&", ">", ">>", "<", "(", ")", ";;", "|&", "2>", "2>&1"}
CLOSED_PORT = "http://127.0.0.1:9"
DUMMY_KEY = "dummy-key-for-the-option-parser-test"
PATH_OPTIONS = ("--report", "--metrics-file", "--journal", "--lock-file", "--out")
DIR_OPTIONS = ("--state-dir",)
STATEFUL = ("plan", "apply")  # the subcommands that keep the archive index (--state-dir)


class Checker:
    def __init__(self, binary, source_dir, work):
        self.binary = binary
        self.source_dir = source_dir
        self.deploy = os.path.join(source_dir, "docs", "deploy")
        self.work = work
        self.failures = []
        self.runs = 0

    def fail(self, recipe, message):
        self.failures.append(f"{recipe}: {message}")

    def expect(self, condition, recipe, message):
        if not condition:
            self.fail(recipe, message)
        return bool(condition)

    def read(self, name):
        with open(os.path.join(self.deploy, name), encoding="utf-8") as f:
            return f.read()

    # ---- the gdpr-purge command lines -------------------------------------------------------

    def check_apply_command(self, recipe, args):
        """args: the words after 'gdpr-purge' of an apply command, as the recipe writes them."""
        names = {a.split("=", 1)[0] for a in args if a.startswith("--")}
        for guard in GUARDS:
            self.expect(guard in names, recipe, f"gdpr-purge apply without {guard}")
        self.expect("--rules" in names, recipe, "gdpr-purge apply without --rules (for a schedule)")
        self.expect("--yes" in names, recipe, "gdpr-purge apply without --yes (unattended)")
        for name in names:
            self.expect(not (name.startswith("--api-key") and name != "--api-key-file"), recipe,
                        f"{name}: the API key must never be on the command line")

    def run_parser(self, recipe, args, rules_text=None):
        """Runs the built binary with the recipe's arguments, substituted as the docstring says."""
        self.runs += 1
        tmp = tempfile.mkdtemp(prefix=f"run{self.runs}-", dir=self.work)
        cwd = os.path.join(tmp, "cwd")
        outdir = os.path.join(tmp, "out")
        os.makedirs(cwd)
        os.makedirs(outdir)
        rules = os.path.join(tmp, "rules.json")
        if rules_text is None:
            shutil.copyfile(os.path.join(self.source_dir, "rules.example.json"), rules)
        else:
            with open(rules, "w", encoding="utf-8") as f:
                f.write(rules_text)
        key_file = os.path.join(tmp, "api-key")
        with open(key_file, "w", encoding="utf-8") as f:
            f.write(DUMMY_KEY + "\n")
        os.chmod(key_file, 0o600)

        out = []
        i = 0
        while i < len(args):
            word = args[i]
            name, has_eq, value = word.partition("=")
            takes_value = name in ("--rules", "--api-key-file", "--domain", "--base-url") \
                + PATH_OPTIONS + DIR_OPTIONS
            if takes_value and not has_eq:
                value = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            i += 1
            if not takes_value:
                out.append(word)
            elif name == "--rules":
                out += [name, rules]
            elif name == "--api-key-file":
                out += [name, key_file]
            elif name in PATH_OPTIONS:
                base = os.path.basename(value.rstrip("/")) or "file"
                out += [name, os.path.join(outdir, base)]
            elif name in DIR_OPTIONS:
                base = os.path.basename(value.rstrip("/")) or "dir"
                parent = os.path.join(tmp, "dirs")
                os.makedirs(parent, exist_ok=True)
                out += [name, os.path.join(parent, base)]
            # --domain and --base-url: dropped, replaced by the closed port below
        if args and args[0] == "validate-rules" and len(args) > 1 and not args[1].startswith("-"):
            out[1] = rules  # validate-rules takes the rules file as its argument
        for word in out:
            if re.search(r"\$|%[a-zA-Z%]", word):
                self.fail(recipe, f"argument {word!r} is not expanded by the test: substitute it "
                                  "in check_recipes.py or write it literally")
                return None
        subcommand = out[0] if out else ""
        if subcommand in ("plan", "apply", "undo-soft") or "--online" in out:
            out += ["--base-url", CLOSED_PORT]
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRESHDESK_")}
        env["FRESHDESK_API_KEY"] = DUMMY_KEY
        env["TMPDIR"] = tmp
        env["XDG_STATE_HOME"] = os.path.join(tmp, "state")  # the archive index: never ~
        try:
            done = subprocess.run([self.binary] + out, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            self.fail(recipe, f"gdpr-purge {' '.join(out)}: no exit within 120 s")
            return None
        expected = {0} if subcommand == "validate-rules" and "--online" not in out else {4, 5}
        if done.returncode not in expected:
            what = "the options do not parse (usage error)" if done.returncode == 2 else \
                f"exit {done.returncode}, expected {sorted(expected)}"
            self.fail(recipe, f"gdpr-purge {' '.join(args)}: {what}\n    ran: gdpr-purge "
                              f"{' '.join(out)}\n    stderr: {done.stderr.strip()[-800:]}")
        if DUMMY_KEY in done.stdout + done.stderr:
            self.fail(recipe, "gdpr-purge printed the API key")
        return done.returncode

    @staticmethod
    def shell_commands(text):
        """The gdpr-purge commands of shell text: a list of word lists (after 'gdpr-purge')."""
        text = re.sub(r"\\\n", " ", text)  # line continuations
        found = []
        for line in text.splitlines():
            if line.strip().startswith("#"):
                continue
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words = list(lexer)
            found += Checker.commands_in_words(words)
        return found

    @staticmethod
    def commands_in_words(words):
        found = []
        for i, word in enumerate(words):
            if os.path.basename(word) == "gdpr-purge" and i + 1 < len(words) \
                    and words[i + 1] in SUBCOMMANDS:
                end = i + 1
                while end < len(words) and words[end] not in SHELL_OPERATORS:
                    end += 1
                found.append(words[i + 1:end])
        return found

    def check_commands(self, recipe, commands, rules_text=None):
        """Every command through the parser; returns the apply commands."""
        applies = [c for c in commands if c and c[0] == "apply"]
        self.expect(applies, recipe, "no 'gdpr-purge apply' command found")
        for args in applies:
            self.check_apply_command(recipe, args)
        for args in commands:
            self.run_parser(recipe, args, rules_text)
        return applies

    @staticmethod
    def option_value(args, name):
        for i, word in enumerate(args):
            if word == name and i + 1 < len(args):
                return args[i + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
        return None

    def state_dirs(self, recipe, commands):
        """The --state-dir of every plan and apply command (each must give one), as written."""
        found = []
        for args in commands:
            if not args or args[0] not in STATEFUL:
                continue
            path = self.option_value(args, "--state-dir")
            if self.expect(path, recipe, f"gdpr-purge {args[0]} without --state-dir: the archive "
                                         "index must be kept between runs (docs/reading.md)"):
                self.expect(not path.startswith("~") and "$" not in path, recipe,
                            f"--state-dir {path}: write the directory literally")
                found.append(path)
        return found

    @staticmethod
    def relative_inside(path, roots):
        """Whether the relative path lies in (or is) one of the relative roots."""
        norm = os.path.normpath(path)
        for root in roots:
            root = os.path.normpath(str(root))
            if norm == root or norm.startswith(root + "/"):
                return True
        return False

    # ---- crontab ----------------------------------------------------------------------------

    CRON_VALUE = r"([0-9]{1,2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)"
    CRON_ITEM = rf"(\*|{CRON_VALUE}(-{CRON_VALUE})?)(/[0-9]{{1,2}})?"
    CRON_FIELD = re.compile(rf"^{CRON_ITEM}(,{CRON_ITEM})*$", re.I)

    def check_crontab(self):
        recipe = "crontab"
        variables = {}
        jobs = []
        for number, line in enumerate(self.read("crontab").splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            assignment = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", stripped)
            if assignment:
                variables[assignment.group(1)] = assignment.group(2)
                continue
            fields = stripped.split(None, 5)
            if self.expect(len(fields) == 6 and all(self.CRON_FIELD.match(f) for f in fields[:5]),
                           recipe, f"line {number}: neither VAR=value nor 5 schedule fields and a "
                                   f"command: {stripped!r}"):
                jobs.append(fields[5])
        self.expect(variables.get("MAILTO"), recipe, "no MAILTO: failures would not be mailed")
        self.expect(len(jobs) == 1, recipe, f"{len(jobs)} job lines, expected one")
        for command in jobs:
            self.expect("%" not in command.replace("\\%", ""), recipe,
                        "an unescaped % in the command (cron makes it a newline)")
            self.expect(re.search(r"\bflock\b[^|&;]*\bgdpr-purge apply\b", command), recipe,
                        "the command does not run gdpr-purge apply under flock")
            commands = self.shell_commands(command)
            self.check_commands(recipe, commands)
            for path in self.state_dirs(recipe, commands):
                self.expect(path.startswith("/") and not path.startswith("/tmp/"), recipe,
                            f"--state-dir {path}: not an absolute directory that is kept")

    # ---- systemd ----------------------------------------------------------------------------

    class MultiDict(dict):
        """configparser's dict_type: a repeated key (allowed by systemd) adds to the values."""

        def __setitem__(self, key, value):
            if isinstance(value, list) and key in self and isinstance(self[key], list):
                self[key].extend(value)
            else:
                super().__setitem__(key, value)

    @staticmethod
    def parse_unit(text):
        """{section: {key: [values]}}; backslash continuations are joined first, as systemd does."""
        text = re.sub(r"\\\n", " ", text)
        parser = configparser.RawConfigParser(strict=False, interpolation=None,
                                              dict_type=Checker.MultiDict,
                                              empty_lines_in_values=False,
                                              comment_prefixes=("#", ";"))
        parser.optionxform = str  # systemd keys are case-sensitive
        parser.read_string(text)
        return {section: {key: value.split("\n") for key, value in parser.items(section)}
                for section in parser.sections()}

    def check_systemd(self):
        service_text = self.read("systemd/gdpr-purge.service")
        timer_text = self.read("systemd/gdpr-purge.timer")
        recipe = "systemd/gdpr-purge.service"
        service = self.parse_unit(service_text)
        s = service.get("Service", {})
        self.expect(s.get("Type") == ["oneshot"], recipe, f"Type={s.get('Type')}, expected oneshot")
        self.expect(s.get("User") and s["User"][0] not in ("root", "0"), recipe,
                    "no dedicated User=")
        self.expect(s.get("LoadCredential") or s.get("EnvironmentFile"), recipe,
                    "the key comes neither from LoadCredential= nor from EnvironmentFile=")
        self.expect(s.get("ProtectSystem") == ["strict"], recipe, "ProtectSystem=strict missing")
        working = (s.get("WorkingDirectory") or [""])[-1]
        self.expect(working == "/var/lib/gdpr-purge", recipe,
                    "WorkingDirectory= is not /var/lib/gdpr-purge (where plans and journals go)")
        writable = " ".join(s.get("ReadWritePaths", []))
        state_dirs = ["/var/lib/" + d for d in " ".join(s.get("StateDirectory", [])).split()]
        exec_starts = s.get("ExecStart", [])
        self.expect(len(exec_starts) == 1, recipe, f"{len(exec_starts)} ExecStart=, expected one")
        commands = []
        for line in exec_starts:
            words = shlex.split(line.lstrip("-@:+!"))
            commands += self.commands_in_words(words)
            self.expect(words and words[0].startswith("/"), recipe, "ExecStart= is not absolute")
        self.check_commands(recipe, commands)
        self.state_dirs(recipe, commands)
        for args in commands:
            for option in ("--metrics-file", "--report", "--lock-file", "--journal", "--state-dir"):
                path = self.option_value(args, option)
                if path and not path.startswith("%"):
                    parent = os.path.dirname(os.path.join(working, path))
                    if option == "--state-dir":  # the directory itself must be kept
                        parent = os.path.normpath(os.path.join(working, path))
                    self.expect(any(parent == d or parent.startswith(d + "/")
                                    for d in writable.split() + state_dirs), recipe,
                                f"{option} {path}: not in ReadWritePaths= or StateDirectory=")

        recipe = "systemd/gdpr-purge.timer"
        timer = self.parse_unit(timer_text).get("Timer", {})
        self.expect(timer.get("OnCalendar"), recipe, "no OnCalendar=")
        self.expect(timer.get("Persistent") == ["true"], recipe, "Persistent=true missing")
        self.expect(timer.get("RandomizedDelaySec"), recipe, "no RandomizedDelaySec=")

        analyze = shutil.which("systemd-analyze")
        if not analyze:
            print("systemd-analyze not found: 'systemd-analyze verify' skipped")
            return
        units = os.path.join(self.work, "units")
        os.makedirs(units)
        # verify wants ExecStart's executable to exist: the copy names the built binary.
        copy = re.sub(r"^(ExecStart=[-@:+!]*)\S*gdpr-purge\b", r"\g<1>" + self.binary,
                      service_text, flags=re.M)
        with open(os.path.join(units, "gdpr-purge.service"), "w", encoding="utf-8") as f:
            f.write(copy)
        with open(os.path.join(units, "gdpr-purge.timer"), "w", encoding="utf-8") as f:
            f.write(timer_text)
        done = subprocess.run([analyze, "verify", "--man=no",
                               os.path.join(units, "gdpr-purge.service"),
                               os.path.join(units, "gdpr-purge.timer")],
                              capture_output=True, text=True, timeout=120)
        complaints = [line for line in (done.stdout + done.stderr).splitlines()
                      if "gdpr-purge.service" in line or "gdpr-purge.timer" in line]
        self.expect(done.returncode == 0 and not complaints, "systemd",
                    f"systemd-analyze verify: exit {done.returncode}\n    "
                    + "\n    ".join(complaints or (done.stdout + done.stderr).splitlines()))

    # ---- GitHub Actions ---------------------------------------------------------------------

    def check_github(self):
        recipe = "github-actions.yml"
        doc = yaml.safe_load(self.read(recipe))
        on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare 'on' as true
        self.expect(isinstance(on, dict) and on.get("schedule"), recipe, "no on.schedule")
        if isinstance(on, dict):
            for entry in on.get("schedule") or []:
                self.expect(len(str(entry.get("cron", "")).split()) == 5, recipe,
                            f"schedule {entry}: not a 5-field cron")
            self.expect("workflow_dispatch" in on, recipe, "no on.workflow_dispatch")
        concurrency = doc.get("concurrency") or {}
        self.expect(concurrency.get("group") and concurrency.get("cancel-in-progress") is False,
                    recipe, "no concurrency group with cancel-in-progress: false")
        commands = []
        uploads = []
        restores = []  # (step, index of the step, index of the first gdpr-purge step after it)
        saves = []
        secrets_seen = str(doc.get("env", {}))
        for job in (doc.get("jobs") or {}).values():
            secrets_seen += str(job.get("env", {}))
            purge_at = None
            for number, step in enumerate(job.get("steps", [])):
                uses = str(step.get("uses", ""))
                if "run" in step:
                    found = self.shell_commands(step["run"])
                    if any(c[0] == "apply" for c in found):
                        secrets_seen += str(step.get("env", {}))
                    if any(c[0] in STATEFUL for c in found) and purge_at is None:
                        purge_at = number
                    commands += found
                if uses.startswith("actions/upload-artifact@"):
                    uploads.append(step)
                if re.match(r"actions/cache(/restore)?@", uses):
                    restores.append((step, number, purge_at))
                if re.match(r"actions/cache(/save)?@", uses):
                    saves.append((step, number, purge_at))
        for name in ("FRESHDESK_API_KEY", "FRESHDESK_DOMAIN"):
            self.expect(f"secrets.{name}" in secrets_seen, recipe,
                        f"{name} does not come from secrets.{name}")
        applies = self.check_commands(recipe, commands)
        self.check_github_cache(recipe, self.state_dirs(recipe, commands), restores, saves)
        self.expect(uploads, recipe, "no actions/upload-artifact step")
        for step in uploads:
            self.expect("always()" in str(step.get("if", "")), recipe,
                        "the upload-artifact step lacks if: always()")
            paths = str((step.get("with") or {}).get("path", "")).split()
            self.expect_artifacts(recipe, paths, applies)

    def check_github_cache(self, recipe, state_dirs, restores, saves):
        """The state directory is restored before gdpr-purge runs and saved after, under a key
        that changes per run (an entry cannot be updated) with restore-keys (the newest wins)."""
        def paths_of(step):
            return str((step.get("with") or {}).get("path", "")).split()

        for state in state_dirs:
            self.expect(not state.startswith("/"), recipe,
                        f"--state-dir {state}: keep it in the workspace (a relative path), "
                        "where the cache step finds it")
            before = [s for s, _, purge_at in restores if purge_at is None
                      and self.relative_inside(state, paths_of(s))]
            if self.expect(before, recipe, f"--state-dir {state}: no actions/cache restore step "
                                           "with that path before gdpr-purge runs"):
                for step in before:
                    given = step.get("with") or {}
                    self.expect(re.search(r"github\.run_id", str(given.get("key", ""))), recipe,
                                "the cache key does not change per run (github.run_id): the "
                                "growing index would never be saved again")
                    self.expect(given.get("restore-keys"), recipe,
                                "the cache step has no restore-keys: the newest index would not "
                                "be restored")
            after = [s for s, number, purge_at in saves if purge_at is not None
                     and self.relative_inside(state, paths_of(s))]
            after += [s for s, _, purge_at in restores if purge_at is None
                      and str(s.get("uses", "")).startswith("actions/cache@")
                      and self.relative_inside(state, paths_of(s))]
            self.expect(after, recipe, f"--state-dir {state}: never saved to the cache")
            for step in after:
                if str(step.get("uses", "")).startswith("actions/cache/save@"):
                    self.expect("always()" in str(step.get("if", "")), recipe,
                                "the cache save step lacks if: always() (a failed run's probes "
                                "would be lost)")

    def expect_artifacts(self, recipe, paths, applies):
        self.expect(any(p.endswith(".plan.json") for p in paths), recipe, "the plan is not kept")
        self.expect(any(p.endswith(".journal.jsonl") for p in paths), recipe,
                    "the journal is not kept")
        for args in applies:
            report = self.option_value(args, "--report")
            self.expect(report in paths, recipe, f"the report {report} is not kept")

    # ---- GitLab CI/CD -----------------------------------------------------------------------

    def check_gitlab(self):
        recipe = "gitlab-ci.yml"
        doc = yaml.safe_load(self.read(recipe))
        jobs = {name: job for name, job in doc.items()
                if isinstance(job, dict) and "script" in job and not name.startswith(".")}
        self.expect(len(jobs) == 1, recipe, f"{len(jobs)} jobs, expected one")
        for name, job in jobs.items():
            rules = job.get("rules") or []
            self.expect(any(re.fullmatch(r'\$CI_PIPELINE_SOURCE\s*==\s*"schedule"',
                                         str(r.get("if", "")).strip()) for r in rules),
                        recipe, f"{name}: no rule 'if: $CI_PIPELINE_SOURCE == \"schedule\"'")
            self.expect(job.get("resource_group"), recipe, f"{name}: no resource_group")
            for block in (doc.get("variables") or {}, job.get("variables") or {}):
                self.expect("FRESHDESK_API_KEY" not in block, recipe,
                            "FRESHDESK_API_KEY is set in the file: it belongs in a masked "
                            "CI/CD variable")
            lines = []
            for key in ("before_script", "script", "after_script"):
                value = job.get(key) or []
                lines += value if isinstance(value, list) else [value]
            commands = []
            for line in lines:
                commands += self.shell_commands(str(line))
            applies = self.check_commands(recipe, commands)
            caches = job.get("cache") or doc.get("cache") or []
            caches = caches if isinstance(caches, list) else [caches]
            for state in self.state_dirs(recipe, commands):
                self.expect(not state.startswith("/"), recipe,
                            f"--state-dir {state}: GitLab caches only paths in the project "
                            "directory (a relative path)")
                kept = [c for c in caches if isinstance(c, dict)
                        and self.relative_inside(state, c.get("paths") or [])]
                if self.expect(kept, recipe, f"{name}: --state-dir {state} is in no cache: paths"):
                    for cache in kept:
                        self.expect(cache.get("policy", "pull-push") == "pull-push", recipe,
                                    f"{name}: the cache of {state} is not policy: pull-push")
                        self.expect(cache.get("key") and "$CI_PIPELINE" not in str(cache["key"])
                                    and "$CI_JOB" not in str(cache["key"]), recipe,
                                    f"{name}: the cache of {state} needs a fixed key")
            artifacts = job.get("artifacts") or {}
            self.expect(artifacts.get("when") == "always", recipe,
                        f"{name}: artifacts are not kept when: always")
            self.expect_artifacts(recipe, artifacts.get("paths") or [], applies)

    # ---- Kubernetes -------------------------------------------------------------------------

    def check_kubernetes(self):
        recipe = "kubernetes-cronjob.yaml"
        docs = [d for d in yaml.safe_load_all(self.read(recipe)) if d]
        by_kind = {}
        for d in docs:
            by_kind.setdefault(d.get("kind"), []).append(d)
        cronjobs = by_kind.get("CronJob", [])
        if not self.expect(len(cronjobs) == 1, recipe, f"{len(cronjobs)} CronJobs, expected one"):
            return
        cron = cronjobs[0]
        self.expect(cron.get("apiVersion") == "batch/v1", recipe, "the CronJob is not batch/v1")
        spec = cron.get("spec") or {}
        self.expect(len(str(spec.get("schedule", "")).split()) == 5, recipe,
                    "spec.schedule is not a 5-field cron")
        self.expect(spec.get("concurrencyPolicy") == "Forbid", recipe,
                    "spec.concurrencyPolicy is not Forbid")
        for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit"):
            self.expect(key in spec, recipe, f"no spec.{key}")
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        self.expect(job.get("backoffLimit") == 0, recipe,
                    "jobTemplate.spec.backoffLimit is not 0 (no blind retries)")
        pod = (job.get("template") or {}).get("spec") or {}
        self.expect(pod.get("restartPolicy") == "Never", recipe, "restartPolicy is not Never")
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        secrets = {d["metadata"]["name"]: d for d in by_kind.get("Secret", [])}
        configmaps = {d["metadata"]["name"]: d for d in by_kind.get("ConfigMap", [])}
        for secret in secrets.values():
            for key, value in {**(secret.get("stringData") or {}),
                               **(secret.get("data") or {})}.items():
                self.expect(re.search(r"replace|example|placeholder|changeme|<", str(value), re.I),
                            recipe, f"Secret key {key}: not an obvious placeholder")
        containers = pod.get("containers") or []
        self.expect(containers, recipe, "no container")
        for container in containers:
            self.expect(container.get("resources"), recipe, "the container has no resources")
            mounts = {m.get("mountPath"): m.get("name") for m in container.get("volumeMounts") or []}
            words = [str(w) for w in (container.get("command") or []) + (container.get("args") or [])]
            commands = self.commands_in_words(words)

            def volume_of(path):
                for mount_path, name in mounts.items():
                    if path == mount_path or path.startswith(mount_path.rstrip("/") + "/"):
                        return volumes.get(name) or {}
                return {}

            from_env = any(((e.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name")
                           in secrets for e in container.get("env") or []
                           if e.get("name") == "FRESHDESK_API_KEY")
            rules_text = None
            for args in commands:
                key_file = self.option_value(args, "--api-key-file")
                from_file = key_file and (volume_of(key_file).get("secret") or {}).get(
                    "secretName") in secrets
                self.expect(from_env or from_file, recipe,
                            "the API key comes neither from a secretKeyRef nor from a mounted "
                            "Secret of this file")
                rules = self.option_value(args, "--rules")
                source = (volume_of(rules or "").get("configMap") or {}).get("name")
                if self.expect(source in configmaps, recipe,
                               f"--rules {rules}: not from a ConfigMap of this file"):
                    text = (configmaps[source].get("data") or {}).get(os.path.basename(rules))
                    if self.expect(text, recipe, f"the ConfigMap has no {os.path.basename(rules)}"):
                        rules_text = text
            workdir = container.get("workingDir", "")
            state = volume_of(workdir)
            self.expect(workdir and ("persistentVolumeClaim" in state or "emptyDir" in state),
                        recipe, "workingDir (plans, journals) is not on a PVC or an emptyDir")
            self.check_commands(recipe, commands, rules_text)
            for path in self.state_dirs(recipe, commands):
                self.expect("persistentVolumeClaim" in volume_of(path), recipe,
                            f"--state-dir {path}: not on a PersistentVolumeClaim (an emptyDir "
                            "or the image's file system loses the archive index with the pod)")
            if rules_text:  # the ConfigMap's rules themselves, offline
                self.run_parser(recipe, ["validate-rules", "rules.json"], rules_text)

    # ---- README -----------------------------------------------------------------------------

    def check_readme(self):
        recipe = "README.md"
        text = self.read(recipe)
        for name in ("crontab", "gdpr-purge.service", "gdpr-purge.timer", "github-actions.yml",
                     "gitlab-ci.yml", "kubernetes-cronjob.yaml"):
            self.expect(name in text, recipe, f"{name} is not described")
        for code in ("0", "1", "4", "5", "6"):
            self.expect(re.search(rf"^\| {code} \|", text, re.M), recipe,
                        f"exit code {code} is not in the exit code table")

    # ---- the harness itself -----------------------------------------------------------------

    def self_test(self):
        """The parser check must be able to fail: a misspelled option must give a failure."""
        before = len(self.failures)
        rc = self.run_parser("self-test", ["apply", "--rules", "r.json", "--yes",
                                           "--max-deletionz", "200"])
        caught = len(self.failures) > before and rc == 2
        del self.failures[before:]
        self.expect(caught, "self-test", f"a misspelled option was not caught (exit {rc})")
        rc = self.run_parser("self-test", ["apply", "--rules", "r.json", "--yes",
                                           "--max-deletions", "200", "--domain", "acme",
                                           "--report", "/x/r.json",
                                           "--state-dir", "/nonexistent/x/state"])
        self.expect(rc in (4, 5), "self-test", f"a correct command gave exit {rc}")
        commands = self.shell_commands("cd /x && flock -n /l gdpr-purge apply --rules r \\\n"
                                       "  --yes || echo failed\n# gdpr-purge apply --no\n")
        self.expect(commands == [["apply", "--rules", "r", "--yes"]], "self-test",
                    f"shell_commands: {commands}")
        unit = self.parse_unit("[Service]\nA=1\nA=2\nB=x \\\n  y\n")
        self.expect(unit == {"Service": {"A": ["1", "2"], "B": ["x    y"]}}, "self-test",
                    f"parse_unit: {unit}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source-dir", required=True)
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    if not os.access(binary, os.X_OK):
        print(f"check_recipes.py: {binary}: not an executable", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="gp-deploy-") as work:
        checker = Checker(binary, os.path.abspath(options.source_dir), work)
        checker.self_test()
        for check in (checker.check_crontab, checker.check_systemd, checker.check_github,
                      checker.check_gitlab, checker.check_kubernetes, checker.check_readme):
            try:
                check()
            except (OSError, yaml.YAMLError, configparser.Error, ValueError, KeyError,
                    AttributeError, TypeError) as error:
                checker.fail(check.__name__.replace("check_", ""), f"cannot check: {error!r}")
    if checker.failures:
        print(f"{len(checker.failures)} problem(s) in docs/deploy/:")
        for failure in checker.failures:
            print(f"  {failure}")
        return 1
    print(f"docs/deploy/: every recipe checked, {checker.runs} command lines run through "
          "gdpr-purge's option parser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
