#!/usr/bin/env python3
"""Deterministic roster-scale corpus: N employees, each with a LinkedIn and an
X account (different handles), a few dated posts each, some offending, plus
a few unregistered accounts; and the roster that maps them.

    python3 benches/gen_roster.py --employees 10000 --out benches/data/roster10k
writes posts.jsonl and roster.csv into --out.
"""
import argparse
import json
import os
import random

CLEAN = [
    "Great turnout at the client forum today, thank you all.",
    "Rainy Monday, strong coffee, long to-do list.",
    "Proud of our volunteers planting trees this weekend.",
    "Reading a good book on the history of central banks.",
]
BAD = [
    "This fund offers guaranteed returns of 12% a year",
    "Risk-free income, you can't lose with this one!",
    "Call my client at +1 312 555 0199 about the account",
    "Love my new VitaLume, it cures insomnia #sleep",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, required=True)
    ap.add_argument("--posts-per-employee", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    teams = [f"Team {t:03d}" for t in range(max(1, a.employees // 50))]
    n = 0
    with open(os.path.join(a.out, "roster.csv"), "w") as roster, open(
        os.path.join(a.out, "posts.jsonl"), "w"
    ) as posts:
        roster.write("id,name,team,manager,region,accounts,start_date,training_completed\n")
        for i in range(a.employees):
            team = rng.choice(teams)
            trained = f"2026-0{rng.randrange(1, 10)}-15" if rng.random() < 0.5 else ""
            roster.write(
                f"E{i:06d},Employee {i},{team},Manager of {team},R{i % 7},"
                f"linkedin:emp{i}; x:@Emp{i}_x,2020-01-01,{trained}\n"
            )
            for k in range(a.posts_per_employee):
                platform, author = ("linkedin", f"emp{i}") if k % 2 == 0 else ("x", f"@Emp{i}_X")
                text = rng.choice(BAD) if rng.random() < 0.15 else rng.choice(CLEAN)
                n += 1
                posts.write(json.dumps({
                    "id": f"p{n}", "author": author, "platform": platform, "text": text,
                    "created_at": f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 29):02d}T10:00:00Z",
                }) + "\n")
        for u in range(max(1, a.employees // 1000)):
            n += 1
            posts.write(json.dumps({
                "id": f"p{n}", "author": f"stray{u}", "platform": "x", "text": rng.choice(CLEAN),
                "created_at": "2026-06-01T10:00:00Z",
            }) + "\n")


if __name__ == "__main__":
    main()
