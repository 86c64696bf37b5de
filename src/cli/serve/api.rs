//! Routes, request and response shapes, limits.

use super::State;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State as Shared};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use postguard::finding::Finding;
use postguard::input::Post;
use postguard::matcher::{Engine, PostResult};
use postguard::policy::did_you_mean;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, UNIX_EPOCH};

pub const OPENAPI: &str = include_str!("openapi.json");
const PAGE: &str = include_str!("page.html");

/// Every route, the one list both the router and the OpenAPI test read.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/healthz"),
    ("get", "/v1/openapi.json"),
    ("get", "/v1/policy"),
    ("get", "/v1/rules"),
    ("get", "/v1/rules/{id}"),
    ("post", "/v1/check"),
    ("post", "/v1/check/batch"),
];

pub struct Limits {
    pub max_body: usize,
    pub timeout: Duration,
    pub cors: Vec<String>,
}

pub fn router(state: Arc<State>, limits: Limits) -> Result<Router, String> {
    let mut app = Router::new();
    for &(method, path) in ROUTES {
        app = app.route(path, handler(method, path));
    }
    let mut app = app
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route; see /v1/openapi.json") })
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard))
        .layer(DefaultBodyLimit::max(limits.max_body))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ));
    if !limits.cors.is_empty() {
        let origins = limits
            .cors
            .iter()
            .map(|o| {
                HeaderValue::from_str(o).map_err(|_| format!("--cors-origin: bad origin `{o}`"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
        );
    }
    Ok(app.with_state(state))
}

fn handler(method: &str, path: &str) -> MethodRouter<Arc<State>> {
    match (method, path) {
        ("get", "/") => get(|| async { ([(header::CACHE_CONTROL, "no-cache")], Html(PAGE)) }),
        ("get", "/healthz") => get(|| async { axum::Json(json!({"status": "ok"})) }),
        ("get", "/v1/openapi.json") => {
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) })
        }
        ("get", "/v1/policy") => get(policy),
        ("get", "/v1/rules") => get(rules),
        ("get", "/v1/rules/{id}") => get(rule),
        ("post", "/v1/check") => post(check),
        ("post", "/v1/check/batch") => post(check_batch),
        _ => unreachable!("route {method} {path} has no handler"),
    }
}

/// Counts requests and asks for the bearer token on /v1 when one is set.
async fn guard(Shared(state): Shared<Arc<State>>, req: Request, next: Next) -> Response {
    state.requests.fetch_add(1, Ordering::Relaxed);
    let path = req.uri().path();
    if let Some(token) = &state.token
        && path.starts_with("/v1/")
        && path != "/v1/openapi.json"
    {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            let mut r = error(StatusCode::UNAUTHORIZED, "a bearer token is required");
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    next.run(req).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

/// Reads a JSON body ourselves so every bad request gets a JSON error.
fn parse<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, (StatusCode, String)> {
    let body = body.map_err(|r| (r.status(), r.body_text()))?;
    serde_json::from_slice(&body).map_err(|e| {
        let what = if std::str::from_utf8(&body).is_err() {
            "the body is not valid UTF-8".to_string()
        } else {
            format!("invalid JSON: {e}")
        };
        (StatusCode::BAD_REQUEST, what)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    text: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    platform: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchRequest {
    drafts: Vec<CheckRequest>,
}

/// A platform's limits: the most characters a post may have and how many
/// show before the feed's "…more" cut.
struct Platform {
    id: &'static str,
    max_chars: usize,
    visible_chars: usize,
}

const PLATFORMS: [Platform; 4] = [
    Platform {
        id: "linkedin",
        max_chars: 3000,
        visible_chars: 140,
    },
    Platform {
        id: "x",
        max_chars: 280,
        visible_chars: 280,
    },
    Platform {
        id: "instagram",
        max_chars: 2200,
        visible_chars: 125,
    },
    Platform {
        id: "facebook",
        max_chars: 63206,
        visible_chars: 477,
    },
];

/// A finding as `check --format json` renders it, plus UTF-16 offsets for browsers.
#[derive(Serialize)]
struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    utf16_start: usize,
    utf16_end: usize,
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn check_one(state: &State, engine: &Engine, req: CheckRequest) -> Result<Value, String> {
    let platform = match req.platform.as_deref().map(str::to_ascii_lowercase) {
        None => None,
        Some(p) => Some(
            PLATFORMS
                .iter()
                .find(|x| x.id == p || (p == "twitter" && x.id == "x"))
                .ok_or_else(|| {
                    format!("unknown platform `{p}` (linkedin, x, instagram, facebook)")
                })?,
        ),
    };
    let post = Post {
        id: "draft".into(),
        author: req.author.unwrap_or_default(),
        text: req.text,
        platform: platform.map(|p| p.id.to_string()),
        created_at: None,
        url: None,
        hidden: Vec::new(),
    };
    let PostResult {
        findings,
        promotional,
        disclosed,
        verbatim,
        ..
    } = {
        let started = std::time::Instant::now();
        let result = engine.check(&post);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        state.drafts.fetch_add(1, Ordering::Relaxed);
        state.check_nanos.fetch_add(nanos, Ordering::Relaxed);
        result
    };
    let text = &post.text;
    let out: Vec<FindingOut> = findings
        .iter()
        .map(|f| FindingOut {
            finding: f,
            utf16_start: utf16_len(&text[..f.start]),
            utf16_end: utf16_len(&text[..f.end]),
        })
        .collect();
    let policy_visible = engine.policy().file.disclosure.visible_chars;
    let chars = text.chars().count();
    Ok(json!({
        "findings": out,
        "disclosure": if !promotional { "not-needed" } else if disclosed { "disclosed" } else { "missing" },
        "verbatim": verbatim,
        "chars": chars,
        "utf16_len": utf16_len(text),
        "max_chars": platform.map(|p| p.max_chars),
        "visible_chars": platform.map_or(policy_visible, |p| p.visible_chars),
    }))
}

async fn check(Shared(state): Shared<Arc<State>>, body: Result<Bytes, BytesRejection>) -> Response {
    let req: CheckRequest = match parse(body) {
        Ok(r) => r,
        Err((status, message)) => return error(status, message),
    };
    let loaded = state.engine();
    match check_one(&state, &loaded.engine, req) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn check_batch(
    Shared(state): Shared<Arc<State>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let req: BatchRequest = match parse(body) {
        Ok(r) => r,
        Err((status, message)) => return error(status, message),
    };
    if req.drafts.len() > state.max_batch {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "{} drafts in one batch; at most {}",
                req.drafts.len(),
                state.max_batch
            ),
        );
    }
    let loaded = state.engine();
    let mut results = Vec::with_capacity(req.drafts.len());
    for (i, d) in req.drafts.into_iter().enumerate() {
        match check_one(&state, &loaded.engine, d) {
            Ok(v) => results.push(v),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("drafts[{i}]: {e}")),
        }
    }
    axum::Json(json!({ "results": results })).into_response()
}

async fn policy(Shared(state): Shared<Arc<State>>) -> Response {
    let loaded = state.engine();
    let p = loaded.engine.policy();
    let loaded_at = loaded
        .loaded_at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    axum::Json(json!({
        "name": p.file.policy.name,
        "source": p.source.name,
        "rules": loaded.engine.rule_count(),
        "loaded_at": loaded_at,
        "reloads": state.reloads.load(Ordering::Relaxed),
        "last_reload_ms": *state.last_reload_ms.lock().unwrap_or_else(|e| e.into_inner()),
        "last_error": state.last_error.lock().unwrap_or_else(|e| e.into_inner()).clone(),
    }))
    .into_response()
}

fn rule_json(engine: &Engine, r: &postguard::matcher::RuleInfo<'_>, full: bool) -> Value {
    let mut v = json!({
        "id": r.id,
        "category": r.category,
        "severity": r.severity,
        "message": r.message,
        "suggestion": r.suggestion,
        "reference": r.reference,
        "kind": r.kind,
        "pack": r.pack,
    });
    if full {
        let ex = &r.def.examples;
        let text = |e: &String| engine.example_text(r.id, e).unwrap_or_else(|| e.clone());
        v["why"] = json!(r.why.trim());
        v["matches"] = json!(crate::cli::explain::describe(engine, r.id, &r.def.matcher));
        v["unless"] = r
            .def
            .unless
            .iter()
            .map(|u| {
                json!({
                    "phrases": u.phrases,
                    "within": u.within,
                    "scope": format!("{:?}", u.scope).to_lowercase(),
                    "sentences": u.sentences,
                    "side": format!("{:?}", u.side).to_lowercase(),
                })
            })
            .collect::<Vec<_>>()
            .into();
        v["flags"] = json!(ex.must_match.iter().map(text).collect::<Vec<_>>());
        v["leaves_alone"] = json!(ex.must_not_match.iter().map(text).collect::<Vec<_>>());
    }
    v
}

async fn rules(Shared(state): Shared<Arc<State>>) -> Response {
    let loaded = state.engine();
    let e = &loaded.engine;
    let list: Vec<Value> = e.rules().map(|r| rule_json(e, &r, false)).collect();
    axum::Json(json!({ "rules": list })).into_response()
}

async fn rule(Shared(state): Shared<Arc<State>>, Path(id): Path<String>) -> Response {
    let loaded = state.engine();
    let e = &loaded.engine;
    match e.rule(&id) {
        Some(r) => axum::Json(rule_json(e, &r, true)).into_response(),
        None => {
            let hint = did_you_mean(&id, e.rules().map(|r| r.id))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            error(
                StatusCode::NOT_FOUND,
                format!("no rule `{id}` in the policy{hint}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OpenAPI description lists exactly the routes the router serves.
    #[test]
    fn openapi_lists_every_route() {
        let doc: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .expect("operations")
                    .keys()
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        documented.sort();
        let mut served: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        served.sort();
        assert_eq!(documented, served);
    }
}
