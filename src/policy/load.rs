//! Reading a policy and the packs it includes, and finding which policy applies.

use super::builtin;
use super::diagnostic::{Diagnostic, PolicyError, SourceFile, did_you_mean, from_toml_error};
use super::schema::{ConfigFile, PackFile, PolicyFile};
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A rule pack as loaded, with its source for locating problems.
#[derive(Debug, Clone)]
pub struct Pack {
    pub file: PackFile,
    pub source: Arc<SourceFile>,
    /// Embedded in the binary, and linted by its tests.
    pub builtin: bool,
}

/// A policy and its packs, parsed but not yet compiled.
#[derive(Debug, Clone)]
pub struct Policy {
    pub file: PolicyFile,
    pub source: Arc<SourceFile>,
    /// Where relative paths in the policy resolve from; `None` for the embedded default.
    pub base_dir: Option<PathBuf>,
    /// The folder of the `postguard.toml` that configured this run, if any;
    /// `[check]` globs are relative to it.
    pub config_dir: Option<PathBuf>,
    pub packs: Vec<Pack>,
}

/// How the policy in use was found, for messages and `--verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOrigin {
    Flag(PathBuf),
    Env(PathBuf),
    Discovered(PathBuf),
    Default,
}

impl fmt::Display for PolicyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyOrigin::Flag(p) => write!(f, "{} (--policy)", p.display()),
            PolicyOrigin::Env(p) => write!(f, "{} ($POSTGUARD_POLICY)", p.display()),
            PolicyOrigin::Discovered(p) => write!(f, "{}", p.display()),
            PolicyOrigin::Default => write!(f, "the built-in default policy"),
        }
    }
}

/// The policy file name looked up from the current directory upward.
pub const CONFIG_FILE: &str = "postguard.toml";

impl Policy {
    /// The embedded default policy.
    pub fn builtin_default() -> Result<Policy, PolicyError> {
        Policy::parse(
            SourceFile::new("<builtin>/default.toml", builtin::DEFAULT_POLICY),
            None,
        )
    }

    /// Reads a policy file and every pack it includes.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let (policy, diagnostics) = Policy::load_lenient(path)?;
        if diagnostics.is_empty() {
            Ok(policy)
        } else {
            Err(PolicyError { diagnostics })
        }
    }

    /// Parses a policy from memory; `base_dir` resolves included pack paths.
    pub fn parse(
        source: Arc<SourceFile>,
        base_dir: Option<PathBuf>,
    ) -> Result<Policy, PolicyError> {
        let (policy, diagnostics) = Policy::parse_lenient(source, base_dir)?;
        if diagnostics.is_empty() {
            Ok(policy)
        } else {
            Err(PolicyError { diagnostics })
        }
    }

    /// Like [`Policy::parse`], but a pack that cannot be loaded is left out and
    /// reported beside the policy, so `lint` can go on to find every other problem.
    pub fn parse_lenient(
        source: Arc<SourceFile>,
        base_dir: Option<PathBuf>,
    ) -> Result<(Policy, Vec<Diagnostic>), PolicyError> {
        let file: PolicyFile =
            toml::from_str(&source.text).map_err(|e| from_toml_error(&source, &e))?;
        let mut diagnostics = Vec::new();
        let mut packs = Vec::new();
        // Packs are independent TOML files, tens of kilobytes each: parsed
        // side by side, in include order.
        let loaded: Vec<_> = file
            .policy
            .include
            .par_iter()
            .map(|include| load_pack(include.get_ref(), base_dir.as_deref()))
            .collect();
        for (include, loaded) in file.policy.include.iter().zip(loaded) {
            match loaded {
                Ok(pack) => packs.push(pack),
                Err(PackError::Parse(d)) => diagnostics.push(d),
                Err(PackError::Missing(message, help)) => diagnostics.push(
                    Diagnostic::error(&source, include.span(), message)
                        .with_help(help)
                        .with_code("policy.unknown-pack"),
                ),
            }
        }
        let config_dir = file.check_is_set().then(|| base_dir.clone()).flatten();
        let policy = Policy {
            file,
            source,
            base_dir,
            config_dir,
            packs,
        };
        Ok((policy, diagnostics))
    }

    /// Reads a policy leniently (see [`Policy::parse_lenient`]).
    pub fn load_lenient(path: &Path) -> Result<(Policy, Vec<Diagnostic>), PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let file = SourceFile::new(path.display().to_string(), "");
            Diagnostic::error(&file, 0..0, format!("cannot read policy: {e}"))
        })?;
        let base = parent_dir(path);
        let source = SourceFile::new(path.display().to_string(), text);
        let is_config_only = toml::from_str::<toml::Table>(&source.text)
            .is_ok_and(|t| !t.contains_key("policy") && t.contains_key("check"));
        if !is_config_only {
            return Policy::parse_lenient(source, Some(base));
        }
        let config: ConfigFile =
            toml::from_str(&source.text).map_err(|e| from_toml_error(&source, &e))?;
        let (mut policy, diagnostics) = match &config.check.policy {
            Some(target) => {
                let target_path = base.join(target.get_ref());
                if !target_path.is_file() {
                    let d = Diagnostic::error(
                        &source,
                        target.span(),
                        format!("policy `{}` not found", target_path.display()),
                    );
                    return Err(d.with_code("policy.unknown-policy").into());
                }
                Policy::load_lenient(&target_path)?
            }
            None => (Policy::builtin_default()?, Vec::new()),
        };
        // The repository's own settings win over those of the policy it names.
        let mut check = config.check;
        check.policy = None;
        policy.file.check = check;
        policy.config_dir = Some(base);
        Ok((policy, diagnostics))
    }

    /// The file the policy lookup picks, without reading it (`None`: the default).
    pub fn locate(flag: Option<&Path>, env: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
        if let Some(path) = flag {
            return Some(path.to_path_buf());
        }
        if let Some(path) = env.filter(|p| !p.as_os_str().is_empty()) {
            return Some(path.to_path_buf());
        }
        cwd.ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|candidate| candidate.is_file())
    }

    /// The policy lookup of the contract: `--policy`, `$POSTGUARD_POLICY`,
    /// `postguard.toml` in `cwd` or a parent, else the embedded default.
    pub fn discover(
        flag: Option<&Path>,
        env: Option<&Path>,
        cwd: &Path,
    ) -> Result<(Policy, PolicyOrigin), PolicyError> {
        if let Some(path) = flag {
            return Ok((Policy::load(path)?, PolicyOrigin::Flag(path.to_path_buf())));
        }
        if let Some(path) = env.filter(|p| !p.as_os_str().is_empty()) {
            return Ok((Policy::load(path)?, PolicyOrigin::Env(path.to_path_buf())));
        }
        for dir in cwd.ancestors() {
            let candidate = dir.join(CONFIG_FILE);
            if candidate.is_file() {
                return Ok((
                    Policy::load(&candidate)?,
                    PolicyOrigin::Discovered(candidate),
                ));
            }
        }
        Ok((Policy::builtin_default()?, PolicyOrigin::Default))
    }
}

enum PackError {
    Parse(Diagnostic),
    Missing(String, Option<String>),
}

fn load_pack(include: &str, base_dir: Option<&Path>) -> Result<Pack, PackError> {
    let is_path = include.ends_with(".toml") || include.contains('/') || include.contains('\\');
    let builtin = !is_path;
    let source = if is_path {
        let path = match base_dir {
            Some(base) => base.join(include),
            None => PathBuf::from(include),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            PackError::Missing(format!("cannot read pack `{}`: {e}", path.display()), None)
        })?;
        SourceFile::new(path.display().to_string(), text)
    } else {
        let text = builtin::pack(include).ok_or_else(|| {
            let names = builtin::PACKS.iter().map(|(n, _)| *n);
            let help = match did_you_mean(include, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "built-in packs are {}; a path must end in `.toml`",
                    builtin::PACKS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            PackError::Missing(format!("unknown pack `{include}`"), Some(help))
        })?;
        SourceFile::new(format!("<builtin>/rules/{include}.toml"), text)
    };
    let file: PackFile =
        toml::from_str(&source.text).map_err(|e| PackError::Parse(from_toml_error(&source, &e)))?;
    Ok(Pack {
        file,
        source,
        builtin,
    })
}

/// The folder of a file, `.` for a bare file name.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
