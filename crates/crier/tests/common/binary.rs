//! `crier serve --sandbox` as a child process (the real binary), known by its banner: the API
//! URL, the sandbox URL and the API key it printed.

use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

pub struct SandboxBinary {
    pub url: String,
    pub sandbox: String,
    pub key: String,
    /// The banner's sandbox line (it names the emulated networks).
    pub sandbox_line: String,
    pub child: Child,
    /// The data directory (`--data-dir`).
    pub dir: tempfile::TempDir,
    /// Kept open: crier may print more, and a closed pipe would fail its writes.
    pub stdout: Lines<BufReader<ChildStdout>>,
}

impl SandboxBinary {
    /// Boots in a fresh data directory, `RUST_LOG=warn` on an inherited stderr unless `adjust`
    /// (given the data directory) says otherwise.
    pub async fn boot(adjust: impl FnOnce(&mut Command, &std::path::Path)) -> SandboxBinary {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crier"));
        cmd.args(["serve", "--sandbox", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        adjust(&mut cmd, dir.path());
        let mut child = cmd.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next = async || tokio::time::timeout(Duration::from_secs(60), stdout.next_line()).await.unwrap().unwrap().unwrap();
        let url = next().await.strip_prefix("crier listening on ").unwrap().to_string();
        let sandbox_line = next().await;
        let sandbox = sandbox_line.strip_prefix("crier sandbox on ").unwrap().split(' ').next().unwrap().to_string();
        let key = next().await.strip_prefix("crier API key: ").unwrap().to_string();
        SandboxBinary { url, sandbox, key, sandbox_line, child, dir, stdout }
    }

    /// SIGTERM, then waits for the process to exit; its exit status.
    pub async fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        tokio::time::timeout(Duration::from_secs(60), self.child.wait()).await.unwrap().unwrap()
    }
}

/// Runs a `crier` command to its end; its standard output (the test fails with its stderr).
pub async fn run_ok(mut c: Command) -> String {
    let out = c.output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Starts `crier serve` from `cmd` (a `crier` command with its data and environment) on a free
/// loopback port; the child and its base URL, read from its first line of output.
pub async fn serve_listening(mut cmd: Command) -> (Child, String) {
    cmd.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(super::WAIT, lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = line.strip_prefix("crier listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_string();
    (child, url)
}
