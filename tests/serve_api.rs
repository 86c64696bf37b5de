//! `postguard serve`: the JSON API, its limits and hot reload, against the
//! real binary on an ephemeral port.

#[path = "support/server.rs"]
mod server;

use assert_cmd::Command;
use serde_json::{Value, json};
use server::{Server, wait_for};
use std::path::{Path, PathBuf};
use std::time::Duration;

const DRAFT: &str = "This fund offers guaranteed returns of 12% a year";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn brightwater(extra: &[&str]) -> Server {
    let mut args = vec!["--policy", "policies/brightwater.toml"];
    args.extend_from_slice(extra);
    Server::start(&args, &root())
}

#[test]
fn check_returns_the_findings_of_check_format_json() {
    let server = brightwater(&[]);
    let text = format!("🚀 {DRAFT}");
    let (status, body) = server.json("/v1/check", &json!({"text": text, "platform": "linkedin"}));
    assert_eq!(status, 200, "{body}");

    let cli = Command::cargo_bin("postguard")
        .unwrap()
        .current_dir(root())
        .args([
            "check",
            "--policy",
            "policies/brightwater.toml",
            "--format",
            "json",
            "--exit-zero",
            "--text",
            &text,
        ])
        .output()
        .unwrap();
    let expected: Vec<Value> = serde_json::from_slice(&cli.stdout).unwrap();
    let served = body["findings"].as_array().unwrap();
    assert_eq!(served.len(), expected.len());
    assert!(!served.is_empty());
    for (s, e) in served.iter().zip(&expected) {
        for (key, value) in e.as_object().unwrap() {
            if key != "post_id" {
                assert_eq!(&s[key], value, "{key} differs");
            }
        }
    }

    let f = served
        .iter()
        .find(|f| f["rule"] == "finra.guaranteed-returns")
        .unwrap();
    // The rocket and its space are 5 bytes, 3 UTF-16 units, 2 characters.
    assert_eq!(f["start"], text.find("guaranteed").unwrap());
    assert_eq!(f["utf16_start"], 3 + DRAFT.find("guaranteed").unwrap());
    // The claim starts at "guaranteed"; its length in UTF-16 units is its
    // matched text's.
    assert!(
        f["matched"]
            .as_str()
            .unwrap()
            .starts_with("guaranteed returns")
    );
    assert_eq!(
        f["utf16_end"].as_u64().unwrap() - f["utf16_start"].as_u64().unwrap(),
        f["matched"].as_str().unwrap().encode_utf16().count() as u64
    );
    assert_eq!(f["column"], 3 + DRAFT.find("guaranteed").unwrap());
    assert!(
        f["suggestion"]
            .as_str()
            .unwrap()
            .contains("Remove the guarantee")
    );
    assert_eq!(body["visible_chars"], 140);
    assert_eq!(body["max_chars"], 3000);
    assert_eq!(body["chars"], text.chars().count());
    assert_eq!(body["disclosure"], "not-needed");
}

#[test]
fn disclosure_status_and_platform_limits() {
    let server = brightwater(&[]);
    // A promotion (a call to action), not a mention: only promotion owes a disclosure.
    let promo = "Try the Brightwater Growth Fund, best fund for new savers.";
    let (_, r) = server.json(
        "/v1/check",
        &json!({"text": promo, "platform": "instagram"}),
    );
    assert_eq!(r["disclosure"], "missing");
    assert_eq!(r["visible_chars"], 125);
    let (_, r) = server.json(
        "/v1/check",
        &json!({"text": format!("#BrightwaterEmployee {promo}"), "platform": "x"}),
    );
    assert_eq!(r["disclosure"], "disclosed");
    assert_eq!(r["max_chars"], 280);
    let (status, r) = server.json("/v1/check", &json!({"text": "hi", "platform": "myspace"}));
    assert_eq!(status, 400);
    assert!(
        r["error"]
            .as_str()
            .unwrap()
            .contains("unknown platform `myspace`")
    );
}

#[test]
fn batch_keeps_order_and_is_bounded() {
    let server = brightwater(&["--max-batch", "3"]);
    let (status, r) = server.json(
        "/v1/check/batch",
        &json!({"drafts": [{"text": "Lovely day at the beach"}, {"text": DRAFT}]}),
    );
    assert_eq!(status, 200);
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0]["findings"].as_array().unwrap().is_empty());
    assert!(!results[1]["findings"].as_array().unwrap().is_empty());
    let four: Vec<Value> = (0..4).map(|_| json!({"text": "x"})).collect();
    let (status, r) = server.json("/v1/check/batch", &json!({ "drafts": four }));
    assert_eq!(status, 413);
    assert!(r["error"].as_str().unwrap().contains("at most 3"));
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let server = brightwater(&["--max-body", "2048"]);
    let cases: [(&[u8], u16, &str); 6] = [
        (b"{\"text\": ", 400, "invalid JSON"),
        (b"not json", 400, "line 1 column 2"),
        (b"{\"text\": \"caf\xe9\"}", 400, "not valid UTF-8"),
        (b"{\"author\": \"a\"}", 400, "missing field `text`"),
        (
            b"{\"text\": \"a\", \"colour\": 1}",
            400,
            "unknown field `colour`",
        ),
        (b"[]", 400, "invalid JSON"),
    ];
    for (body, status, needle) in cases {
        let (got, text) = server.post("/v1/check", body);
        assert_eq!(got, status, "{}: {text}", String::from_utf8_lossy(body));
        let v: Value = serde_json::from_str(&text).expect("a JSON error");
        assert!(v["error"].as_str().unwrap().contains(needle), "{text}");
    }
    let big = json!({"text": "a".repeat(4096)}).to_string();
    let (status, text) = server.post("/v1/check", big.as_bytes());
    assert_eq!(status, 413, "{text}");
    assert!(serde_json::from_str::<Value>(&text).unwrap()["error"].is_string());
    let (status, text) = server.get("/nowhere");
    assert_eq!(status, 404);
    assert!(text.contains("openapi"));
    // Still serving after all that.
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn no_input_breaks_the_server() {
    let server = brightwater(&[]);
    let texts = [
        String::new(),
        "\u{0}\u{200b}\u{feff}".repeat(50),
        "é\u{301}ﬁ𝔤𝔲𝔞𝔯𝔞𝔫𝔱𝔢𝔢𝔡".repeat(40),
        "g-u-a-r-a-n-t-e-e-d r e t u r n s\r\n\r\n".repeat(20),
        "#".repeat(3000),
        "🚀".repeat(5000),
        "\n".repeat(5000),
        "$BWTR 4111 1111 1111 1111 +1 (555) 010-9999 ".repeat(30),
    ];
    for t in &texts {
        for platform in ["linkedin", "x", "instagram", "facebook"] {
            let (status, r) = server.json("/v1/check", &json!({"text": t, "platform": platform}));
            assert_eq!(status, 200, "{r}");
            for f in r["findings"].as_array().unwrap() {
                let (s, e) = (
                    f["start"].as_u64().unwrap() as usize,
                    f["end"].as_u64().unwrap() as usize,
                );
                assert!(t.is_char_boundary(s) && t.is_char_boundary(e) && s <= e);
            }
        }
    }
}

#[test]
fn rules_and_policy_describe_what_is_loaded() {
    let server = brightwater(&[]);
    let (status, text) = server.get("/v1/rules");
    assert_eq!(status, 200);
    let rules: Value = serde_json::from_str(&text).unwrap();
    let (_, text) = server.get("/v1/policy");
    let policy: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(policy["name"], "Brightwater social media policy");
    assert_eq!(
        policy["rules"].as_u64().unwrap() as usize,
        rules["rules"].as_array().unwrap().len()
    );
    assert!(policy["last_error"].is_null());

    let (status, text) = server.get("/v1/rules/finra.guaranteed-returns");
    assert_eq!(status, 200);
    let rule: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(rule["severity"], "error");
    assert!(rule["why"].as_str().unwrap().len() > 20);
    assert!(rule["flags"].as_array().unwrap().iter().any(|f| f == DRAFT));
    assert!(
        rule["unless"][0]["phrases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "{negations}")
    );

    let (status, text) = server.get("/v1/rules/finra.guaranted-returns");
    assert_eq!(status, 404);
    assert!(
        text.contains("did you mean `finra.guaranteed-returns`"),
        "{text}"
    );
}

/// Every required field of each documented response is there, and a check
/// result has no field the description does not list.
#[test]
fn openapi_description_matches_the_responses() {
    let server = brightwater(&[]);
    let (status, text) = server.get("/v1/openapi.json");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    let required = |s: &Value| -> Vec<String> {
        s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let covers = |s: &Value, v: &Value, what: &str| {
        for key in required(s) {
            assert!(
                v.get(&key).is_some(),
                "{what}: `{key}` documented as required but missing"
            );
        }
        let props = s["properties"].as_object().unwrap();
        for key in v.as_object().unwrap().keys() {
            assert!(
                props.contains_key(key),
                "{what}: `{key}` served but not documented"
            );
        }
    };

    let (_, r) = server.json("/v1/check", &json!({"text": DRAFT, "platform": "x"}));
    covers(&schema("CheckResult"), &r, "CheckResult");
    for f in r["findings"].as_array().unwrap() {
        covers(&schema("Finding"), f, "Finding");
    }
    let (_, text) = server.get("/v1/rules/finra.guaranteed-returns");
    covers(
        &schema("Rule"),
        &serde_json::from_str(&text).unwrap(),
        "Rule",
    );
    let (_, text) = server.get("/v1/rules");
    let rules: Value = serde_json::from_str(&text).unwrap();
    covers(&schema("Rule"), &rules["rules"][0], "Rule");
    let (_, text) = server.get("/v1/policy");
    let policy_schema = &doc["paths"]["/v1/policy"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    covers(
        policy_schema,
        &serde_json::from_str(&text).unwrap(),
        "policy",
    );
    let (status, text) = server.post("/v1/check", b"{");
    assert_eq!(status, 400);
    covers(
        &schema("Error"),
        &serde_json::from_str(&text).unwrap(),
        "Error",
    );
}

#[test]
fn bearer_token_guards_the_api_but_not_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let server = brightwater(&["--token-file", token_file.to_str().unwrap()]);
    let body = json!({"text": DRAFT}).to_string();
    let (status, _) = server.request("POST", "/v1/check", Some(body.as_bytes()), None);
    assert_eq!(status, 401);
    let (status, _) = server.request("POST", "/v1/check", Some(body.as_bytes()), Some("wrong"));
    assert_eq!(status, 401);
    let (status, _) = server.request(
        "POST",
        "/v1/check",
        Some(body.as_bytes()),
        Some("s3cret-token"),
    );
    assert_eq!(status, 200);
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get("/healthz").0, 200);
    assert_eq!(server.get("/v1/policy").0, 401);
}

#[test]
fn cors_is_off_unless_an_origin_is_given() {
    let origin = [("origin", "https://crm.example".to_string())];
    let server = brightwater(&[]);
    let (_, headers, _) = server.exchange("GET", "/healthz", None, &origin);
    assert!(
        !headers
            .iter()
            .any(|(k, _)| k == "access-control-allow-origin")
    );
    drop(server);
    let server = brightwater(&["--cors-origin", "https://crm.example"]);
    let (_, headers, _) = server.exchange("GET", "/healthz", None, &origin);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "access-control-allow-origin" && v == "https://crm.example")
    );
}

#[test]
fn drafts_are_never_logged_and_sigterm_stops_cleanly() {
    let mut server = brightwater(&[]);
    let secret = "Nightjar launches next week, guaranteed returns for all";
    let (status, _) = server.json("/v1/check", &json!({"text": secret}));
    assert_eq!(status, 200);
    let (status, _) = server.post("/v1/check", format!("{{\"text\": \"{secret}").as_bytes());
    assert_eq!(status, 400);
    let status = server
        .terminate(Duration::from_secs(10))
        .expect("stops within 10 s of SIGTERM");
    assert!(status.success(), "{status:?}");
    // The log gives counts and timings, never the text.
    let log = wait_for(Duration::from_secs(5), "the closing log line", || {
        let log = server.log();
        log.contains("stopped;").then_some(log)
    });
    assert!(log.contains("2 requests, 1 draft checked"), "{log}");
    assert!(!log.contains("Nightjar"), "{log}");
}

fn write(path: &Path, text: &str) {
    // Write beside and rename, as editors do, so a reload never sees half a file.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

const PACK: &str = r#"[pack]
id = "local"
name = "Local pack"

[[rule]]
id = "local.moonshot"
category = "regulated-claim"
severity = "error"
message = "MESSAGE"
reference = "house rule 7"
match = { kind = "phrases", phrases = ["to the moon"] }
"#;

#[test]
fn hot_reload_picks_up_edits_and_survives_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("policy.toml"),
        "[policy]\nname = \"Reload test\"\ninclude = [\"local.toml\"]\n",
    )
    .unwrap();
    let pack = dir.path().join("local.toml");
    write(&pack, &PACK.replace("MESSAGE", "Price prediction"));
    let server = Server::start(
        &["--policy", "policy.toml", "--reload-interval", "50"],
        dir.path(),
    );
    let message = |server: &Server| {
        let (_, r) = server.json(
            "/v1/check",
            &json!({"text": "Our stock is going to the moon"}),
        );
        r["findings"][0]["message"].as_str().map(str::to_string)
    };
    assert_eq!(message(&server).as_deref(), Some("Price prediction"));

    // A valid edit is picked up.
    write(&pack, &PACK.replace("MESSAGE", "Moonshot claim"));
    wait_for(Duration::from_secs(20), "the edit", || {
        (message(&server).as_deref() == Some("Moonshot claim")).then_some(())
    });
    let (_, text) = server.get("/v1/policy");
    let policy: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(policy["reloads"], 1);
    assert!(policy["last_reload_ms"].as_f64().unwrap() >= 0.0);

    // A broken edit is reported with file:line:col and the old policy keeps serving.
    write(
        &pack,
        &PACK
            .replace("MESSAGE", "Broken")
            .replace("severity = \"error\"", "severity = \"fatal\""),
    );
    let error = wait_for(Duration::from_secs(20), "the reload error", || {
        let (_, text) = server.get("/v1/policy");
        let p: Value = serde_json::from_str(&text).unwrap();
        p["last_error"].as_str().map(str::to_string)
    });
    assert!(error.contains("local.toml:8:13:"), "{error}");
    assert_eq!(message(&server).as_deref(), Some("Moonshot claim"));
    assert!(server.log().contains("reload failed"));

    // Fixed again: the error clears.
    write(&pack, &PACK.replace("MESSAGE", "Fixed"));
    wait_for(Duration::from_secs(20), "the fix", || {
        (message(&server).as_deref() == Some("Fixed")).then_some(())
    });
    let (_, text) = server.get("/v1/policy");
    assert!(serde_json::from_str::<Value>(&text).unwrap()["last_error"].is_null());
}
