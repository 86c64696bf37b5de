//! The report folder of `scan --out DIR`, replaced as a whole: the new reports
//! are written into a sibling staging folder, which then takes the folder's
//! place, so no file of an earlier run (an employee who is gone) survives and
//! a failed run leaves the earlier reports as they were.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What `summary.json` carries so a later run knows the folder is a report.
pub const GENERATOR: &str = "postguard";

/// Why reports cannot go into a folder.
#[derive(Debug)]
pub enum FolderError {
    /// The folder holds files that are not a postguard report.
    NotAReport(PathBuf),
    /// The path exists and is not a folder.
    NotAFolder(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for FolderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FolderError::NotAReport(p) => write!(
                f,
                "{}: not empty and not a postguard report (no summary.json of ours); \
                 reports replace the whole folder, so give a new or empty folder",
                p.display()
            ),
            FolderError::NotAFolder(p) => write!(f, "{}: not a folder", p.display()),
            FolderError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for FolderError {}

/// A report folder being written; see the module docs.
pub struct ReportFolder {
    dest: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl ReportFolder {
    /// Checks that `dest` is absent, empty or an earlier report, and makes
    /// the staging folder beside it.
    pub fn prepare(dest: &Path) -> Result<ReportFolder, FolderError> {
        let io_err = |e: io::Error| FolderError::Io(dest.to_path_buf(), e);
        let dest = std::path::absolute(dest).map_err(io_err)?;
        // `out/.` and `out/` name the folder itself.
        let dest: PathBuf = dest.components().collect();
        match fs::metadata(&dest) {
            Ok(m) if !m.is_dir() => return Err(FolderError::NotAFolder(dest)),
            Ok(_) => {
                let empty = fs::read_dir(&dest).map_err(io_err)?.next().is_none();
                if !empty && !is_report(&dest) {
                    return Err(FolderError::NotAReport(dest));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(e)),
        }
        let (parent, name) = match (dest.parent(), dest.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => return Err(FolderError::NotAFolder(dest)),
        };
        fs::create_dir_all(&parent).map_err(io_err)?;
        let staging = parent.join(format!(".{name}.{}.tmp", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_err)?;
        }
        fs::create_dir(&staging).map_err(io_err)?;
        Ok(ReportFolder {
            dest,
            staging,
            committed: false,
        })
    }

    /// Where the reports are written until [`ReportFolder::commit`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The folder the reports end up in.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Puts the staged reports in the folder's place and removes the earlier
    /// ones. Between the two renames the folder is briefly absent, never a mix.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.staging.with_extension("old");
        let had_old = match fs::rename(&self.dest, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        };
        if let Err(e) = fs::rename(&self.staging, &self.dest) {
            if had_old {
                let _ = fs::rename(&old, &self.dest);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for ReportFolder {
    /// Not committed (an error on the way): the earlier reports stay, the staging goes.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A folder whose `summary.json` postguard wrote: it names us as its
/// generator, or (reports written before the marker) has the summary's keys.
fn is_report(dir: &Path) -> bool {
    let Ok(bytes) = fs::read(dir.join("summary.json")) else {
        return false;
    };
    let Ok(serde_json::Value::Object(summary)) = serde_json::from_slice(&bytes) else {
        return false;
    };
    summary.get("generator").and_then(|g| g.as_str()) == Some(GENERATOR)
        || ["policy", "inputs", "posts", "stages", "bad_records"]
            .iter()
            .all(|k| summary.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_leaves_the_earlier_reports_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = ReportFolder::prepare(&out).unwrap();
        fs::write(
            first.path().join("summary.json"),
            r#"{"generator": "postguard"}"#,
        )
        .unwrap();
        fs::write(first.path().join("gone.json"), "{}").unwrap();
        first.commit().unwrap();
        let second = ReportFolder::prepare(&out).unwrap();
        fs::write(second.path().join("summary.json"), "{}").unwrap();
        drop(second);
        assert!(out.join("gone.json").exists());
        let third = ReportFolder::prepare(&out).unwrap();
        fs::write(
            third.path().join("summary.json"),
            r#"{"generator": "postguard"}"#,
        )
        .unwrap();
        third.commit().unwrap();
        assert!(!out.join("gone.json").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn a_folder_of_other_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            ReportFolder::prepare(dir.path()),
            Err(FolderError::NotAReport(_))
        ));
        fs::write(dir.path().join("summary.json"), r#"{"posts": 1}"#).unwrap();
        assert!(ReportFolder::prepare(dir.path()).is_err());
        let file = dir.path().join("notes.txt");
        assert!(matches!(
            ReportFolder::prepare(&file),
            Err(FolderError::NotAFolder(_))
        ));
    }
}
