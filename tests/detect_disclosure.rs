//! Disclosure is owed for promotion, not for a mention, under the example
//! firm's policy (issue wording, not rule text).

mod support;

use support::category_table;

const D: &str = "disclosure";

#[test]
fn mentions_that_promote_nothing() {
    category_table(
        D,
        &[
            ("Brightwater is hiring engineers in Raleigh", false),
            (
                "Warm wishes for the holidays from the Brightwater family",
                false,
            ),
            ("Celebrating 7 years at Brightwater today", false),
            (
                "Brightwater Group reports third-quarter results on October 28",
                false,
            ),
            (
                "Scammers are impersonating Brightwater advisers; we never DM first. Report it.",
                false,
            ),
            (
                "Our Raleigh office is closed today because of the storm",
                false,
            ),
            ("Has anyone used SleepWell Pro with a smartwatch?", false),
            (
                "Three things to review before year end: contributions, RMDs, beneficiaries",
                false,
            ),
            (
                "300 Brightwater volunteers planted trees along the river today",
                false,
            ),
        ],
    );
}

#[test]
fn relationship_statements_disclose_in_four_languages() {
    category_table(
        D,
        &[
            (
                "I'm an advisor at Brightwater and I love the Brightwater Growth Fund",
                false,
            ),
            (
                "Thrilled to share that I've joined Brightwater as Head of Partnerships!",
                false,
            ),
            (
                "Proud to work at Brightwater Capital! Ask me about our 529 Plan",
                false,
            ),
            (
                "I've spent 8 years at Brightwater and VitaLume is the best thing we make",
                false,
            ),
            (
                "I run the design team at Brightwater Health, go download SleepWell Pro!",
                false,
            ),
            (
                "Je travaille chez Brightwater et j'adore SleepWell Pro, essayez-le !",
                false,
            ),
            (
                "Soy empleada de Brightwater. ¡Me encanta CardioSense, pruébalo!",
                false,
            ),
            (
                "Ich arbeite bei Brightwater – probiert VitaLume, es ist genial!",
                false,
            ),
        ],
    );
}

#[test]
fn promotions_without_a_disclosure() {
    category_table(
        D,
        &[
            (
                "Loving the new VitaLume flavour, everyone should try it 🍊",
                true,
            ),
            (
                "Download SleepWell Pro tonight, best sleep app out there",
                true,
            ),
            (
                "Register for our retirement income webinar, it's going to be great",
                true,
            ),
            ("Use my code ANA10 for 10% off VitaLume", true),
            (
                "J'adore CardioSense, le meilleur bracelet du marché !",
                true,
            ),
            ("¡Descarga SleepWell Pro, la mejor app para dormir!", true),
        ],
    );
}

#[test]
fn ambiguous_tags_and_look_alikes_do_not_disclose() {
    category_table(
        D,
        &[
            (
                "Loving CardioSense for my runs, best wearable ever #sp",
                true,
            ),
            (
                "VitaLume every morning, you need this #VitaLumeAmbassador",
                true,
            ),
            ("Try SleepWell Pro tonight, you'll love it #adulting", true),
            (
                "Best fund for new savers: the Growth Fund. Not financial advice!",
                true,
            ),
            ("#ad Try SleepWell Pro tonight, you'll love it", false),
            (
                "Try VitaLume, you'll love it #wellness #morning #energy #health #ad #sleep",
                false,
            ),
        ],
    );
}

/// A call to action in a sentence that promotes nothing (an app update, a job
/// post, results against plan) does not make a product named nearby a promotion;
/// a link to the offer does.
#[test]
fn a_cue_counts_only_in_a_promotional_sentence() {
    category_table(
        "disclosure",
        &[
            (
                "SleepWell Pro 4.1 is rolling out today. Update the app to version 4.1 to keep your sleep history.",
                false,
            ),
            (
                "CardioSense sales came in at 140% of plan this quarter, incredible work team",
                false,
            ),
            (
                "Two years at Brightwater this week. Grateful for brilliant colleagues.",
                false,
            ),
            (
                "The Income Fund, explained in two minutes 👉 brightwater.example/income",
                true,
            ),
            (
                "VitaLume sent me their new citrus flavour and it's so good",
                true,
            ),
            ("My neighbour sent me a photo of her new puppy 🐶", false),
            (
                "I'm on the SleepWell Pro design team, and the new wind-down mode is lovely",
                false,
            ),
        ],
    );
}
