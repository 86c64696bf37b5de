#!/usr/bin/env python3
"""Builds the sample corpus: corpus/corporate.jsonl and corpus/posts.jsonl.

Deterministic (fixed seed): the texts are hand-written fragments, the script
only assigns them to employees, platforms and dates. Run from the repository
root: python3 corpus/make_sample.py
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20261124)

CORPORATE = [
    "We are proud to announce that the Brightwater Income Fund now offers monthly distributions. Learn how it can fit a diversified retirement plan at brightwater.example/income #Brightwater",
    "Brightwater Capital is hiring 40 financial advisers across the Midwest this spring. If you care about long-term client relationships, we would love to meet you. brightwater.example/careers #LifeAtBrightwater",
    "Markets moved sharply this week as central banks signalled a slower path for rate cuts. Our strategists explain what it could mean for bond ladders and cash allocations in the latest Market Pulse.",
    "Meet CardioSense, the heart-rate wearable from Brightwater Health. CardioSense is FDA cleared to notify you of irregular rhythms that may suggest atrial fibrillation. Talk to your doctor about what is right for you.",
    "Today Dana Whitfield opened our annual client forum in Chicago with a simple message: plans beat predictions. Thank you to the 800 clients and partners who joined us in person and online.",
    "Saving for college starts with a plan. The Brightwater 529 Plan lets families invest for education with tax advantages. Read our guide to getting started at brightwater.example/529",
    "Our volunteers spent Saturday planting 1,200 trees along the Fox River with Green Rivers Alliance. Proud of the 300 employees and families who showed up in the rain. #BrightwaterCares",
    "VitaLume is our new daily supplement with vitamin D3, magnesium and B12, made to support energy and overall wellness. These statements have not been evaluated by the FDA. Available now at brightwater.example/vitalume",
    "Brightwater Group reports results for the third quarter on October 28. The earnings release and webcast details will be posted at invest.brightwater.example before the market opens.",
    "Our Harbor Select Portfolio team shares five questions to ask before you rebalance this year, from fees to taxes to your time horizon. Watch the short video on our channel.",
    "Happy holidays from all of us at Brightwater! Thank you to our clients, partners and colleagues for a remarkable year. We look forward to seeing you in the new year.",
    "SleepWell Pro, our sleep coaching app, now includes guided wind-down routines and a weekly sleep report. Download it today and build habits that support a good night's rest.",
    "We are honoured to be named one of the best places to work in financial services for the third year running. The credit belongs to our people. #LifeAtBrightwater",
    "Cybersecurity reminder: Brightwater will never ask for your password or one-time code by phone, text or e-mail. If something feels off, call us on the number on your statement.",
    "Our Women in Finance network hosted its first mentoring summit in Denver this week, pairing 120 early-career colleagues with senior leaders from across the firm.",
    "The Brightwater Growth Fund celebrates its tenth anniversary this month. Thank you to the portfolio managers and analysts who have stewarded it through every kind of market.",
    "New research from Brightwater Health: three in five adults say they sleep worse in winter. Our team shares simple evidence-based tips for better rest during the darker months.",
    "Raj Patel joins the Future of Finance panel at the Midwest Capital Summit on Thursday to discuss how advice is changing for the next generation of investors.",
    "Brightwater is expanding its Minneapolis office with 150 new roles in technology, operations and client service over the next two years. #LifeAtBrightwater #Hiring",
    "Thinking about retirement income? Join our free webinar on November 12 to learn how annuities, bonds and dividend strategies can work together. Register at brightwater.example/webinar",
    "We completed the transition of our client portal to the new Brightwater app. Log in with your existing credentials to see your accounts, documents and messages in one place.",
    "Congratulations to the 64 colleagues who earned their CFP designation this year. Your commitment to clients and to your own learning makes us all better.",
    "Brightwater Health is partnering with Lakeside Hospital on a community heart health day on May 3, with free blood pressure checks and talks from cardiologists.",
    "Our Market Pulse podcast is back for a new season. Episode one looks at what the housing market can tell us about consumer confidence. Listen wherever you get your podcasts.",
    "Financial wellness is wellness. This month our employee program offers free one-to-one sessions with a planner for every colleague and their family.",
    "Brightwater Capital has completed its acquisition of Northgate Advisors, announced in June. We welcome 45 new colleagues and their clients to the Brightwater family.",
    "Three things to review before year end: your retirement contributions, your required minimum distributions and your beneficiary designations. Your adviser can help.",
    "We are proud sponsors of the Lake Shore Marathon again this year. Look for the Brightwater cheer station at mile 18 and the hydration tent at the finish.",
    "CardioSense now syncs with more than 20 fitness apps. Update the CardioSense app to version 3.2 to connect your favourite tools and share reports with your care team.",
    "Our interns presented their summer projects to the leadership team today, from client onboarding redesigns to a new research dashboard. The future of this firm is bright.",
    "Brightwater is committed to net-zero operations by 2035. Our new sustainability report describes the progress we made this year and where we still have work to do.",
    "Investing involves risk, including the possible loss of principal. Our new guide explains how diversification and time horizon work together when markets are volatile.",
    "A big thank you to our client service team, who answered more than 50,000 calls during tax season with a satisfaction score of 94 percent. You make the difference.",
    "Join Brightwater Health at the Wellness Expo in Austin this weekend. Stop by booth 212 to try SleepWell Pro and meet our nutrition scientists.",
    "Our annual Giving Campaign raised 2.4 million dollars for 180 local charities chosen by employees, with every dollar matched by the Brightwater Foundation.",
    "New in the Brightwater app: goal tracking lets you see progress toward retirement, education and home savings goals side by side.",
    "We are opening applications for the Brightwater Scholars program, which supports first-generation college students studying finance, economics and data science.",
    "Brightwater Group has appointed Lena Hoffmann as Chief Technology Officer. Lena joins us from a career building secure, large-scale platforms in banking.",
    "Ten years ago three advisers opened our first office in Milwaukee. Today 6,000 colleagues serve clients in 40 states. Thank you for building this with us.",
    "Rates, inflation and elections: our chief strategist shares the three signals we are watching for the rest of the year in a new Market Pulse brief.",
    "Welcome to the 230 new graduates joining Brightwater this month. Orientation week starts today, and we cannot wait to see what you will build.",
    "Brightwater clients can now open a Harbor Select Portfolio account entirely online in about ten minutes, with an adviser available by video at every step.",
]

# X handles that differ from the employee's usual one: the roster maps the
# first two to their owners; @GraceLeeWealth is on no roster (unregistered).
X_HANDLES = {
    "maria.lopez": "@MariaLopezCFP",
    "james.chen": "@jchen_invests",
    "grace.lee": "@GraceLeeWealth",
}

EMPLOYEES = [
    # (author, profile, posts)
    ("maria.lopez", "clean_discloser", 20), ("james.chen", "clean_discloser", 18), ("aisha.khan", "clean_discloser", 16),
    ("tom.becker", "clean", 14), ("sofia.rossi", "clean", 15), ("daniel.kim", "clean_discloser", 17),
    ("emma.wilson", "one_error", 16), ("lucas.martin", "one_error", 14), ("olivia.brown", "one_error", 15),
    ("noah.garcia", "offender", 20), ("mia.johnson", "offender", 18), ("ethan.davis", "offender", 16),
    ("ava.miller", "reposter", 16), ("liam.moore", "reposter", 15), ("chloe.taylor", "reposter", 14),
    ("lena.schmidt", "german", 14), ("pierre.dubois", "french", 14), ("carmen.ruiz", "spanish", 14),
    ("yuki.tanaka", "clean", 12), ("omar.haddad", "clean", 12), ("grace.lee", "health", 18),
    ("ben.carter", "health", 16), ("nina.patel", "privacy", 15), ("sam.oconnor", "privacy", 14),
    ("zoe.evans", "confidential", 15), ("max.weber", "confidential", 14), ("ivy.nguyen", "obfuscator", 16),
    ("leo.fischer", "ambiguous", 16), ("ruby.hall", "buried", 15), ("adam.scott", "one_error", 14),
    ("hannah.wright", "clean_discloser", 15), ("kai.brooks", "newcomer", 3), ("isla.reid", "newcomer", 2), ("felix.meyer", "clean", 14), ("amara.obi", "clean_discloser", 16), ("ryan.park", "offender", 12),
    ("victor.silva", "offender", 17),
]

CLEAN = [
    "Great turnout at the Chicago client forum today. So many thoughtful questions about planning for retirement 👏",
    "We're hiring analysts in Minneapolis! DM me if you want to hear what the team is like.",
    "Five years at the firm this week. Grateful for mentors who took the time to teach me the craft.",
    "Spent the morning planting trees along the Fox River with colleagues. Muddy boots, full heart 🌳",
    "Reminder to myself and everyone: review your beneficiary designations once a year. It takes ten minutes.",
    "Finished my CFP exam prep course last night. Now the real studying starts 📚",
    "Our team ran the Lake Shore Marathon relay. Not fast, but we finished together 🏃‍♀️🏃",
    "Interesting panel today on how advice is changing for younger investors. Lots to think about.",
    "Coffee chat with our summer interns: their questions were sharper than mine at that age ☕",
    "Proud of my colleagues in client service who handled a record tax season with patience and care.",
    "Reading list for the weekend: two books on behavioural finance and one mystery novel for balance.",
    "Mentoring session with the Women in Finance network today. The best advice I heard: ask for the stretch project.",
    "Volunteered at the food bank with my team this afternoon. Small hours add up.",
    "Big thanks to our IT team for a smooth move to the new office. Everything just worked.",
    "Diversification is not exciting, and that is the point. Boring portfolios let people sleep at night.",
    "Welcome to all the new graduates starting this week! The first month is drinking from a firehose, and that's okay.",
    "Took my daughter to the science museum today. She wants to be an astronaut and an accountant 🚀",
    "Market volatility is a good time to revisit your plan, not to abandon it. Talk to whoever helps you with money.",
    "Our quarterly team offsite in Milwaukee: good food, honest conversations, a few bad jokes.",
    "Just passed ten thousand steps a day for a whole month. Small habits, big difference 💪",
    "Thank you to everyone who came to the charity quiz night. We raised enough to fund two scholarships!",
    "Learning Python on the weekends to automate my reporting. Day 12 and I already saved two hours a week.",
    "If you are thinking about a career change into finance, my inbox is open. Happy to share what I learned.",
    "Snowed in today, so the whole team joined the morning meeting from their kitchens ❄️",
    "Shoutout to our compliance team for the clearest training session I have ever attended.",
    "Attended a workshop on accessible design. Our client letters are about to get a lot easier to read.",
    "New year, new planner, same goal: listen more than I talk in client meetings.",
    "The best part of my job is the moment a client realises their plan actually works for them.",
    "Back from parental leave and so grateful for colleagues who kept everything running.",
    "Hosting a lunch-and-learn on estate planning basics for our operations colleagues next week.",
    "Sunset over the lake after a long day. Some days the commute is the best part 🌅",
    "My advice for new advisers: write things down, follow up within a day, and never overpromise.",
    "We celebrated Diwali in the office today with sweets from three different families. Delicious 🪔",
    "Finished a long project today. Time to celebrate with the team and a very large pizza 🍕",
    "Three questions I ask every new client: what keeps you up at night, what does a good year look like, and who else should be in the room?",
    "Took a pottery class this weekend. Turns out patience is a transferable skill.",
    "Honoured to speak to finance students at my old university today. The questions gave me hope.",
    "Rainy Monday, strong coffee, long to-do list. Let's go ☔",
    "A good reminder from today's training: past performance is no guarantee of future results, and clients deserve to hear it.",
    "Investments can lose value. That's why time horizon matters so much when we build a plan together.",
]

DISCLOSED_PROMO = [
    "#ad I work at Brightwater and I am genuinely excited about the Brightwater 529 Plan for families saving for college.",
    "I work at Brightwater: our new Harbor Select Portfolio onboarding takes ten minutes. Proud of the team that built it.",
    "#BrightwaterEmployee Happy to see the Brightwater Income Fund add monthly distributions. Ask your adviser if it fits your plan.",
    "Disclosure: I work for Brightwater. SleepWell Pro's new wind-down routines are what I use every night now 😴",
    "#ad #BrightwaterEmployee CardioSense now syncs with my running app. Nice update from our health team.",
    "Proud Brightwater employee here. The Brightwater Growth Fund turns ten this month, a milestone for the whole team.",
    "I work at Brightwater Health and I'm proud of VitaLume, our new daily supplement that supports overall wellness.",
]

UNDISCLOSED_PROMO = [
    "Loving the new Brightwater Income Fund! Everyone should look at it before year end 🙌",
    "Just set up the Brightwater 529 Plan for my niece. Best gift ever.",
    "VitaLume has been my morning routine for a month. Highly recommend!",
    "If you haven't tried SleepWell Pro yet, what are you waiting for? Game changer.",
    "CardioSense is the best wearable on the market, period ⌚",
    "Use my code SAVE20 on VitaLume this week only!",
    "The Harbor Select Portfolio is where I'd put my own money right now.",
    "Brightwater Growth Fund is having a great year. Just saying 📈",
]

AMBIGUOUS_PROMO = [
    "Loving the new SleepWell Pro routines #collab",
    "VitaLume keeps me going through long days ✨ #sp",
    "So happy with my CardioSense #ambassador",
    "Brightwater 529 Plan makes saving easy. Thanks @brightwater!",
    "New season of the Market Pulse podcast, check out the Brightwater Growth Fund episode #partner",
    "Morning routine: coffee, stretch, VitaLume #spon",
]

BURIED_PROMO = [
    "What a week. Long days, great conversations with clients about saving early for their kids, and a reminder of why I love this work. The Brightwater 529 Plan makes it simple to start. #ad",
    "VitaLume in my smoothie every morning 🍓 #wellness #morningroutine #healthyhabits #ad #energy",
    "Spent the weekend testing every setting on my new CardioSense during a trail run and honestly the battery life blew me away, two full days with GPS on and notifications. #sponsored",
    "SleepWell Pro helped me get back on track after travel 😴 #sleep #travel #jetlag #BrightwaterEmployee #rest",
]

FINANCE_CLAIMS = [
    "The Brightwater Growth Fund offers guaranteed returns of 12% a year. Message me to get started!",
    "Honestly the Harbor Select Portfolio is risk-free at this point. You can't lose.",
    "Invest with me and you will double your money by 2028 💰",
    "Our Income Fund will earn you 9% per year, easy.",
    "My clients made 30% last year with the Harbor Select Portfolio 🚀🚀",
    "This is a sure thing. $BWTR can only go up from here.",
    "We beat the market every single year. Call me.",
    "Guaranteed income for life, zero risk. DM me for details.",
    "Expect 15% annual returns with the right portfolio 📈",
    "Safe as a bank, but paying three times more. Ask me how.",
]

HEALTH_CLAIMS = [
    "VitaLume cured my insomnia in a week!! 🙌",
    "CardioSense is FDA approved, so you know it's accurate ❤️",
    "SleepWell Pro treats anxiety better than anything my doctor gave me.",
    "VitaLume prevents heart disease, tell your parents.",
    "Clinically proven: VitaLume doubles your energy ⚡",
    "This supplement reverses diabetes. VitaLume changed my dad's life.",
    "The only FDA-approved sleep tracker: SleepWell Pro",
]

HEALTH_OK = [
    "CardioSense is FDA cleared to notify you of irregular rhythms. Always talk to your doctor about your heart health.",
    "VitaLume supports overall wellness. It is not intended to treat, cure or prevent any disease.",
    "Great community heart health day with Lakeside Hospital. 300 free blood pressure checks!",
    "Our nutrition scientists reminded us that no supplement replaces sleep, food and movement.",
]

PRIVACY = [
    "Congrats to my client Jane Porter on retiring! Call her at (212) 555-0199 to say hi 🎉",
    "Can someone send the onboarding forms to david.morales@gmail.com? Thanks!",
    "Moved the funds to account number 44718823 this morning, all done.",
    "Client wired from IBAN GB82 WEST 1234 5698 7654 32, please confirm receipt.",
    "Found a card on the train: 4111 1111 1111 1111. Whose is it?",
    "Urgent: need the SSN 123-45-6789 re-entered in the system, it keeps failing.",
    "Reach our UK client desk via Tom on +44 20 7946 0958",
]

PRIVACY_OK = [
    "Questions about your account? Call our official line at +1 800 555 0142.",
    "Press inquiries: press@brightwater.example",
    "Investor relations: invest@brightwater.example or +1 800 555 0142",
]

CONFIDENTIAL = [
    "Late night on Project Nightjar again 🌙 Can't wait for you to see it.",
    "Huge news coming next month that is not yet announced 👀",
    "The Kestrel team just hit a big milestone!",
    "Sneak peek of our Q3 numbers (internal only): we crushed it.",
    "Load up on $BWTR before earnings, trust me.",
    "Orca Ledger demo went great today, under NDA so that's all I can say.",
]

OBFUSCATED = [
    "This fund offers guar4nteed returns, don't miss out",
    "g u a r a n t e e d returns on the Harbor Select Portfolio",
    "Totally r\u200bisk-free investing with me",
    "Our fund has gu\u0430ranteed returns 😉",
    "#GuaranteedReturns #Investing #Brightwater",
    "ｇｕａｒａｎｔｅｅｄ returns, ask me how",
    "VitaLume c-u-r-e-s insomnia, trust me",
]

GERMAN = [
    "Garantierte Rendite von 8% pro Jahr mit unserem Fonds! Schreibt mir.",
    "Tolles Teamevent heute in München. Danke an alle! 🍻",
    "Die Rendite ist nicht garantiert, aber ein langfristiger Plan hilft.",
    "VitaLume heilt Schlaflosigkeit, echt jetzt.",
    "Neue Kolleginnen und Kollegen im Frankfurter Büro, herzlich willkommen!",
]
FRENCH = [
    "Un placement sans risque avec un rendement garanti, contactez-moi !",
    "Belle journée de bénévolat avec l'équipe de Lyon 🌱",
    "Le rendement n'est jamais garanti : parlons de votre horizon de placement.",
    "VitaLume guérit l'insomnie, je vous le promets.",
    "Ravie d'accueillir nos nouveaux stagiaires à Paris cette semaine.",
]
SPANISH = [
    "Rentabilidad garantizada con nuestro fondo, escríbeme 📈",
    "Gran jornada con el equipo en Madrid, ¡gracias a todos!",
    "La rentabilidad nunca está garantizada; hablemos de tu plan.",
    "VitaLume cura el insomnio, de verdad.",
    "Bienvenidos a los nuevos compañeros de Barcelona 🎉",
]
NON_LATIN = [
    "東京オフィスのチームと素晴らしい一日を過ごしました 🎌",
    "شكرا لفريق دبي على العمل الرائع هذا الأسبوع",
    "新しい同僚を歓迎します！",
]

INTROS = ["Great news! ", "Proud of the team 👇 ", "Worth a read: ", "", "", "🎉 ", "Sharing this: "]
OUTROS = ["", "", " 🙌", " #proud", " Proud to be part of it.", " #finance #investing", " https://bit.ly/bw-news?utm_source=li"]
EDITS = [
    ("monthly distributions", "guaranteed monthly distributions of 8%"),
    ("diversified retirement plan", "risk-free retirement plan"),
    ("evidence-based tips", "clinically proven tips that cure insomnia"),
    ("support energy and overall wellness", "cure fatigue and prevent heart disease"),
]


def repost(rng, corporate):
    """A copy of a corporate post with the changes people make when relaying it."""
    post = rng.choice(corporate)
    text = post["text"]
    style = rng.random()
    if style < 0.25:
        words = text.split()
        text = " ".join(words[: max(8, int(len(words) * rng.uniform(0.72, 0.85)))])
    elif style < 0.45:
        text = text.lower()
    elif style < 0.6:
        text = text.replace(" #Brightwater", "").replace(" #LifeAtBrightwater", "")
    return rng.choice(INTROS) + text + rng.choice(OUTROS)


def edited_repost(rng, corporate):
    for _ in range(50):
        post = rng.choice(corporate)
        for old, new in EDITS:
            if old in post["text"]:
                return post["text"].replace(old, new)
    return corporate[0]["text"]


PROFILES = {
    # profile: weighted pools
    "clean": [(CLEAN, 10)],
    "clean_discloser": [(CLEAN, 7), (DISCLOSED_PROMO, 3)],
    "one_error": [(CLEAN, 14), (DISCLOSED_PROMO, 2)],
    "offender": [(CLEAN, 4), (FINANCE_CLAIMS, 3), (UNDISCLOSED_PROMO, 2), (PRIVACY, 1), ("repost", 1)],
    "reposter": [(CLEAN, 3), ("repost", 5), ("edited", 1), (DISCLOSED_PROMO, 1)],
    "german": [(GERMAN, 5), (CLEAN, 4)],
    "french": [(FRENCH, 5), (CLEAN, 4)],
    "spanish": [(SPANISH, 5), (CLEAN, 4)],
    "health": [(CLEAN, 4), (HEALTH_CLAIMS, 3), (HEALTH_OK, 2), (DISCLOSED_PROMO, 1)],
    "privacy": [(CLEAN, 5), (PRIVACY, 2), (PRIVACY_OK, 2)],
    "confidential": [(CLEAN, 5), (CONFIDENTIAL, 2), ("repost", 1)],
    "obfuscator": [(CLEAN, 4), (OBFUSCATED, 3), (FINANCE_CLAIMS, 1)],
    "ambiguous": [(CLEAN, 5), (AMBIGUOUS_PROMO, 3), (DISCLOSED_PROMO, 1)],
    "buried": [(CLEAN, 5), (BURIED_PROMO, 3), (DISCLOSED_PROMO, 1)],
    "newcomer": [(CLEAN, 3), (UNDISCLOSED_PROMO, 1)],
}
ONE_ERROR_POOL = FINANCE_CLAIMS[:3] + HEALTH_CLAIMS[:2] + PRIVACY[:2] + UNDISCLOSED_PROMO[:2]


def main():
    corporate = [
        {"id": f"corp-{i + 1:03d}", "author": "brightwater", "text": t, "platform": "linkedin",
         "created_at": f"2026-{(i % 11) + 1:02d}-{(i * 7) % 27 + 1:02d}T09:00:00Z",
         "url": f"https://www.linkedin.com/company/brightwater/posts/{i + 1}"}
        for i, t in enumerate(CORPORATE)
    ]
    posts = []
    platforms = ["linkedin"] * 5 + ["x"] * 3 + ["facebook", "instagram"]
    for author, profile, count in EMPLOYEES:
        pools = PROFILES[profile]
        used = set()
        one_error_at = rng.randrange(count) if profile == "one_error" else None
        for n in range(count):
            if n == one_error_at:
                text = rng.choice(ONE_ERROR_POOL)
            else:
                pool = rng.choices([p for p, _ in pools], weights=[w for _, w in pools])[0]
                if pool == "repost":
                    text = repost(rng, corporate)
                elif pool == "edited":
                    text = edited_repost(rng, corporate)
                else:
                    choices = [t for t in pool if t not in used] or pool
                    text = rng.choice(choices)
            used.add(text)
            month, day = rng.randrange(1, 12), rng.randrange(1, 29)
            posts.append({
                "author": author,
                "text": text,
                "platform": rng.choice(platforms),
                "created_at": f"2026-{month:02d}-{day:02d}T{rng.randrange(7, 21):02d}:{rng.randrange(60):02d}:00Z",
            })
    rng.shuffle(posts)
    for i, p in enumerate(posts):
        p["id"] = f"post-{i + 1:04d}"
    with open(HERE / "corporate.jsonl", "w", encoding="utf-8") as f:
        for c in corporate:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    with open(HERE / "posts.jsonl", "w", encoding="utf-8") as f:
        for p in posts:
            # A few employees post on X under a handle of their own (see roster.csv).
            author = X_HANDLES.get(p["author"], p["author"]) if p["platform"] == "x" else p["author"]
            rec = {"id": p["id"], "author": author, "text": p["text"], "platform": p["platform"], "created_at": p["created_at"]}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(posts)} posts by {len(EMPLOYEES)} employees, {len(corporate)} corporate posts")


if __name__ == "__main__":
    main()
