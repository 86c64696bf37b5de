//! Regulated claims by family, in four languages, under the example firm's
//! policy: what a post says, whatever the words (issue wording, not rule text).

mod support;

use support::category_table;

const C: &str = "regulated-claim";

#[test]
fn promissory_and_no_risk_including_promises_made_with_a_negation() {
    category_table(
        C,
        &[
            ("Our fund is guaranteed to beat the index every year", true),
            ("This fund has never had a bad year and never will", true),
            (
                "Park your savings in the Income Fund, you literally can't lose",
                true,
            ),
            (
                "Zero risk and 7% income: that's our Harbor Select Portfolio",
                true,
            ),
            (
                "I personally guarantee your portfolio will grow with us",
                true,
            ),
            (
                "Ce fonds ne perd jamais, placement sans risque garanti",
                true,
            ),
            (
                "Con este fondo no puedes perder, rentabilidad garantizada",
                true,
            ),
            (
                "Mit diesem Fonds kann man nicht verlieren, garantierte Rendite",
                true,
            ),
            (
                "Returns are never guaranteed and every fund can lose value",
                false,
            ),
            ("Nothing is risk-free in investing, not even cash", false),
            ("Le rendement n'est jamais garanti", false),
            ("Ninguna inversión está libre de riesgo", false),
            ("Keine Geldanlage ist ohne Risiko", false),
        ],
    );
}

#[test]
fn predictions_with_a_figure_and_a_time() {
    category_table(
        C,
        &[
            ("The Brightwater Growth Fund will return 14% in 2027", true),
            ("Price target for $BWTR: $90 by September", true),
            ("This fund will double your money by 2030", true),
            ("Le Growth Fund va rapporter 12% l'an prochain", true),
            ("El fondo va a subir un 15% este año", true),
            ("Der Fonds wird 2027 mindestens 10% bringen", true),
            ("Nobody can predict where markets will be in 2027", false),
            ("Inflation averaged 3% a year over the decade", false),
        ],
    );
}

#[test]
fn testimonials_and_anecdotes_of_gains() {
    category_table(
        C,
        &[
            (
                "A client of mine turned $80k into $140k in the Growth Fund",
                true,
            ),
            ("My uncle tripled his money in Brightwater shares", true),
            (
                "One retiree went from $30k to $410k in our Income Fund",
                true,
            ),
            ("Mon client a doublé son capital avec notre fonds", true),
            ("Mi cliente duplicó su dinero con el fondo", true),
            ("Ein Kunde hat sein Geld mit dem Fonds verdoppelt", true),
            ("I made 40 pancakes for the fundraiser breakfast", false),
            ("We raised $18k for the food bank, up from $12k", false),
        ],
    );
}

#[test]
fn performance_and_rankings_need_standard_context() {
    category_table(
        C,
        &[
            ("Our Growth Fund beat the S&P 500 three years running", true),
            ("The Income Fund returned 11.4% last year 🔥", true),
            ("Harbor Select beat 85% of its peers this year", true),
            ("The #1 fund in its category, our Income Fund", true),
            ("El Growth Fund superó al mercado otra vez este año", true),
            (
                "The Growth Fund returned 7.1% over 1 year and 6.4% over 5 years. Past performance does not guarantee future results.",
                false,
            ),
            (
                "Few funds beat the market over long periods; fees matter",
                false,
            ),
        ],
    );
}

#[test]
fn exaggerated_comparisons() {
    category_table(
        C,
        &[
            (
                "The Income Fund is as safe as a bank deposit, and pays more",
                true,
            ),
            (
                "Better than bonds and no risk: our Harbor Select Portfolio",
                true,
            ),
            ("Safer than a savings account, that's the Income Fund", true),
            (
                "Bonds and savings accounts have different risks; ask an adviser",
                false,
            ),
        ],
    );
}

#[test]
fn claims_split_across_sentences_or_asked_and_answered() {
    category_table(
        C,
        &[
            (
                "Our income fund? 9% yearly. Each and every year. Guaranteed.",
                true,
            ),
            (
                "Worried about a crash? Not with the Harbor Select Portfolio. It never goes down.",
                true,
            ),
            (
                "VitaLume = best sleep of my life. Cures my insomnia every single night",
                true,
            ),
            (
                "Worried about a crash? Talk to your adviser about diversification.",
                false,
            ),
        ],
    );
}

#[test]
fn health_disease_claims_in_four_languages() {
    category_table(
        C,
        &[
            ("VitaLume prevents strokes", true),
            ("VitaLume cures the flu in 48 hours 🔥", true),
            ("No more migraines since I started taking VitaLume", true),
            ("CardioSense spots heart attacks before they strike", true),
            ("VitaLume is my weapon against seasonal depression", true),
            ("Les compléments VitaLume guérissent l'insomnie", true),
            ("VitaLume cura la ansiedad", true),
            ("VitaLume heilt Schlaflosigkeit", true),
            (
                "VitaLume supports restful sleep and helps you wind down",
                false,
            ),
            (
                "Researchers are working to cure cancer; proud to support the run",
                false,
            ),
        ],
    );
}

#[test]
fn medication_replacement_and_fda_status() {
    category_table(
        C,
        &[
            (
                "I stopped my blood pressure pills after a month of VitaLume",
                true,
            ),
            (
                "Throw out your sleeping pills, SleepWell Pro works better than prescriptions",
                true,
            ),
            ("VitaLume is nature's Ambien", true),
            ("VitaLume is FDA approved ✅", true),
            (
                "CardioSense is FDA cleared to notify you of irregular rhythms",
                false,
            ),
            (
                "VitaLume is a dietary supplement and is not FDA approved",
                false,
            ),
        ],
    );
}

#[test]
fn negation_that_knows_its_scope() {
    category_table(
        C,
        &[
            ("VitaLume won't cure anything, it's a vitamin", false),
            ("Returns are never guaranteed", false),
            ("With the Income Fund you won't ever lose a cent", true),
            ("This fund never loses money, trust me", true),
        ],
    );
}

#[test]
fn quotation_and_warning_context() {
    category_table(
        C,
        &[
            (
                "If anyone promises you guaranteed returns, walk away",
                false,
            ),
            (
                "A flyer offering 'guaranteed returns' on an investment is a red flag",
                false,
            ),
            (
                "If a stranger promises you guaranteed returns, it's a scam. Report it.",
                false,
            ),
            (
                "Arnaque : on vous promet un rendement garanti ? Fuyez.",
                false,
            ),
            ("My manager swears this fund can't lose 🙌", true),
        ],
    );
}

#[test]
fn non_financial_uses_are_not_investment_claims() {
    category_table(
        C,
        &[
            ("Guaranteed best tacos in town 🌮", false),
            ("A risk-free 14-day trial of a meal kit", false),
            (
                "Free shipping and guaranteed returns within 30 days on every order! #ad",
                false,
            ),
            ("I can't lose this last 5 pounds 😂", false),
            ("There's no such thing as a risk-free investment.", false),
        ],
    );
}
