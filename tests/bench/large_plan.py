#!/usr/bin/env python3
"""Writes a plan of N entries cloned from tests/data/plans/sample_v1.json (new contact and ticket
ids, ascending), for scripts/bench plan-memory. Usage: large_plan.py SAMPLE N OUT"""
import copy
import json
import sys


def main():
    sample_path, count, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(sample_path, encoding="utf-8") as f:
        plan = json.load(f)
    models = [e for e in plan["entries"] if e["steps"]]
    header = {k: v for k, v in plan.items() if k not in ("entries", "protected")}
    with open(out_path, "w", encoding="utf-8") as out:
        # The header keys in the plan's order, then the entries written one at a time.
        out.write(json.dumps(header)[:-1] + ', "entries": [')
        next_ticket = 1
        for i in range(count):
            entry = copy.deepcopy(models[i % len(models)])
            entry["contact_id"] = 1_000_000 + i
            renumber = {}
            for tid in entry["expect"]["ticket_ids"]:
                renumber[tid] = next_ticket
                next_ticket += 1
            entry["expect"]["ticket_ids"] = [renumber[t] for t in entry["expect"]["ticket_ids"]]
            for step in entry["steps"]:
                if "ticket_ids" in step:
                    step["ticket_ids"] = [renumber[t] for t in step["ticket_ids"]]
            out.write(("," if i else "") + json.dumps(entry))
        out.write('], "protected": []}\n')


if __name__ == "__main__":
    main()
