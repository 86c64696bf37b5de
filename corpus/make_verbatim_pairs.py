#!/usr/bin/env python3
"""Builds corpus/verbatim/pairs.jsonl: labelled employee posts against the
official posts of corpus/corporate.jsonl, for the verbatim accuracy test.

Labels: copy and edited are positives (they copy `corporate_id`); paraphrase,
quote, unrelated and generic are negatives. Deterministic (fixed seed).
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(5)
corporate = [json.loads(l) for l in open(HERE / "corporate.jsonl", encoding="utf-8")]

INTROS = ["Great news! ", "Proud of the team 👇 ", "Worth a read. ", "So excited to share this: ", "🎉🎉 "]
OUTROS = [" Proud to be part of it!", " 🙌🙌", " #proud #teamwork", " Link in comments.", " https://lnkd.in/abc?trk=share"]
SYNONYMS = {
    "proud": "happy", "announce": "share", "now": "today", "offers": "provides", "learn": "find out",
    "hiring": "recruiting", "new": "fresh", "today": "this morning", "team": "crew", "clients": "customers",
    "colleagues": "coworkers", "thank": "thanks", "join": "come to", "free": "no-cost", "week": "few days",
    "year": "twelve months", "our": "the", "we": "the firm", "your": "one's", "this": "that",
}
ORIGINAL = [
    "Spent the afternoon with a client who just retired after forty years as a nurse. We went through her plan line by line and she cried when she saw it all fit together. Days like this are why I do this job.",
    "Three lessons from my first year as an adviser: listen first, write everything down, and never promise what markets will do. The third one is the hardest when clients are nervous.",
    "Our team volunteered at the riverside cleanup this morning and pulled two trucks of rubbish out of the water. Cold hands, good people, great coffee afterwards.",
    "I keep getting asked how to start investing with a small amount. My honest answer: start with an emergency fund, then automate a little every month and leave it alone.",
    "Hosting a small workshop for first-time home buyers next Tuesday at the library. No sales pitch, just the questions you should ask before you sign anything.",
]


def decorate(text):
    t = text
    if rng.random() < 0.5:
        t = t.lower()
    if rng.random() < 0.5:
        t = t.replace(".", "!!", 1)
    if rng.random() < 0.5:
        words = t.split()
        i = rng.randrange(1, len(words))
        words.insert(i, rng.choice(["🚀", "💡", "👏", "✨"]))
        t = " ".join(words)
    return t


def paraphrase(text):
    sentences = [s.strip() for s in text.replace("!", ".").split(".") if s.strip()]
    rng.shuffle(sentences)
    out = []
    for s in sentences:
        words = s.split()
        new = []
        for i, w in enumerate(words):
            key = w.lower().strip(",")
            if key in SYNONYMS:
                new.append(SYNONYMS[key])
            elif i % 3 == 1:
                new.append("really " + w)
            else:
                new.append(w)
        out.append(" ".join(new))
    return ". ".join(out) + "."


def main():
    pairs = []
    for i, c in enumerate(corporate):
        t = c["text"]
        words = t.split()
        kind = i % 6
        if kind == 0:
            pairs.append(("copy", c["id"], t, "exact"))
        elif kind == 1:
            pairs.append(("copy", c["id"], rng.choice(INTROS) + decorate(t) + rng.choice(OUTROS), "intro/outro, case, emoji"))
        elif kind == 2:
            cut = int(len(words) * rng.uniform(0.7, 0.8))
            pairs.append(("copy", c["id"], " ".join(words[:cut]) + "…", "truncated"))
        elif kind == 3:
            no_tags = " ".join(w for w in words if not w.startswith(("#", "http")) and "/" not in w)
            pairs.append(("copy", c["id"], no_tags + " #finance #investing @brightwater https://bit.ly/3xYz?utm_source=linkedin", "tags and links changed"))
        elif kind == 4:
            j = rng.randrange(3, len(words) - 3)
            edited = words[:j] + ["guaranteed", "returns", "for", "everyone"] + words[j:]
            pairs.append(("edited", c["id"], " ".join(edited), "claim slipped in"))
        else:
            j = rng.randrange(2, len(words) - 2)
            edited = words[:j] + ["risk-free"] + words[j + 1:]
            pairs.append(("edited", c["id"], " ".join(edited), "word replaced"))
        # A negative for every corporate post too.
        neg = i % 4
        if neg == 0:
            pairs.append(("paraphrase", c["id"], paraphrase(t), "reworded"))
        elif neg == 1:
            start = rng.randrange(0, max(1, len(words) - 7))
            quote = " ".join(words[start:start + 6])
            pairs.append(("quote", c["id"], f"{rng.choice(ORIGINAL)} As our announcement put it, \"{quote}\", and I could not agree more. {rng.choice(ORIGINAL)}", "short quote in an original post"))
        elif neg == 2:
            pairs.append(("unrelated", c["id"], rng.choice(ORIGINAL), "original post"))
        else:
            pairs.append(("paraphrase", c["id"], paraphrase(t), "reworded"))
    # A second pass: plain relays with a personal line, and quotes.
    for i, c in enumerate(corporate):
        words = c["text"].split()
        if i % 2 == 0:
            pairs.append(("copy", c["id"], c["text"] + "\n\nSharing because I'm proud of this one.", "outro on its own line"))
        else:
            start = rng.randrange(0, max(1, len(words) - 5))
            pairs.append(("quote", c["id"], f"Loved this line from our page: \"{' '.join(words[start:start + 5])}\". {rng.choice(ORIGINAL)}", "quote of five words"))
    for g in ["Happy holidays from all of us!", "Thank you to our clients, partners and colleagues!", "Happy holidays from all of us at Brightwater!", "We look forward to seeing you in the new year.", "Happy holidays from all of us at Brightwater! Thank you"]:
        pairs.append(("generic", "corp-011", g, "stock phrase also in a corporate post"))
    with open(HERE / "verbatim" / "pairs.jsonl", "w", encoding="utf-8") as f:
        for n, (label, cid, text, note) in enumerate(pairs):
            f.write(json.dumps({"id": f"pair-{n + 1:03d}", "label": label, "corporate_id": cid, "text": text, "note": note}, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} pairs")


if __name__ == "__main__":
    main()
