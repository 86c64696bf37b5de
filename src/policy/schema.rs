//! The TOML shapes of policies and rule packs, decoded by serde.
//!
//! Every struct denies unknown keys so a typo is an error, not a silently
//! ignored setting. Strings that later checks must locate carry a span.

use crate::finding::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A policy file: the organisation's names, the packs it includes and its settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub policy: PolicyMeta,
    /// Named phrase lists (`products = ["..."]`), referenced from rules as `{products}`.
    #[serde(default)]
    pub entities: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    pub rules: RuleOverrides,
    #[serde(default)]
    pub disclosure: DisclosureSettings,
    #[serde(default)]
    pub verbatim: VerbatimSettings,
    /// The ordered stage model, lowest stage first.
    #[serde(default, rename = "stage")]
    pub stages: Vec<StageDef>,
    /// Official corporate content, for verbatim-repost detection.
    #[serde(default, rename = "corporate")]
    pub corporate: Vec<CorporateSource>,
    /// News the firm has made public, and when: after that date a post about
    /// it is not confidential.
    #[serde(default, rename = "announcement")]
    pub announcements: Vec<AnnouncementDef>,
    /// Defaults for `postguard check` in a repository (`postguard.toml`).
    #[serde(default)]
    pub check: CheckConfig,
    /// The employee roster `scan` maps accounts to people with.
    #[serde(default)]
    pub roster: RosterSettings,
}

/// `[roster]`: who owns which accounts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RosterSettings {
    /// A roster CSV, relative to the policy file (`--roster` wins).
    pub path: Option<Spanned<String>>,
    /// Each account in the export that is on no roster is an error finding.
    pub unregistered_is_finding: bool,
}

impl PolicyFile {
    /// Whether the file carries repository settings for `check`.
    pub fn check_is_set(&self) -> bool {
        let c = &self.check;
        c.fail_on.is_some() || c.format.is_some() || !c.include.is_empty() || !c.exclude.is_empty()
    }
}

/// A `postguard.toml` that only configures `check` and points at a policy elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub check: CheckConfig,
}

/// Repository defaults for `check`; command-line flags override them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// The policy to use, relative to this file (only in a file without `[policy]`).
    pub policy: Option<Spanned<String>>,
    pub fail_on: Option<Severity>,
    /// `human`, `json`, `sarif`, `github` or `junit`.
    pub format: Option<String>,
    /// Globs of drafts to check when walking folders (default: every .txt and .md).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of paths never to check.
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Rule packs: a built-in pack's id (`"finra"`) or a path relative to the policy file.
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverrides {
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
}

/// Where a disclosure must sit to be seen (the FTC's "clear and conspicuous").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisclosureSettings {
    /// Characters shown before a platform's "…more" cut; a disclosure that
    /// starts after it is buried.
    pub visible_chars: usize,
    /// A disclosure inside a closing run of at least this many hashtags is buried.
    pub hashtag_wall: usize,
}

impl Default for DisclosureSettings {
    fn default() -> Self {
        // LinkedIn's feed cuts near 140 characters, Instagram's near 125.
        DisclosureSettings {
            visible_chars: 125,
            hashtag_wall: 4,
        }
    }
}

/// Thresholds of verbatim corporate reposting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VerbatimSettings {
    /// Share of the employee post's words that must be copied (0..1).
    pub min_similarity: f64,
    /// Fewer copied words than this is a quote or a stock phrase, not a repost.
    pub min_copied_words: usize,
    /// Share of the corporate post's words that must be copied (0..1): a
    /// relay carries most of the post (a truncated one at least 70%), while a
    /// sentence lifted from it ("Happy holidays from all of us!") does not.
    pub min_corporate_share: f64,
    /// Words per shingle of the index.
    pub shingle_words: usize,
}

impl Default for VerbatimSettings {
    fn default() -> Self {
        VerbatimSettings {
            min_similarity: 0.6,
            min_copied_words: 10,
            min_corporate_share: 0.5,
            shingle_words: 4,
        }
    }
}

/// What a plain copy of a source's posts means under this policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyMode {
    /// Pre-approved library: a plain copy is the compliant path; only edits are reported.
    Approved,
    /// Social selling: a plain copy is reported, inviting the employee's own voice.
    #[default]
    Coach,
    /// Copies of this source are not reported.
    Ignore,
}

/// `[[announcement]]`: a deal or result, public from `date` on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementDef {
    pub name: String,
    /// `2026-04-14` or an RFC 3339 time.
    pub date: Spanned<String>,
    /// Words that name it in a post ("Northgate").
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorporateSource {
    /// A file of corporate posts in any format `scan` reads, relative to the policy file.
    pub path: Spanned<String>,
    #[serde(default)]
    pub mode: CopyMode,
}

/// One stage of the maturity model. Every criterion given must hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub min_posts: Option<u64>,
    pub max_errors: Option<u64>,
    pub max_warnings: Option<u64>,
    /// Share of promotional posts that carry an accepted disclosure (0..1).
    pub min_disclosure_rate: Option<f64>,
    /// Share of posts copied verbatim from corporate content (0..1).
    pub max_verbatim_share: Option<f64>,
    /// Most findings allowed per category (`{ privacy = 0 }`).
    #[serde(default)]
    pub max_category: BTreeMap<String, u64>,
    /// Only the posts of the last N days before the scan's end count for
    /// this stage's criteria, so a stage lost to one slip can be earned back.
    pub window_days: Option<u32>,
    /// The roster must say the employee completed social media training.
    #[serde(default)]
    pub requires_training: bool,
}

/// A rule pack file in `rules/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    pub pack: PackMeta,
    /// Named phrase lists shared by the pack's rules; a policy entity of the same name replaces one.
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One declarative rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: Spanned<String>,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    /// Why the rule exists, for `explain`.
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub suggestion: Option<String>,
    /// The regulation or policy clause the rule enforces.
    #[serde(default)]
    pub reference: String,
    #[serde(rename = "match")]
    pub matcher: MatchDef,
    /// Negations, disclaimers and contexts that clear a match: one table or a list of them.
    #[serde(default, deserialize_with = "one_or_many")]
    pub unless: Vec<ExceptionDef>,
    /// Words that must be near a match for it to count (an investment context
    /// for a finance claim, a work context for a codename that is also a word).
    #[serde(default)]
    pub context: Option<ContextDef>,
    /// A match is cleared in a post dated on or after an `[[announcement]]`
    /// that the post names.
    #[serde(default)]
    pub public_once_announced: bool,
    #[serde(default)]
    pub examples: Examples,
}

/// What a rule matches. Phrases may hold `{list}` references to entities or pack lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum MatchDef {
    /// Any of these phrases, on the normalised words of the post.
    Phrases {
        phrases: Vec<String>,
        /// Extra spellings to generate for each phrase.
        #[serde(default)]
        variants: Option<Variants>,
    },
    /// Regular expressions, on the words view (default) or the text view.
    Regex {
        patterns: Vec<String>,
        #[serde(default)]
        view: View,
        /// A checksum a match must pass to count.
        #[serde(default)]
        validate: Option<Validator>,
        /// Lists of allowed values (`"{allowed_contacts}"`): a match equal to one is exempt.
        #[serde(default)]
        exempt: Vec<String>,
    },
    /// A phrase of `a` within `within` words of a phrase of `b`, in one sentence.
    Near {
        a: Vec<String>,
        b: Vec<String>,
        within: u32,
    },
    /// A post that mentions a `when` phrase must carry an `accepted` disclosure.
    Requires {
        when: Vec<String>,
        /// When given, a `when` phrase triggers only with one of these within
        /// `cue_sentences` sentences of it (a promotion, not a mention).
        #[serde(default)]
        cues: Vec<String>,
        #[serde(default)]
        cue_sentences: u32,
        /// Phrases that trigger on their own (a gift, a discount code).
        #[serde(default)]
        alone: Vec<String>,
        accepted: Vec<String>,
        #[serde(default)]
        ambiguous: Vec<String>,
        /// Which failure this rule reports.
        check: RequireCheck,
    },
    /// A copy of official corporate content (see the policy's `[verbatim]`).
    Verbatim { check: VerbatimCheck },
}

/// Which view of the text a regular expression runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// Lower-cased, folded words separated by single spaces (emoji and symbols gone).
    #[default]
    Words,
    /// The text with invisible characters removed and compatibility forms folded; case kept.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Validator {
    /// Card numbers: the Luhn checksum.
    Luhn,
    /// International bank account numbers: the ISO 13616 mod-97 checksum.
    Iban,
    /// US social security numbers: no 000/666/9xx area, no 00 group, no 0000 serial.
    Ssn,
    /// Phone numbers: 7 to 15 digits, not shaped like a date or a span of years.
    Phone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequireCheck {
    /// Neither an accepted nor an ambiguous disclosure.
    Missing,
    /// Only an ambiguous disclosure (`#sp`, `#collab`).
    Ambiguous,
    /// An accepted disclosure that is past the visible cut or in a closing hashtag wall.
    Buried,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerbatimCheck {
    /// The post is a copy of a corporate post.
    Copy,
    /// The post copies a corporate post but adds or changes words.
    Edit,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionDef {
    pub phrases: Vec<String>,
    /// Words between the exception and the match, in one sentence (unless
    /// `sentences` or `scope = "post"` widen it).
    #[serde(default = "default_exception_window")]
    pub within: u32,
    #[serde(default)]
    pub scope: Scope,
    /// Anywhere within this many sentences of the match, instead of `within` words.
    #[serde(default)]
    pub sentences: Option<u32>,
    /// Only an exception before (or after) the match clears it.
    #[serde(default)]
    pub side: Side,
}

/// Where an exception must stand relative to the match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    #[default]
    Either,
    Before,
    After,
    /// The exception opens the match itself: a product's name where the
    /// pattern expected a person's.
    Start,
}

/// Phrases that must occur near a match for it to count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextDef {
    pub phrases: Vec<String>,
    /// Within this many sentences of the match (0: the same sentence).
    #[serde(default = "default_context_window")]
    pub sentences: u32,
    /// `post`: anywhere in the post.
    #[serde(default)]
    pub scope: Scope,
}

fn default_context_window() -> u32 {
    1
}

/// Spellings generated from each phrase of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variants {
    /// Codenames: a leading generic word abbreviated ("Proj. Nightjar",
    /// "P. Nightjar"), and `1` read as `l` as well as `i` ("Kestre1").
    Codename,
}

/// `unless = { ... }` or `unless = [{ ... }, { ... }]`. Read through a
/// value (not an untagged enum) so an unknown key keeps its own message.
fn one_or_many<'de, D>(d: D) -> Result<Vec<ExceptionDef>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    let value = toml::Value::deserialize(d)?;
    if value.is_array() {
        Vec::<ExceptionDef>::deserialize(value).map_err(|e| D::Error::custom(e.message()))
    } else {
        ExceptionDef::deserialize(value)
            .map(|e| vec![e])
            .map_err(|e| D::Error::custom(e.message()))
    }
}

fn default_exception_window() -> u32 {
    4
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Sentence,
    Post,
}

/// Posts a rule must flag and posts it must leave alone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    #[serde(default, rename = "no_match")]
    pub must_not_match: Vec<String>,
    /// Official posts the examples are checked against (verbatim rules).
    #[serde(default)]
    pub corporate: Vec<String>,
}
