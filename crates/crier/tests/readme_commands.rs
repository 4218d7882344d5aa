//! The README's two commands do every set-up step, and `.ci/run` goes through them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The shell commands of the README's "Two commands" section, in order.
fn readme_commands() -> Vec<String> {
    let readme = read("README.md");
    let section = readme.split("## Two commands").nth(1).expect("a 'Two commands' section").split("\n## ").next().unwrap();
    section.split("```sh\n").skip(1).map(|block| block.split("```").next().unwrap().trim().to_string()).collect()
}

#[test]
fn the_readme_commands_are_the_scripts_that_set_up_and_ci_runs_them() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("scripts/run.sh serve --sandbox"), "{commands:?}");
    assert_eq!(commands[1], "scripts/test.sh");
    for script in ["scripts/run.sh", "scripts/test.sh"] {
        assert!(read(script).lines().any(|l| l.trim() == "scripts/setup.sh build"), "{script} installs the build's packages first");
    }
    let ci = read(".ci/run");
    let code: Vec<&str> = ci.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
    assert!(code.iter().any(|l| l.starts_with("scripts/setup.sh build")), ".ci/run installs through scripts/setup.sh");
    assert!(code.iter().filter(|l| l.contains("scripts/test.sh")).count() >= 2, ".ci/run runs both halves through scripts/test.sh");
    assert!(!code.iter().any(|l| l.contains("apt-get")), ".ci/run installs nothing on its own: {code:?}");
    assert!(!code.iter().any(|l| l.starts_with("cargo test")), ".ci/run tests through the README's command");
}

/// `setup.sh` on a machine that lacks cmake names cmake (dry run: nothing is installed).
#[test]
fn setup_names_what_a_fresh_machine_lacks() {
    // A PATH with the basic tools but no cmake (each linked from where this machine has it).
    let bin = tempfile::tempdir().unwrap();
    for tool in ["bash", "env", "id", "ls", "cc", "make", "pkg-config", "g++", "nasm", "python3"] {
        let Ok(out) = Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output() else { continue };
        let found = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !found.is_empty() {
            std::os::unix::fs::symlink(&found, bin.path().join(tool)).unwrap();
        }
    }
    let setup = repo().join("scripts/setup.sh");
    let run = |path: &Path| {
        let out = Command::new(bin.path().join("bash")).arg(&setup).arg("build").env("PATH", path).env("CRIER_SETUP_DRY_RUN", "1").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let said = run(bin.path());
    assert!(said.contains("would install") && said.split_whitespace().any(|w| w == "cmake"), "{said:?}");
    // With cmake on the PATH it is no longer named.
    if let Ok(out) = Command::new("sh").arg("-c").arg("command -v cmake").output() {
        let cmake = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !cmake.is_empty() {
            std::os::unix::fs::symlink(&cmake, bin.path().join("cmake")).unwrap();
            assert!(!run(bin.path()).split_whitespace().any(|w| w == "cmake"));
        }
    }
}
