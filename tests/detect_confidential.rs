//! Confidential information and personal data by family, under the example
//! firm's policy (issue wording, not rule text).

mod support;

use support::{brightwater, category_table, flags};

#[test]
fn codenames_in_every_form() {
    category_table(
        "confidential",
        &[
            ("Another late night on Project Nightjar 🌙", true),
            ("Standup for #ProjectNightjar moved to 9", true),
            ("project-nightjar retro this afternoon", true),
            ("Proj. Nightjar demo went really well", true),
            ("P. Nightjar milestone hit ahead of schedule", true),
            ("Orca Ledger cutover starts Friday night", true),
            ("Kestre1 pilot feedback is glowing", true),
            ("Nightjar beta ships to pilot clients next week", true),
        ],
    );
}

#[test]
fn ordinary_word_codenames_count_only_in_a_work_context() {
    category_table(
        "confidential",
        &[
            ("Saw a kestrel hunting over the field this morning", false),
            ("Orcas breaching by the ferry, incredible trip", false),
            ("We heard a nightjar at dusk on our camping trip", false),
            ("The Kestrel team ships the integration this sprint", true),
            ("Roadmap review for Orca with leadership today", true),
        ],
    );
}

#[test]
fn unannounced_deals_and_announced_ones() {
    category_table(
        "confidential",
        &[
            (
                "Signed the letter of intent for the Tulsa acquisition today 🤐 more soon",
                true,
            ),
            (
                "Due diligence on a Phoenix RIA this week, can't say more yet",
                true,
            ),
            (
                "To our soon-to-be colleagues in Austin: can't wait, stay tuned",
                true,
            ),
            (
                "Lettre d'intention signée pour un rachat à Lyon, pas encore public",
                true,
            ),
            ("Reading about the biggest mergers of the decade", false),
        ],
    );
    let engine = brightwater();
    let text = "The Northgate acquisition is done, welcome to 45 new colleagues";
    assert!(!flags(
        engine,
        "confidential",
        text,
        Some("2026-04-15T10:00:00Z")
    ));
}

#[test]
fn non_public_results_and_published_ones() {
    category_table(
        "confidential",
        &[
            (
                "Internal dashboard: net flows up 22% this quarter, don't forward",
                true,
            ),
            ("Q4 revenue is 9% over plan per the exec deck", true),
            (
                "Umsatz laut internem Dashboard 12% über Plan, bitte nicht weiterleiten",
                true,
            ),
            ("Our Q3 results were published today: revenue up 8%", false),
            ("Markets fell 2% today", false),
        ],
    );
}

#[test]
fn client_names_with_holdings() {
    category_table(
        "confidential",
        &[
            ("Helped the Garcias move $1.8M into the Income Fund", true),
            ("Client Anna Lee holds 3,000 shares of $BWTR", true),
            ("Mrs. Okafor's IRA just passed $700k", true),
            ("Helped three families plan for retirement this week", false),
        ],
    );
}

#[test]
fn personal_data_in_more_formats() {
    category_table(
        "privacy",
        &[
            ("My SSN is 508 43 1196", true),
            ("Send it to 27 Maple Ave, Salem MA 01970", true),
            ("Reach me at jane at gmail dot com", true),
            ("Account 5820-1147-9036 is all set", true),
            ("Call Dan at 312-555-0147 ext. 12", true),
            ("Ring her on +44 20 7946 0958", true),
            ("Her flat is at 14 Elm Grove, Leeds LS6 2AB", true),
            ("Bitte an Hauptstraße 12, 10115 Berlin schicken", true),
            ("Le client habite au 12 rue des Lilas, 75011 Paris", true),
        ],
    );
}

#[test]
fn what_is_not_personal_data() {
    category_table(
        "privacy",
        &[
            ("My office line is (415) 555-0142 if you want a demo", false),
            ("Call our official line (800) 555-0142", false),
            ("Press: PRESS@brightwater.example", false),
            ("Card ending in 4821 was declined", false),
            ("Routing number 021000021 for the wire", false),
            ("Conference runs 2026-03-14 to 2026-03-16", false),
            ("Tickets are $149 until Friday", false),
            ("Final score 102-98 in overtime", false),
            ("Find us at booth 212", false),
            ("$BWTR closed at 48.20", false),
        ],
    );
}

/// A client named with a figure in the ways advisers write it; a product's
/// name in the place of a person's, or a bird with an article, is not a leak.
#[test]
fn clients_and_their_money_and_what_only_looks_like_it() {
    category_table(
        "confidential",
        &[
            (
                "So proud of my client Dana Whitfield, whose IRA just hit $750k",
                true,
            ),
            ("Mme Laurent a placé 800 000 € sur son compte hier", true),
            (
                "Mr. Ostrowski, a retired welder I have advised for years, holds $2.1M with us",
                true,
            ),
            (
                "Priya Raman's portfolio is 70% in a single stock and she won't budge",
                true,
            ),
            (
                "Sam and Lena Fischer just moved $450k into the Income Fund",
                true,
            ),
            (
                "The Brightwater Growth Fund hit $12 per share this week",
                false,
            ),
            ("Harbor Select now has $3B in client assets", false),
            ("saw an orca off the coast this weekend 🐋", false),
            ("the team went outside to watch a kestrel hunting", false),
            ("New stickers for #kestrelproject just arrived", true),
        ],
    );
}

#[test]
fn overlapping_personal_data_is_reported_once_as_the_more_specific_kind() {
    // The IBAN's last digits also read as a phone number.
    for text in [
        "Pay into DE89 3704 0044 0532 0130 00 by Friday",
        "Wire it to GB82 WEST 1234 5698 7654 32 please",
    ] {
        let rules = support::rules(brightwater(), text);
        assert_eq!(rules, ["privacy.iban"], "{text}");
    }
    // Two separate numbers stay two findings.
    let rules = support::rules(
        brightwater(),
        "IBAN DE89 3704 0044 0532 0130 00, or call 312-555-0147",
    );
    assert_eq!(rules, ["privacy.iban", "privacy.phone-number"]);
}
