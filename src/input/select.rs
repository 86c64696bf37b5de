//! Which files a scan reads and how: folders walked for export files, and
//! `--map`/`--author` given for every input or for one input.
//!
//! `--map INPUT:FIELD=COLUMN,...` and `--author INPUT:ID` apply to one input
//! when `INPUT` is a path named on the command line, or a file or folder
//! inside a folder named there; any other value applies to every input. A
//! prefix counts only when it names such a path, so `=` and `:` in file and
//! column names are never misread.

use super::format::InputFormat;
use super::open::{ColumnMap, ReadOptions};
use std::path::{Path, PathBuf};

/// A file to read, with the options that apply to it.
#[derive(Debug, Clone)]
pub struct Selected {
    pub path: PathBuf,
    pub opts: ReadOptions,
}

/// What a scan reads.
#[derive(Debug, Default)]
pub struct Selection {
    pub files: Vec<Selected>,
    /// Files in walked folders that are not exports postguard reads, with why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Inputs that could not be walked, or held no export file.
    pub errors: Vec<super::InputError>,
}

/// A `--map` or `--author` value, for every input (`at: None`) or for the
/// inputs at or under a path.
#[derive(Debug, Clone)]
struct Scoped<T> {
    at: Option<PathBuf>,
    value: T,
}

/// Expands `inputs` (folders walked, except the folders in `exclude`, such
/// as the report folder) and resolves each file's options from `base` and
/// the raw `--map` and `--author` values. An error is a usage error.
pub fn select(
    inputs: &[PathBuf],
    maps: &[String],
    authors: &[String],
    base: &ReadOptions,
    exclude: &[PathBuf],
) -> Result<Selection, String> {
    let roots: Vec<Option<PathBuf>> = inputs.iter().map(|p| canonical(p)).collect();
    let mut map_specs = Vec::new();
    for raw in maps {
        let (at, rest) = scope(raw, inputs, &roots);
        let value: ColumnMap = rest.parse().map_err(|e: String| {
            // `PATH:FIELD=COLUMN` whose PATH names no input.
            let path = rest
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| rest[i + 1..].parse::<ColumnMap>().is_ok());
            match (&at, path) {
                (None, Some(i)) => format!(
                    "--map {raw}: `{}` is not an input, nor a file or folder in one; \
                     INPUT:FIELD=COLUMN needs INPUT as given on the command line",
                    &rest[..i]
                ),
                _ => format!("--map {raw}: {e}"),
            }
        })?;
        map_specs.push(Scoped { at, value });
    }
    let mut author_specs = Vec::new();
    for raw in authors {
        let (at, rest) = scope(raw, inputs, &roots);
        if rest.trim().is_empty() {
            return Err(format!("--author {raw}: no author id"));
        }
        if at.is_none() && author_specs.iter().any(|s: &Scoped<String>| s.at.is_none()) {
            return Err(format!(
                "--author {raw}: an author for every input is already given; \
                 give one per input with --author INPUT:ID"
            ));
        }
        author_specs.push(Scoped {
            at,
            value: rest.to_string(),
        });
    }
    let default_map = map_specs
        .iter()
        .filter(|s| s.at.is_none())
        .fold(None, |all: Option<ColumnMap>, s| {
            Some(all.map_or_else(|| s.value.clone(), |a| a.then(&s.value)))
        });

    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| canonical(p)).collect();
    let mut selection = Selection::default();
    for input in inputs {
        if input.is_dir() {
            let walk_opts = WalkOptions {
                map_specs: &map_specs,
                author_specs: &author_specs,
                base,
                default_map: &default_map,
                exclude: &exclude,
            };
            walk(input, &mut selection, &walk_opts);
        } else {
            let mut opts = resolve(input, &map_specs, &author_specs, base);
            opts.default_map = default_map.clone();
            selection.files.push(Selected {
                path: input.clone(),
                opts,
            });
        }
    }
    Ok(selection)
}

struct WalkOptions<'a> {
    map_specs: &'a [Scoped<ColumnMap>],
    author_specs: &'a [Scoped<String>],
    base: &'a ReadOptions,
    default_map: &'a Option<ColumnMap>,
    /// Canonical folders not to enter.
    exclude: &'a [PathBuf],
}

fn walk(dir: &Path, selection: &mut Selection, w: &WalkOptions<'_>) {
    let (map_specs, author_specs, base, default_map) =
        (w.map_specs, w.author_specs, w.base, w.default_map);
    let mut found = 0;
    let exclude = w.exclude.to_vec();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && canonical(entry.path()).is_some_and(|c| exclude.contains(&c)))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                selection.errors.push(super::InputError {
                    file: dir.display().to_string(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let mut opts = resolve(&path, map_specs, author_specs, base);
        opts.default_map = default_map.clone();
        match export_by_name(&path) {
            Some(InputFormat::Csv) if opts.map.is_none() && default_map.is_none() => {
                selection.skipped.push((
                    path,
                    "a CSV other than Shares.csv is read from a folder only with a --map for it"
                        .into(),
                ));
            }
            Some(format) => {
                found += 1;
                opts.format = Some(format);
                if format.platform().is_some() && format != InputFormat::LinkedinShares {
                    // A folder's mapping is for its CSV and JSONL files.
                    opts.map = None;
                }
                selection.files.push(Selected { path, opts });
            }
            None => selection
                .skipped
                .push((path, "not an export file postguard reads".into())),
        }
    }
    if found == 0 {
        selection.errors.push(super::InputError {
            file: dir.display().to_string(),
            message: "no export file in this folder (JSONL, Shares.csv, tweets.js, \
                      your_posts_*.json, posts_*.json, or a CSV given a --map)"
                .into(),
        });
    }
}

/// The format of a file found in a folder, from its name alone: a folder of
/// exports holds many files that are not posts (connections, likes, messages).
pub fn export_by_name(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let numbered = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        return Some(InputFormat::Jsonl);
    }
    if name == "shares.csv" {
        return Some(InputFormat::LinkedinShares);
    }
    if name.ends_with(".csv") {
        return Some(InputFormat::Csv);
    }
    if let Some(stem) = name.strip_suffix(".js") {
        let part = stem
            .strip_prefix("tweets")
            .or_else(|| stem.strip_prefix("tweet"))?;
        return (part.is_empty() || part.strip_prefix("-part").is_some_and(numbered))
            .then_some(InputFormat::TwitterArchive);
    }
    let stem = name.strip_suffix(".json")?;
    if stem.starts_with("your_posts") {
        return Some(InputFormat::FacebookPosts);
    }
    stem.strip_prefix("posts_")
        .filter(|n| numbered(n))
        .map(|_| InputFormat::InstagramPosts)
}

/// The options of one file: the per-input `--map`s that cover it, least
/// specific first so the nearest wins field by field, and the nearest `--author`.
fn resolve(
    file: &Path,
    map_specs: &[Scoped<ColumnMap>],
    author_specs: &[Scoped<String>],
    base: &ReadOptions,
) -> ReadOptions {
    let here = canonical(file).unwrap_or_else(|| file.to_path_buf());
    let covers = |at: &Option<PathBuf>| at.as_ref().is_some_and(|at| here.starts_with(at));
    let depth = |at: &Option<PathBuf>| at.as_ref().map_or(0, |p| p.components().count());
    let mut maps: Vec<&Scoped<ColumnMap>> = map_specs.iter().filter(|s| covers(&s.at)).collect();
    maps.sort_by_key(|s| depth(&s.at));
    let map = maps.iter().fold(None, |acc: Option<ColumnMap>, s| {
        Some(acc.map_or_else(|| s.value.clone(), |a| a.then(&s.value)))
    });
    let author = author_specs
        .iter()
        .filter(|s| covers(&s.at))
        .max_by_key(|s| depth(&s.at))
        .or_else(|| author_specs.iter().find(|s| s.at.is_none()))
        .map(|s| s.value.clone())
        .or_else(|| base.author.clone());
    ReadOptions {
        map,
        author,
        ..base.clone()
    }
}

/// Splits `INPUT:REST` when INPUT names an input or a path inside a folder
/// input (the longest such prefix); otherwise the whole value is REST.
fn scope<'a>(
    raw: &'a str,
    inputs: &[PathBuf],
    roots: &[Option<PathBuf>],
) -> (Option<PathBuf>, &'a str) {
    let mut best: Option<(usize, PathBuf)> = None;
    for (i, _) in raw.match_indices(':') {
        let prefix = &raw[..i];
        if prefix.is_empty() {
            continue;
        }
        let named = inputs.iter().position(|p| p.as_os_str() == prefix);
        let path = match named {
            Some(n) => roots[n].clone().unwrap_or_else(|| PathBuf::from(prefix)),
            None => match canonical(Path::new(prefix)) {
                Some(c) if roots.iter().flatten().any(|r| c.starts_with(r)) => c,
                _ => continue,
            },
        };
        best = Some((i, path));
    }
    match best {
        Some((i, path)) => (Some(path), &raw[i + 1..]),
        None => (None, raw),
    }
}

fn canonical(path: &Path) -> Option<PathBuf> {
    if path == Path::new("-") {
        return None;
    }
    std::fs::canonicalize(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_files_are_recognised_by_name() {
        let cases = [
            ("a/posts.jsonl", Some(InputFormat::Jsonl)),
            ("a/posts.ndjson.gz", Some(InputFormat::Jsonl)),
            ("li/ana/Shares.csv", Some(InputFormat::LinkedinShares)),
            ("li/ana/Connections.csv", Some(InputFormat::Csv)),
            ("x/ana/data/tweets.js", Some(InputFormat::TwitterArchive)),
            (
                "x/ana/data/tweets-part1.js",
                Some(InputFormat::TwitterArchive),
            ),
            ("x/ana/data/like.js", None),
            (
                "fb/ana/posts/your_posts_1.json",
                Some(InputFormat::FacebookPosts),
            ),
            ("fb/ana/comments.json", None),
            (
                "ig/ana/content/posts_1.json",
                Some(InputFormat::InstagramPosts),
            ),
            ("ig/ana/content/stories.json", None),
            ("notes.txt", None),
        ];
        for (path, format) in cases {
            assert_eq!(export_by_name(Path::new(path)), format, "{path}");
        }
    }

    #[test]
    fn a_prefix_is_an_input_only_when_it_names_one() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("run=3:x.csv");
        std::fs::write(&odd, "id,body\n").unwrap();
        let inputs = vec![odd.clone(), PathBuf::from("-")];
        let roots: Vec<_> = inputs.iter().map(|p| canonical(p)).collect();
        let raw = format!("{}:text=body", odd.display());
        let (at, rest) = scope(&raw, &inputs, &roots);
        assert_eq!((at, rest), (canonical(&odd), "text=body"));
        assert_eq!(scope("text=a:b", &inputs, &roots), (None, "text=a:b"));
        assert_eq!(
            scope("-:ana", &inputs, &roots),
            (Some(PathBuf::from("-")), "ana")
        );
        assert_eq!(
            scope("urn:li:person:7", &inputs, &roots),
            (None, "urn:li:person:7")
        );
    }
}
