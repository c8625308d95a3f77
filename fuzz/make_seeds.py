#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (docs/fuzzing.md) into OUT/<target>/.

From the repository: tests/data/rules (valid and invalid) for fuzz_rules; tests/data/plans for
both plan readers; tests/data/accounts (the simulator's synthetic accounts) turned into the pages
Freshdesk answers (tickets, contacts, agents, groups, search results); the small hand-written seeds
of fuzz/seeds/<name>/ for fuzz_<name>; and every regression input of
tests/data/fuzz-regressions/<target>/, so that each campaign starts from the bugs found before.
"""
import json
import pathlib
import shutil
import sys


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    out = pathlib.Path(sys.argv[1])
    data = root / "tests" / "data"
    if out.exists():
        shutil.rmtree(out)

    def put(target: str, name: str, content: bytes) -> None:
        d = out / target
        d.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(content)

    def compact(value) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()

    for path in sorted((data / "rules").rglob("*.json")):
        put("fuzz_rules", path.parent.name + "-" + path.name, path.read_bytes())
    for path in sorted((data / "plans").glob("*.json")):
        put("fuzz_plan", path.name, path.read_bytes())
        put("fuzz_plan_stream", path.name, path.read_bytes())
    for path in sorted((data / "accounts").glob("*.json")):
        account = json.loads(path.read_text())
        stem = path.stem
        tickets = account.get("tickets", [])
        contacts = account.get("contacts", [])
        if tickets:
            put("fuzz_tickets", stem + "-page.json", compact(tickets[:20]))
            put("fuzz_tickets", stem + "-one.json", compact(tickets[0]))
        if contacts:
            put("fuzz_contacts", stem + "-page.json", compact(contacts[:20]))
            put("fuzz_contacts", stem + "-one.json", compact(contacts[0]))
            results = contacts[:30]
            put("fuzz_search", stem + ".json", compact({"total": len(contacts), "results": results}))
        for key in ("agents", "groups", "companies"):
            if account.get(key):
                put("fuzz_contacts", stem + "-" + key + ".json", compact(account[key]))
    for seeds in sorted((root / "fuzz" / "seeds").iterdir()):
        for path in sorted(seeds.iterdir()):
            put("fuzz_" + seeds.name, path.name, path.read_bytes())
    regressions = data / "fuzz-regressions"
    if regressions.is_dir():
        for target in sorted(regressions.iterdir()):
            for path in sorted(target.iterdir()):
                put(target.name, "regression-" + path.name, path.read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
