//! Hot reload: poll the policy's files, recompile off the request path, swap
//! atomically. A broken edit keeps the old policy serving and is reported.

use super::{Loaded, State};
use postguard::matcher::Engine;
use postguard::policy::Policy;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

/// How the policy was found at start, to find it the same way again.
pub struct Source {
    pub flag: Option<PathBuf>,
    pub env: Option<PathBuf>,
    pub cwd: PathBuf,
    pub corporate: Vec<PathBuf>,
}

impl Source {
    fn config_file(&self) -> Option<PathBuf> {
        Policy::locate(self.flag.as_deref(), self.env.as_deref(), &self.cwd)
    }

    /// Loads and compiles, as `serve` did at start. Errors as `file:line:col: message`.
    pub fn compile(&self) -> Result<Engine, String> {
        let (policy, _) = Policy::discover(self.flag.as_deref(), self.env.as_deref(), &self.cwd)
            .map_err(|e| e.to_string())?;
        let engine = Engine::new(policy).map_err(|e| e.to_string())?.for_batch();
        let (posts, _skipped) = engine
            .load_corporate(&self.corporate)
            .map_err(|e| format!("corporate posts: {e}"))?;
        Ok(if posts.is_empty() {
            engine
        } else {
            engine.with_corporate(posts)
        })
    }
}

/// The files a change of which means a reload: the policy (or the
/// `postguard.toml` that names it), its local packs and the corporate posts.
pub fn watched_files(engine: &Engine, corporate: &[PathBuf]) -> Vec<PathBuf> {
    let policy = engine.policy();
    let mut files: Vec<PathBuf> = std::iter::once(&policy.source)
        .chain(policy.packs.iter().map(|p| &p.source))
        .filter(|s| !s.name.starts_with("<builtin>"))
        .map(|s| PathBuf::from(&s.name))
        .chain(corporate.iter().cloned())
        .collect();
    files.sort();
    files.dedup();
    files
}

type Stamp = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

fn stamp(files: &[PathBuf]) -> Stamp {
    files
        .iter()
        .map(|f| {
            let meta = std::fs::metadata(f).ok();
            let s = meta.and_then(|m| Some((m.modified().ok()?, m.len())));
            (f.clone(), s)
        })
        .collect()
}

fn files_of(state: &State) -> Vec<PathBuf> {
    let mut files = state.engine().watched.clone();
    if let Some(config) = state.source.config_file() {
        files.push(config);
    }
    files.sort();
    files.dedup();
    files
}

/// Runs for the life of the server.
pub async fn watch(state: Arc<State>, every: Duration) {
    let mut seen = stamp(&files_of(&state));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = stamp(&files_of(&state));
        if now == seen {
            continue;
        }
        seen = now;
        let s = Arc::clone(&state);
        let outcome = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let compiled = s.source.compile();
            (compiled, started.elapsed())
        })
        .await;
        let Ok((compiled, took)) = outcome else {
            continue;
        };
        apply(&state, compiled, took);
        // The files of the new policy may differ (a pack added or removed).
        seen = stamp(&files_of(&state));
    }
}

fn apply(state: &State, compiled: Result<Engine, String>, took: Duration) {
    let ms = took.as_secs_f64() * 1000.0;
    match compiled {
        Ok(engine) => {
            let watched = watched_files(&engine, &state.source.corporate);
            let rules = engine.rule_count();
            let loaded = Arc::new(Loaded {
                engine,
                loaded_at: SystemTime::now(),
                watched,
            });
            *state.current.write().unwrap_or_else(|e| e.into_inner()) = loaded;
            *state.last_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
            *state
                .last_reload_ms
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(ms);
            state.reloads.fetch_add(1, Ordering::Relaxed);
            eprintln!("postguard serve: policy reloaded, {rules} rules, compiled in {ms:.1} ms");
        }
        Err(e) => {
            eprintln!("postguard serve: reload failed, the previous policy keeps serving:\n{e}");
            *state.last_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
        }
    }
}
