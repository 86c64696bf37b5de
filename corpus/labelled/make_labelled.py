#!/usr/bin/env python3
"""Builds corpus/labelled/posts.jsonl, the labelled development set.

The base posts in base/*.tsv are written one by one, each with the categories
it truly violates under GUIDE.md (family, categories, text on a line). This
script adds only mechanical variants, with a fixed seed:

- obfuscated copies of some posts (homoglyphs, zero-width characters,
  leetspeak, spaced letters, fullwidth forms, camel-case hashtags), with the
  labels of the post they copy;
- reposts of the official posts in corpus/corporate.jsonl with small edits
  (case, punctuation, emoji, an intro or outro, a tracking link, hashtags,
  truncation), labelled verbatim-repost plus what the corporate text itself
  owes (a copy of a promotional post owes a disclosure; the corporate "we" is
  not one), and short quotes of them inside posts in an employee's own words.

Run from the repository root: python3 corpus/labelled/make_labelled.py
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEED = 20261124

AUTHORS = [
    "ana.morales", "ben.okafor", "carla.jensen", "dev.raman", "elena.petrova", "felix.braun",
    "grace.lin", "hugo.martin", "isabel.reyes", "jonas.weber", "kira.sato", "liam.walsh",
    "maya.cohen", "noah.fischer", "olivia.grant", "pablo.ortiz", "quinn.baker", "rosa.delgado",
    "sam.nguyen", "tara.obrien", "umar.haddad", "vera.kowalski", "will.turner", "xena.park",
    "yusuf.demir", "zoe.adams", "aaron.brooks", "bianca.rossi", "caleb.hughes", "diana.moreau",
    "ethan.cole", "fatima.zahra", "gina.russo", "henry.adler", "ivy.chen", "jack.dunn",
    "kate.moreno", "leo.schmidt", "mia.rahman", "nate.price", "omar.farouk", "paula.silva",
    "rafael.costa", "sara.lind",
]
PLATFORMS = ["linkedin", "linkedin", "x", "facebook", "instagram"]

# What a repost of each official post owes besides verbatim-repost, judged
# from GUIDE.md: posts that urge people to use, download, register for or
# invest in a product or resource promote it, so a copy needs a disclosure.
CORPORATE_OWES = {
    "corp-001": ["disclosure"],  # Income Fund: "Learn how it can fit ..."
    "corp-004": ["disclosure"],  # "Meet CardioSense", a product introduction
    "corp-006": ["disclosure"],  # 529 Plan: "Read our guide to getting started"
    "corp-008": ["disclosure"],  # VitaLume: "Available now at ..."
    "corp-010": ["disclosure"],  # Harbor Select video: "Watch the short video"
    "corp-012": ["disclosure"],  # SleepWell Pro: "Download it today"
    "corp-020": ["disclosure"],  # webinar: "Join ... Register at ..."
    "corp-024": ["disclosure"],  # podcast: "Listen wherever you get your podcasts"
    "corp-034": ["disclosure"],  # Wellness Expo: "Stop by booth 212 to try SleepWell Pro"
}

INTROS = ["Worth a read 👇", "Big news!", "Proud of this.", "Sharing from our page:", "ICYMI", "🎉🎉", "Great update from the team"]
OUTROS = ["👏", "🙌 #proud", "Check it out!", "💙", "#Finance #Wellness", "Link below.", "Congrats all!"]
OWN_WORDS = [
    "Spent the morning with a retired couple planning their first year without a paycheck. As our page put it, \"{q}\" That line stuck with me all day.",
    "My take after ten years in this job: clients want clarity more than predictions. Our page said it well: \"{q}\" I'd add: write your plan down.",
    "Coffee chat with my mentee about what makes a good week at work. She quoted our page, \"{q}\", and then told me about her first client meeting. Proud moment.",
    "Rainy commute, long to-do list, and a quote from our page on my sticky note: \"{q}\" Small reminders matter.",
    "I don't usually share company posts, but one sentence caught me: \"{q}\" It reminded me of my grandfather, who saved every nickel for forty years.",
    "Team offsite recap: we argued about sports, ate too much, and someone read out \"{q}\" in a very dramatic voice. Good day.",
]


def read_base():
    posts = []
    for path in sorted((HERE / "base").glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            family, categories, text = line.split("\t")
            cats = [] if categories == "-" else categories.split(",")
            posts.append({
                "family": family,
                "categories": sorted(cats),
                "text": text.replace("\\n", "\n"),
                "note": f"{path.name}:{number}",
            })
    return posts


def stamp(rng, post, index, prefix):
    post["id"] = f"{prefix}-{index:04d}"
    post["author"] = rng.choice(AUTHORS)
    post["platform"] = rng.choice(PLATFORMS)
    month, day = rng.randint(1, 11), rng.randint(1, 28)
    post["created_at"] = f"2026-{month:02d}-{day:02d}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:00Z"
    return post


# --- obfuscation families ---------------------------------------------------

HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def words_of(text, minimum):
    out, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isalpha():
            start = i if start is None else start
        else:
            if start is not None and i - start >= minimum:
                out.append((start, i))
            start = None
    return out


def replace_spans(text, spans, fn):
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + fn(text[start:end]) + text[end:]
    return text


def homoglyph(word, rng):
    return "".join(HOMOGLYPHS.get(c, c) if rng.random() < 0.6 else c for c in word)


def zero_width(word, rng):
    mid = len(word) // 2
    return word[:mid] + rng.choice(["\u200b", "\u200c", "\u200d", "\u2060"]) + word[mid:]


def leet(word, rng):
    chars = list(word)
    inner = [i for i in range(1, len(chars) - 1) if chars[i].lower() in LEET]
    for i in rng.sample(inner, min(2, len(inner))):
        chars[i] = LEET[chars[i].lower()]
    return "".join(chars)


def spaced(word, rng):
    return rng.choice([" ", "-", "."]).join(word)


def fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def obfuscate(post, kind, rng):
    text = post["text"]
    long_words = words_of(text, 5)
    if kind == "fullwidth":
        return fullwidth(text)
    if kind == "zero-width":
        picks = rng.sample(long_words, min(3, len(long_words)))
        return replace_spans(text, picks, lambda w: zero_width(w, rng))
    if kind == "homoglyph":
        picks = rng.sample(long_words, min(4, len(long_words)))
        return replace_spans(text, picks, lambda w: homoglyph(w, rng))
    if kind == "leetspeak":
        picks = rng.sample(long_words, min(2, len(long_words)))
        return replace_spans(text, picks, lambda w: leet(w, rng))
    if kind == "spaced":
        picks = rng.sample(long_words, min(1, len(long_words)))
        return replace_spans(text, picks, lambda w: spaced(w, rng))
    if kind == "camel-hashtag":
        spans = words_of(text, 2)
        if len(spans) < 3:
            return None
        first = rng.randrange(0, len(spans) - 2)
        start, end = spans[first][0], spans[first + 2][1]
        words = text[start:end].split()
        if any(not w.isalpha() for w in words):
            return None
        return text[:start] + "#" + "".join(w[:1].upper() + w[1:] for w in words) + text[end:]
    raise ValueError(kind)


def obfuscated_variants(base, rng):
    kinds = ["homoglyph", "zero-width", "leetspeak", "spaced", "fullwidth", "camel-hashtag"]
    # Numbers and addresses are disguised by width and invisible characters,
    # not by leetspeak or spacing, which would change the digits themselves.
    number_kinds = ["fullwidth", "zero-width", "homoglyph"]
    chosen = [p for p in base if p["categories"]]
    chosen = rng.sample(chosen, 150) + rng.sample([p for p in base if not p["categories"]], 25)
    out = []
    for post in chosen:
        kind = rng.choice(number_kinds if "privacy" in post["categories"] else kinds)
        text = obfuscate(post, kind, rng)
        if text is None or text == post["text"]:
            continue
        out.append({
            "family": f"{post['family']}+obfuscated/{kind}",
            "categories": post["categories"],
            "text": text,
            "note": f"obfuscated copy of {post['id']}",
        })
    return out


# --- reposts of corporate posts -----------------------------------------------

def edit(text, kind, rng):
    words = text.split()
    if kind == "exact":
        return text
    if kind == "lower":
        return text.lower()
    if kind == "intro":
        return f"{rng.choice(INTROS)} {text}"
    if kind == "outro":
        return f"{text} {rng.choice(OUTROS)}"
    if kind == "link":
        return f"{text} https://bit.ly/{rng.randrange(16**6):06x}?utm_source=employee"
    if kind == "hashtags":
        kept = [w for w in words if not w.startswith("#")]
        return " ".join(kept) + " " + rng.choice(["#Investing #Retirement", "#Wellness #Health", "#Careers", "#ProudEmployee"])
    if kind == "truncate":
        cut = max(8, int(len(words) * rng.uniform(0.7, 0.9)))
        return " ".join(words[:cut]) + "…"
    if kind == "punctuation":
        return "".join(c for c in text if c not in ".,!?:;\"'")
    if kind == "emoji":
        return " ".join(w + (" " + rng.choice(["🚀", "💡", "🙌", "✨"]) if i % 9 == 8 else "") for i, w in enumerate(words))
    raise ValueError(kind)


def reposts(corporate, rng):
    kinds = ["exact", "lower", "intro", "outro", "link", "hashtags", "truncate", "punctuation", "emoji"]
    out = []
    for i in range(120):
        corp = corporate[i % len(corporate)]
        kind = kinds[(i // len(corporate) + i) % len(kinds)]
        if rng.random() < 0.35:
            kind2 = rng.choice(kinds)
            text = edit(edit(corp["text"], kind, rng), kind2, rng)
            kind = f"{kind}+{kind2}"
        else:
            text = edit(corp["text"], kind, rng)
        out.append({
            "family": f"verbatim/{kind.split('+')[0]}",
            "categories": sorted(["verbatim-repost", *CORPORATE_OWES.get(corp["id"], [])]),
            "text": text,
            "note": f"copy of {corp['id']} ({kind})",
        })
    return out


def quotes(corporate, rng):
    """A sentence of an official post inside a post in the employee's own words."""
    out = []
    for i in range(30):
        corp = corporate[(i * 7) % len(corporate)]
        first = corp["text"].split(". ")[0].rstrip(".")
        words = first.split()
        if len(words) > 12:
            first = " ".join(words[:12])
        out.append({
            "family": "hard-negative/short-quote",
            "categories": [],
            "text": OWN_WORDS[i % len(OWN_WORDS)].format(q=first),
            "note": f"quotes {corp['id']}",
        })
    return out


def main():
    rng = random.Random(SEED)
    base = read_base()
    for i, post in enumerate(base, 1):
        stamp(rng, post, i, "b")
    corporate = [json.loads(l) for l in (ROOT / "corpus/corporate.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    variants = obfuscated_variants(base, rng)
    for i, post in enumerate(variants, 1):
        stamp(rng, post, i, "o")
    copies = reposts(corporate, rng)
    for i, post in enumerate(copies, 1):
        stamp(rng, post, i, "v")
    quoted = quotes(corporate, rng)
    for i, post in enumerate(quoted, 1):
        stamp(rng, post, i, "q")
    posts = base + variants + copies + quoted
    keys = ["id", "author", "text", "platform", "created_at", "categories", "family", "note"]
    with open(HERE / "posts.jsonl", "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps({k: p[k] for k in keys}, ensure_ascii=False) + "\n")
    counts = {}
    for p in posts:
        for c in p["categories"]:
            counts[c] = counts.get(c, 0) + 1
    clean = sum(1 for p in posts if not p["categories"])
    print(f"{len(posts)} posts by {len({p['author'] for p in posts})} authors, {clean} clean ({clean / len(posts):.0%})")
    for c in sorted(counts):
        print(f"  {c}: {counts[c]}")


if __name__ == "__main__":
    main()
