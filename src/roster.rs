//! The employee roster: who owns which accounts, and their team, manager,
//! region and training. Posts map to employees by account, so one person
//! with several accounts gets one report, and an account nobody registered
//! is itself worth knowing about.

use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One account as registered: a handle, on one platform or on any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub handle: String,
}

impl std::fmt::Display for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.platform {
            Some(p) => write!(f, "{p}:{}", self.handle),
            None => f.write_str(&self.handle),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Employee {
    pub id: String,
    pub name: String,
    pub team: String,
    pub manager: String,
    pub region: String,
    pub accounts: Vec<Account>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// When they completed social media training, if they have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub training_completed: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub employees: Vec<Employee>,
    /// (platform or "", handle) → index in `employees`.
    accounts: HashMap<(String, String), usize>,
    /// handle → employees holding it on some platform (for posts that name none).
    handles: HashMap<String, Vec<usize>>,
    /// Employee id → index in `employees`: reports look people up by id
    /// once per employee, which a search would make quadratic.
    by_id: HashMap<String, usize>,
}

/// A handle as compared: trimmed, without a leading `@`, lower case.
pub fn normalise_handle(s: &str) -> String {
    s.trim().trim_start_matches('@').trim().to_lowercase()
}

/// A platform as compared: lower case, `twitter` is `x`.
pub fn normalise_platform(s: &str) -> String {
    let p = s.trim().to_lowercase();
    if p == "twitter" { "x".to_string() } else { p }
}

const COLUMNS: &[&str] = &[
    "id",
    "name",
    "team",
    "manager",
    "region",
    "accounts",
    "start_date",
    "training_completed",
];

impl Roster {
    /// Reads a roster CSV. Every error names the file and line.
    pub fn load(path: &Path) -> Result<Roster, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Roster::parse(&path.display().to_string(), &bytes)
    }

    pub fn parse(file: &str, bytes: &[u8]) -> Result<Roster, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| format!("{file}:1: {e}"))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        for h in headers.iter() {
            if !COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)) {
                return Err(format!(
                    "{file}:1: unknown column `{h}` (expected {})",
                    COLUMNS.join(", ")
                ));
            }
        }
        let (Some(id_col), Some(accounts_col)) = (col("id"), col("accounts")) else {
            return Err(format!(
                "{file}:1: a roster needs the columns `id` and `accounts` (and may have {})",
                COLUMNS.join(", ")
            ));
        };
        let mut roster = Roster::default();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                format!("{file}:{line}: {e}")
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let get = |c: Option<usize>| {
                c.and_then(|c| record.get(c))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let id = get(Some(id_col));
            if id.is_empty() {
                return Err(format!("{file}:{line}: empty `id`"));
            }
            if let Some(first) = ids.insert(id.clone(), line as usize) {
                return Err(format!(
                    "{file}:{line}: employee `{id}` is already on line {first}"
                ));
            }
            let mut accounts = Vec::new();
            for raw in get(Some(accounts_col))
                .split([';', ' ', '\t'])
                .filter(|a| !a.trim().is_empty())
            {
                let (platform, handle) = match raw.split_once(':') {
                    Some((p, h)) => (Some(normalise_platform(p)), normalise_handle(h)),
                    None => (None, normalise_handle(raw)),
                };
                if handle.is_empty() || platform.as_deref() == Some("") {
                    return Err(format!(
                        "{file}:{line}: account `{raw}` of `{id}` is not `HANDLE` or `PLATFORM:HANDLE`"
                    ));
                }
                accounts.push(Account { platform, handle });
            }
            if accounts.is_empty() {
                return Err(format!("{file}:{line}: employee `{id}` has no accounts"));
            }
            let date = |c: &str| -> Result<Option<String>, String> {
                let v = get(col(c));
                if v.is_empty() {
                    return Ok(None);
                }
                crate::time::sort_key(&v)
                    .map(|_| Some(v.clone()))
                    .ok_or_else(|| format!("{file}:{line}: `{c}` `{v}` is not a date (YYYY-MM-DD)"))
            };
            let employee = Employee {
                name: get(col("name")),
                team: get(col("team")),
                manager: get(col("manager")),
                region: get(col("region")),
                start_date: date("start_date")?,
                training_completed: date("training_completed")?,
                accounts,
                id,
            };
            let index = roster.employees.len();
            for a in &employee.accounts {
                roster.register(index, a, &employee.id, file, line, &ids)?;
            }
            roster.by_id.insert(employee.id.clone(), index);
            roster.employees.push(employee);
        }
        Ok(roster)
    }

    fn register(
        &mut self,
        index: usize,
        account: &Account,
        id: &str,
        file: &str,
        line: u64,
        ids: &HashMap<String, usize>,
    ) -> Result<(), String> {
        let holders = self.handles.entry(account.handle.clone()).or_default();
        // A handle registered for any platform clashes with the same handle on
        // one platform held by someone else, and the other way round.
        for &other in holders.iter().filter(|&&o| o != index) {
            let theirs = &self.employees[other];
            let clash = theirs.accounts.iter().any(|b| {
                b.handle == account.handle
                    && (b.platform.is_none()
                        || account.platform.is_none()
                        || b.platform == account.platform)
            });
            if clash {
                let their_line = ids.get(&theirs.id).copied().unwrap_or(0);
                return Err(format!(
                    "{file}:{line}: account `{account}` of `{id}` is already registered to `{}` (line {their_line})",
                    theirs.id
                ));
            }
        }
        if !holders.contains(&index) {
            holders.push(index);
        }
        let key = (
            account.platform.clone().unwrap_or_default(),
            account.handle.clone(),
        );
        self.accounts.insert(key, index);
        Ok(())
    }

    /// The employee who owns the account that wrote a post: the handle on
    /// the post's platform, else the handle registered for any platform;
    /// a post without a platform matches a handle held by one employee only.
    pub fn resolve(&self, author: &str, platform: Option<&str>) -> Option<&Employee> {
        let handle = normalise_handle(author);
        let index = match platform.map(normalise_platform) {
            Some(p) => self
                .accounts
                .get(&(p, handle.clone()))
                .or_else(|| self.accounts.get(&(String::new(), handle))),
            None => match self.handles.get(&handle).map(Vec::as_slice) {
                Some([one]) => Some(one),
                _ => None,
            },
        };
        index.map(|&i| &self.employees[i])
    }

    pub fn get(&self, id: &str) -> Option<&Employee> {
        self.by_id.get(id).map(|&i| &self.employees[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,name,team,manager,region,accounts,start_date,training_completed\n\
        E1,Ana Lopez,Wealth,Kim,EMEA,linkedin:ana.lopez; x:@AnaL,2024-01-02,2025-03-01\n\
        E2,Bo Chen,Wealth,Kim,APAC,bo.chen,,\n";

    fn roster() -> Roster {
        Roster::parse("r.csv", CSV.as_bytes()).unwrap()
    }

    #[test]
    fn accounts_match_case_and_at_insensitively_per_platform() {
        let r = roster();
        let id = |a: &str, p: Option<&str>| r.resolve(a, p).map(|e| e.id.clone());
        assert_eq!(id("Ana.Lopez", Some("LinkedIn")), Some("E1".into()));
        assert_eq!(id("@anal", Some("x")), Some("E1".into()));
        assert_eq!(id("anal", Some("twitter")), Some("E1".into()));
        // Registered on X only: the same handle on LinkedIn is someone else's.
        assert_eq!(id("anal", Some("linkedin")), None);
        assert_eq!(id("anal", None), Some("E1".into()));
        // A handle without a platform matches on every platform.
        assert_eq!(id("@BO.CHEN", Some("instagram")), Some("E2".into()));
        assert_eq!(id("nobody", Some("x")), None);
    }

    #[test]
    fn errors_name_file_and_line() {
        for (csv, want) in [
            (
                "id,accounts\nE1,a\nE2,A\n",
                "r.csv:3: account `a` of `E2` is already registered to `E1` (line 2)",
            ),
            (
                "id,accounts\nE1,x:a\nE2,a\n",
                "r.csv:3: account `a` of `E2` is already registered to `E1`",
            ),
            (
                "id,accounts\nE1,a\nE1,b\n",
                "r.csv:3: employee `E1` is already on line 2",
            ),
            (
                "id,accounts\nE1,\n",
                "r.csv:2: employee `E1` has no accounts",
            ),
            ("id,acounts\n", "r.csv:1: unknown column `acounts`"),
            (
                "id,accounts,start_date\nE1,a,soon\n",
                "r.csv:2: `start_date` `soon` is not a date",
            ),
            ("id,accounts\nE1,a,b\n", "r.csv:2:"),
        ] {
            let err = Roster::parse("r.csv", csv.as_bytes()).unwrap_err();
            assert!(err.starts_with(want), "{csv:?}: {err}");
        }
        // The same handle on two different platforms may belong to two people.
        assert!(Roster::parse("r.csv", b"id,accounts\nE1,x:a\nE2,linkedin:a\n").is_ok());
    }
}
