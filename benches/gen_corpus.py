#!/usr/bin/env python3
"""Deterministic generator of large post corpora for benchmarks.

    python3 benches/gen_corpus.py --posts 1000000 --seed 42 --out benches/data/posts-1m.jsonl
    python3 benches/gen_corpus.py --corporate 100000 --seed 7 --out benches/data/corporate-100k.jsonl

About 250 bytes per post; 5,000 authors; a quarter of the posts carry emoji,
some are in other scripts; about 4% carry a violation phrase and about 5% copy
one of the official posts in corpus/corporate.jsonl.
"""
import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = (
    "team client plan market week quarter growth office project launch meeting coffee review call strategy "
    "report portfolio advice family savings goal retirement budget insight lesson customer partner event panel "
    "mentor career learning progress update morning afternoon weekend travel conference results analysis "
    "community volunteer charity future focus balance health energy habit routine success journey story"
).split()
VERBS = "shared joined built reviewed discussed celebrated learned finished started planned enjoyed presented".split()
EMOJI = ["🚀", "🎉", "👏", "💡", "📈", "🙌", "☕", "🌱", "✨", "💪", "👩‍💻", "🏃‍♀️"]
OTHER_SCRIPTS = ["東京オフィスのチームと素晴らしい一日", "شكرا لفريق دبي على العمل الرائع", "Отличная неделя с командой", "새로운 동료를 환영합니다"]
VIOLATIONS = [
    "guaranteed returns", "risk-free", "you can't lose", "will double your money", "beat the market",
    "VitaLume cures insomnia", "CardioSense is FDA approved", "clinically proven", "call me at (212) 555-0199",
    "email jane.doe@gmail.com", "Project Nightjar", "not yet announced", "Loving the new Brightwater Income Fund",
    "#collab", "guar4nteed returns", "12% a year guaranteed",
]


def sentence(rng):
    n = rng.randint(5, 11)
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randrange(1, n), rng.choice(VERBS))
    return " ".join(words).capitalize() + rng.choice([".", "!", ".", "."])


def post_text(rng, corporate):
    r = rng.random()
    if r < 0.05 and corporate:
        text = rng.choice(corporate)
        return rng.choice(["", "Great news! ", "Proud of the team 👇 "]) + text
    parts = [sentence(rng) for _ in range(rng.randint(1, 3))]
    if r < 0.09:
        parts.insert(rng.randrange(len(parts) + 1), f"Honestly, {rng.choice(VIOLATIONS)}.")
    if rng.random() < 0.25:
        parts.insert(rng.randrange(len(parts) + 1), " ".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3))))
    if rng.random() < 0.03:
        parts.append(rng.choice(OTHER_SCRIPTS))
    if rng.random() < 0.3:
        parts.append(" ".join("#" + rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 4))))
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=0)
    ap.add_argument("--corporate", type=int, default=0, help="write N corporate posts instead")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    official = [json.loads(l)["text"] for l in open(ROOT / "corpus" / "corporate.jsonl", encoding="utf-8")]
    authors = [f"employee{i:04d}" for i in range(5000)]
    with open(out, "w", encoding="utf-8", buffering=1 << 20) as f:
        if args.corporate:
            for i in range(args.corporate):
                text = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
                f.write(json.dumps({"id": f"corp-{i}", "author": "brightwater", "text": text}, ensure_ascii=False) + "\n")
        for i in range(args.posts):
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            rec = {
                "id": str(i),
                "author": rng.choice(authors),
                "text": post_text(rng, official),
                "platform": rng.choice(("linkedin", "x", "facebook", "instagram")),
                "created_at": f"2026-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
