//! Converts image files to JPEG with crier's pipeline, one process per call
//! so that it can be timed like `vips copy` and ImageMagick's `convert`
//! (scripts/bench-media.sh does that with hyperfine):
//!
//! ```sh
//! cargo run --release -p crier-media --example convert_bench -- photo.heic photo.avif
//! ```
//!
//! Each `<file>` is written next to itself as `<file>.crier.jpg`. The
//! conversion is [`Converter::to_jpeg_blocking`], the body of the pool's
//! blocking task, with default limits. `--repeat N` converts each file N
//! times in-process and prints the best wall time (no process start-up).

use crier_media::{ConvertLimits, Converter};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut repeat = 1usize;
    let mut files = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--repeat" {
            repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1).max(1);
        } else {
            files.push(arg);
        }
    }
    if files.is_empty() {
        eprintln!("usage: convert_bench [--repeat N] <file>...");
        std::process::exit(2);
    }

    let converter = Converter::new(ConvertLimits::default(), 1);
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        let mut best = Duration::MAX;
        let mut last = None;
        for _ in 0..repeat {
            let start = Instant::now();
            let out = converter.to_jpeg_blocking(&bytes);
            best = best.min(start.elapsed());
            last = Some(out);
        }
        match last.expect("repeat >= 1") {
            Ok(out) => {
                let target = format!("{path}.crier.jpg");
                if let Err(e) = std::fs::write(&target, &out.bytes) {
                    eprintln!("{target}: {e}");
                    std::process::exit(1);
                }
                if repeat > 1 {
                    println!(
                        "{path}: {}x{} -> {} bytes, best of {repeat}: {:.1} ms",
                        out.width,
                        out.height,
                        out.bytes.len(),
                        best.as_secs_f64() * 1e3
                    );
                }
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        }
    }
}
