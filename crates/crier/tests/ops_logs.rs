//! The binary's logs, read from its stderr (a pipe, not a terminal): JSON lines with
//! `log.format = "json"`, plain text otherwise, never colour codes; one access line per request;
//! the request's id on its access line and on the log lines of its deliveries.

mod common;
use common::SandboxBinary;
use serde_json::{Value, json};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

const WAIT: Duration = Duration::from_secs(30);

/// What a wanted log line satisfies.
type LineTest<'a> = dyn Fn(&str) -> bool + 'a;

/// `crier serve --sandbox` with these variables, and its stderr collected.
struct Crier {
    binary: SandboxBinary,
    stderr: Arc<Mutex<Vec<String>>>,
}

async fn boot(env: &[(&str, &str)]) -> Crier {
    let mut binary = SandboxBinary::boot(|cmd, _| {
        // The configuration's level applies (RUST_LOG would override it).
        cmd.env_remove("RUST_LOG").envs(env.iter().copied()).stderr(Stdio::piped());
    })
    .await;
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let mut err_lines = BufReader::new(binary.child.stderr.take().unwrap()).lines();
    let sink = stderr.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = err_lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
    Crier { binary, stderr }
}

impl Crier {
    /// `POST /api/post` to Telegram, with an `X-Request-Id` if given; the id crier answered with.
    async fn post(&self, text: &str, request_id: Option<&str>) -> String {
        let mut req = reqwest::Client::new().post(format!("{}/api/post", self.binary.url)).bearer_auth(&self.binary.key);
        if let Some(id) = request_id {
            req = req.header("X-Request-Id", id);
        }
        let r = req.json(&json!({"post": text, "platforms": ["telegram"]})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.headers()["x-request-id"].to_str().unwrap().to_string()
    }

    /// Waits until stderr holds a line satisfying each predicate; returns all lines then.
    async fn wait_for_lines(&self, wanted: &[(&str, &LineTest<'_>)]) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let lines = self.stderr.lock().unwrap().clone();
            let missing: Vec<&str> = wanted.iter().filter(|(_, f)| !lines.iter().any(|l| f(l))).map(|(what, _)| *what).collect();
            if missing.is_empty() {
                return lines;
            }
            assert!(tokio::time::Instant::now() < deadline, "never logged: {missing:?}\n{}", lines.join("\n"));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn json_line(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"))
}

/// The request id a JSON line carries: its own field, or that of an enclosing span.
fn request_id_of(v: &Value) -> Option<&str> {
    v["request_id"].as_str().or_else(|| v["spans"].as_array()?.iter().find_map(|s| s["request_id"].as_str()))
}

#[tokio::test]
async fn json_logs_carry_the_request_id_from_access_line_to_delivery() {
    let crier = boot(&[("CRIER_LOG__FORMAT", "json")]).await;
    let given = "req-obs-7f3a";
    assert_eq!(crier.post("json logs", Some(given)).await, given);
    let generated = crier.post("json logs without an id", None).await;
    assert!(generated.len() >= 16 && generated != given, "{generated}");

    let is = |msg: &'static str, id: String| {
        move |l: &str| serde_json::from_str::<Value>(l).is_ok_and(|v| v["message"] == msg && request_id_of(&v) == Some(id.as_str()))
    };
    let (access, settled) = (is("request", given.into()), is("delivery settled", given.into()));
    let (access2, settled2) = (is("request", generated.clone()), is("delivery settled", generated.clone()));
    let lines = crier
        .wait_for_lines(&[
            ("access line of the given id", &access),
            ("delivery line of the given id", &settled),
            ("access line of the generated id", &access2),
            ("delivery line of the generated id", &settled2),
        ])
        .await;

    for line in &lines {
        assert!(!line.contains('\u{1b}'), "ANSI escape in {line:?}");
        json_line(line);
    }
    let access: Vec<Value> = lines.iter().map(|l| json_line(l)).filter(|v| v["target"] == "crier::access" && request_id_of(v) == Some(given)).collect();
    assert_eq!(access.len(), 1, "one access line per request: {access:?}");
    let a = &access[0];
    assert_eq!((a["method"].as_str(), a["route"].as_str(), a["path"].as_str(), a["status"].as_i64()), (Some("POST"), Some("/api/post"), Some("/api/post"), Some(200)), "{a}");
    assert!(a["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{a}");
    assert_eq!(a["level"], "INFO");
    // The delivery ran on a worker task, and still says which request it belongs to.
    let delivery = lines.iter().map(|l| json_line(l)).find(|v| v["message"] == "delivery settled" && request_id_of(v) == Some(given)).unwrap();
    let span = delivery["spans"].as_array().unwrap().iter().find(|s| s["name"] == "delivery").unwrap_or_else(|| panic!("{delivery}"));
    assert_eq!((span["network"].as_str(), delivery["outcome"].as_str()), (Some("telegram"), Some("published")), "{delivery}");
}

#[tokio::test]
async fn text_logs_have_no_colour_off_a_terminal() {
    let crier = boot(&[]).await;
    let id = "req-text-1";
    crier.post("text logs", Some(id)).await;
    let access = |l: &str| l.contains("crier::access") && l.contains(&format!("request_id={id}")) && l.contains("status=200");
    let delivery = |l: &str| l.contains("delivery settled") && l.contains(&format!("request_id={id}"));
    let lines = crier.wait_for_lines(&[("access line", &access), ("delivery line", &delivery)]).await;
    for line in &lines {
        assert!(!line.contains('\u{1b}'), "ANSI escape in {line:?}");
        assert!(serde_json::from_str::<Value>(line).is_err(), "text format wrote JSON: {line}");
    }
}

#[tokio::test]
async fn a_caller_that_hangs_up_still_gets_an_access_line() {
    let crier = boot(&[("CRIER_LOG__FORMAT", "json")]).await;
    // Telegram keeps its answer: the post waits, and the caller gives up first.
    let fault = json!({"network": "telegram", "endpoint": "sendMessage", "hold": true});
    let r = reqwest::Client::new().post(format!("{}/_sandbox/faults", crier.binary.sandbox)).json(&fault).send().await.unwrap();
    assert!(r.status().is_success());
    let gave_up = reqwest::Client::new()
        .post(format!("{}/api/post", crier.binary.url))
        .bearer_auth(&crier.binary.key)
        .header("X-Request-Id", "impatient-1")
        .timeout(Duration::from_millis(500))
        .json(&json!({"post": "held", "platforms": ["telegram"]}))
        .send()
        .await;
    assert!(gave_up.is_err_and(|e| e.is_timeout()));
    let closed = |l: &str| serde_json::from_str::<Value>(l).is_ok_and(|v| v["target"] == "crier::access" && v["request_id"] == "impatient-1" && v["status"] == 499);
    crier.wait_for_lines(&[("access line with status 499", &closed)]).await;
}
