//! `postguard serve`: a JSON API and a live web page that keep the policy
//! compiled, reload it when its files change, and check drafts as people type.

mod api;
mod reload;

use super::{ColorWhen, Failure, Outcome, PolicyChoice};
use clap::Args;
use postguard::matcher::Engine;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (loopback unless you mean to share it; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub addr: SocketAddr,
    /// Official corporate posts (any `scan` input format), for verbatim-repost detection.
    #[arg(long, value_name = "FILE")]
    pub corporate: Vec<PathBuf>,
    /// File holding a bearer token that every /v1 request must carry (for a shared deployment).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Allow browser pages from this origin to call the API (CORS; off unless given).
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// Largest request body in bytes; larger requests get 413.
    #[arg(long, default_value_t = 256 * 1024, value_name = "BYTES")]
    pub max_body: usize,
    /// Most drafts in one `POST /v1/check/batch`.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub max_batch: usize,
    /// Seconds before a request is abandoned with 408.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// How often to look for changed policy files, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub reload_interval: u64,
}

/// A compiled policy and when it was compiled.
pub struct Loaded {
    pub engine: Engine,
    pub loaded_at: SystemTime,
    /// Files whose change triggers a reload (policy, local packs, corporate posts).
    pub watched: Vec<PathBuf>,
}

/// What the server shares between requests.
pub struct State {
    pub current: RwLock<Arc<Loaded>>,
    pub last_error: Mutex<Option<String>>,
    pub reloads: AtomicU64,
    pub last_reload_ms: Mutex<Option<f64>>,
    pub requests: AtomicU64,
    /// Drafts checked and the time spent checking them, for the log.
    pub drafts: AtomicU64,
    pub check_nanos: AtomicU64,
    pub token: Option<String>,
    pub max_batch: usize,
    pub source: reload::Source,
}

impl State {
    pub fn engine(&self) -> Arc<Loaded> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }
}

pub fn run(policy: &PolicyChoice, color: ColorWhen, args: ServeArgs) -> Outcome {
    let (engine, origin) = policy.engine_with_corporate(color, &args.corporate)?;
    // A service checks draft after draft: it wants a batch scan's automata.
    let engine = engine.for_batch();
    let token = match &args.token_file {
        Some(path) => {
            let t = std::fs::read_to_string(path)
                .map_err(|e| Failure::Message(format!("{}: {e}", path.display())))?;
            let t = t.trim().to_string();
            if t.is_empty() {
                return Err(Failure::Message(format!(
                    "{}: the token file is empty",
                    path.display()
                )));
            }
            Some(t)
        }
        None => None,
    };
    let source = reload::Source {
        flag: policy.flag.clone(),
        env: std::env::var_os("POSTGUARD_POLICY").map(PathBuf::from),
        cwd: std::env::current_dir().map_err(|e| Failure::Message(e.to_string()))?,
        corporate: args.corporate.clone(),
    };
    let watched = reload::watched_files(&engine, &args.corporate);
    let state = Arc::new(State {
        current: RwLock::new(Arc::new(Loaded {
            engine,
            loaded_at: SystemTime::now(),
            watched,
        })),
        last_error: Mutex::new(None),
        reloads: AtomicU64::new(0),
        last_reload_ms: Mutex::new(None),
        requests: AtomicU64::new(0),
        drafts: AtomicU64::new(0),
        check_nanos: AtomicU64::new(0),
        token,
        max_batch: args.max_batch,
        source,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Message(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(state, args, origin))
}

async fn serve(
    state: Arc<State>,
    args: ServeArgs,
    origin: postguard::policy::PolicyOrigin,
) -> Outcome {
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| Failure::Message(format!("cannot listen on {}: {e}", args.addr)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Message(e.to_string()))?;
    let app = api::router(
        Arc::clone(&state),
        api::Limits {
            max_body: args.max_body,
            timeout: Duration::from_secs(args.timeout),
            cors: args.cors_origin.clone(),
        },
    )
    .map_err(Failure::Message)?;
    let loaded = state.engine();
    eprintln!(
        "postguard serve: policy {origin}, {} rules; listening on http://{addr}",
        loaded.engine.rule_count()
    );
    drop(loaded);
    tokio::spawn(reload::watch(
        Arc::clone(&state),
        Duration::from_millis(args.reload_interval.max(50)),
    ));
    tokio::spawn(log_activity(Arc::clone(&state)));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Failure::Message(format!("server error: {e}")))?;
    eprintln!("postguard serve: stopped; {}", activity(&state));
    Ok(ExitCode::SUCCESS)
}

/// Counts and timings only: drafts are never logged.
fn activity(state: &State) -> String {
    let requests = state.requests.load(Ordering::Relaxed);
    let drafts = state.drafts.load(Ordering::Relaxed);
    let nanos = state.check_nanos.load(Ordering::Relaxed);
    let mean = if drafts == 0 {
        0.0
    } else {
        nanos as f64 / drafts as f64 / 1000.0
    };
    let s = |n: u64| if n == 1 { "" } else { "s" };
    format!(
        "{requests} request{}, {drafts} draft{} checked, {mean:.1} µs per check",
        s(requests),
        s(drafts)
    )
}

/// A line a minute while there is traffic.
async fn log_activity(state: Arc<State>) {
    let mut last = 0;
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        let now = state.requests.load(Ordering::Relaxed);
        if now != last {
            eprintln!("postguard serve: {}", activity(&state));
            last = now;
        }
    }
}

/// SIGTERM (service managers) or Ctrl-C: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
