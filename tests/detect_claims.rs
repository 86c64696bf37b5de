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

// Claims as shapes: the same families written in words no rule names.

#[test]
fn a_loss_denied_in_any_words() {
    category_table(
        C,
        &[
            (
                "Clients in the Income Fund will never see a loss, full stop",
                true,
            ),
            (
                "Not once has our Growth Fund posted a losing year. Not once.",
                true,
            ),
            ("Harbor Select: no drawdowns, no drama, just growth", true),
            (
                "Our Income Fund pays you every month regardless of what stocks do",
                true,
            ),
            (
                "Avec le Growth Fund, vous ne verrez jamais de pertes. Jamais.",
                true,
            ),
            ("Con el Income Fund tu dinero jamás va a bajar", true),
            (
                "Beim Income Fund gibt es keine Verlustjahre, das bleibt so",
                true,
            ),
            ("Every fund can have a losing year, ours included", false),
            ("I will never lose my love of spreadsheets 😅", false),
            (
                "Anyone who says a fund can never go down is selling something",
                false,
            ),
            ("Aucun fonds n'est à l'abri des pertes", false),
        ],
    );
}

#[test]
fn a_risk_question_answered_with_a_promise() {
    category_table(
        C,
        &[
            ("Can the Income Fund lose value? Nope. Ask me how.", true),
            (
                "Worried about a downturn?\n\nNot with Harbor Select. None at all.",
                true,
            ),
            ("Risque de perte avec le Growth Fund ? Aucun.", true),
            ("¿Riesgo con el Income Fund? Ninguno.", true),
            ("Risiko beim Growth Fund? Keins. Null.", true),
            (
                "Can the Income Fund lose value? Yes, like any fund. Read the prospectus.",
                false,
            ),
            (
                "Risk? Every investment has some; let's talk about yours.",
                false,
            ),
        ],
    );
}

#[test]
fn an_investment_compared_to_a_safe_deposit() {
    category_table(
        C,
        &[
            (
                "The Growth Fund is every bit as secure as your checking account",
                true,
            ),
            (
                "Harbor Select: same protection as a savings account, better returns",
                true,
            ),
            ("Le Income Fund, aussi sûr qu'un compte épargne", true),
            (
                "El Growth Fund es tan seguro como un depósito bancario",
                true,
            ),
            ("Der Income Fund ist genauso sicher wie Festgeld", true),
            (
                "The Income Fund is not as safe as an insured deposit and can lose value",
                false,
            ),
            ("Our new office is as secure as a bank vault 🔐", false),
        ],
    );
}

#[test]
fn a_figure_with_a_future() {
    category_table(
        C,
        &[
            ("My call: Harbor Select ends next year 12% higher", true),
            (
                "Put $5k in the Growth Fund now and it'll be $20k by the time you retire",
                true,
            ),
            ("$BWTR at $140 by March, write it down", true),
            (
                "Ma prédiction : le Growth Fund aura pris 18 % d'ici décembre",
                true,
            ),
            (
                "Mi pronóstico: el Income Fund dará un 9% el año que viene",
                true,
            ),
            (
                "Meine Prognose: Der Growth Fund wird bis Jahresende 20 % zulegen",
                true,
            ),
            (
                "Our fund's expense ratio will fall to 0.3% next year",
                false,
            ),
            (
                "Nobody can tell you where the Growth Fund will be in 2028",
                false,
            ),
            (
                "The Growth Fund returned 6% in 2025; past performance does not guarantee future results",
                false,
            ),
        ],
    );
}

#[test]
fn gains_told_as_stories_and_rankings() {
    category_table(
        C,
        &[
            (
                "A client of mine started with $40k in the Income Fund; today she has $71k",
                true,
            ),
            (
                "My brother put his savings in Harbor Select and is up 48% since spring",
                true,
            ),
            (
                "Harbor Select finished the year in the top 5% of balanced portfolios",
                true,
            ),
            (
                "Un client a investi 30 000 € dans le Growth Fund, aujourd'hui il a 52 000 €",
                true,
            ),
            (
                "Mi tía metió sus ahorros en el Growth Fund y ya ha ganado un 60%",
                true,
            ),
            (
                "Mein Kollege hat mit dem Growth Fund aus 20.000 € ganze 45.000 € gemacht",
                true,
            ),
            ("The S&P rose 3% this week on rate-cut hopes", false),
            ("Our app downloads are up 40% since launch 🎉", false),
            (
                "Growth Fund: 1-year 8.1%, 5-year 6.4%, 10-year 7.0% as of 30 June. Past performance does not guarantee future results.",
                false,
            ),
        ],
    );
}

#[test]
fn a_disease_and_what_the_product_did_to_it() {
    category_table(
        C,
        &[
            ("My eczema is gone since I started VitaLume", true),
            ("Asthma? SleepWell Pro fixed mine in a month", true),
            (
                "Not a single migraine this spring, thank you VitaLume",
                true,
            ),
            ("Depuis VitaLume, mon eczéma a disparu", true),
            (
                "Desde que uso CardioSense, ni un infarto en la familia",
                true,
            ),
            ("Seit VitaLume ist meine Migräne verschwunden", true),
            (
                "VitaLume supports restful sleep and helps you wind down",
                false,
            ),
            ("VitaLume doesn't treat eczema; see a dermatologist", false),
            (
                "VitaLume heilt keine Migräne, es ist ein Nahrungsergänzungsmittel",
                false,
            ),
        ],
    );
}

#[test]
fn medication_dropped_in_four_languages() {
    category_table(
        C,
        &[
            (
                "Swapped my sleeping pills for SleepWell Pro and never looked back",
                true,
            ),
            ("J'ai arrêté mes antidépresseurs grâce à VitaLume", true),
            (
                "Ya no tomo pastillas para dormir gracias a SleepWell Pro",
                true,
            ),
            ("Dank VitaLume brauche ich keine Schlaftabletten mehr", true),
            (
                "Never stop a medication without your doctor; VitaLume is a supplement",
                false,
            ),
        ],
    );
}
