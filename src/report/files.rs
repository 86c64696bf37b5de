//! Writing report files whole or not at all, under names any file system accepts.

use crate::finding::stable_hash;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest file-name stem kept from an author id.
const MAX_STEM: usize = 80;

/// A file name for an author id. Letters, digits, `.`, `_` and `-` are kept;
/// anything else becomes `_`. When the id had to change at all (other
/// characters, a leading dot, a reserved Windows name, more than 80 bytes) a
/// hash of the original is appended, so two different ids never share a file.
pub fn safe_file_name(author: &str) -> String {
    let mut stem: String = author
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = stem.trim_start_matches('.').to_string();
    let mut changed = stem != author || trimmed != stem || stem.is_empty();
    stem = trimmed;
    if stem.len() > MAX_STEM {
        stem.truncate(MAX_STEM);
        changed = true;
    }
    let upper = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if changed || reserved {
        let hash = stable_hash(&[author.as_bytes()]);
        stem = format!("{stem}-{:08x}", hash as u32);
    }
    stem
}

/// A file being written under a temporary name in its final folder; it takes
/// its real name only in [`AtomicFile::commit`], so readers never see half a file.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        // Numbered too: files are written on several threads, and on a
        // case-insensitive file system `Ana.json` and `ana.json` are one name.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            writer: Some(BufWriter::new(file)),
        })
    }

    pub fn commit(mut self) -> io::Result<()> {
        // Rename makes the whole file appear at once. No fsync: thousands of
        // employee files would each wait for the disk, and crash durability
        // is not what "whole or not at all" promises readers.
        if let Some(w) = self.writer.take() {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        fs::rename(&self.tmp, &self.dest)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.writer {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.writer {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    /// Dropped without commit (an error on the way): leave nothing behind.
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes a whole file atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(bytes)?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_become_distinct_safe_names() {
        assert_eq!(safe_file_name("maria.lopez"), "maria.lopez");
        for id in [
            "../etc/passwd",
            "a/b",
            "a\\b",
            "nul\0byte",
            "CON",
            ".hidden",
            "",
            "名前",
        ] {
            let name = safe_file_name(id);
            assert!(
                !name.is_empty() && !name.starts_with('.'),
                "{id:?} -> {name:?}"
            );
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "{id:?} -> {name:?}"
            );
        }
        assert_ne!(safe_file_name("a/b"), safe_file_name("a_b"));
        let long_a = format!("{}a", "x".repeat(300));
        let long_b = format!("{}b", "x".repeat(300));
        assert_ne!(safe_file_name(&long_a), safe_file_name(&long_b));
        assert!(safe_file_name(&long_a).len() <= MAX_STEM + 9);
    }

    #[test]
    fn uncommitted_files_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("summary.json");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"{\"half\":").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomic(&dest, b"{}").unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "{}");
    }
}
