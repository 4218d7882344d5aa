#!/usr/bin/env bash
# Times crier's image conversion against libvips and ImageMagick on the same
# 12-megapixel (4000x3000) photo-like picture as WebP, AVIF and HEIC, each
# converted to a quality-85 JPEG by one process per run (hyperfine, else a loop).
#
#   scripts/bench-media.sh            # runs: 5 per command (BENCH_RUNS=N to change)
#
# Installs its tools from Debian if missing (needs root): libvips-tools, imagemagick,
# webp, libavif-bin, libheif-examples, hyperfine. Builds crier's bench binary in release
# mode (crates/crier-media/examples/convert_bench.rs). Issue #5's goal: crier at least
# 1.3x faster than vips on each format; the table prints vips-time / crier-time.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${BENCH_RUNS:-5}"
# The real binaries, not whatever a PATH wrapper puts first.
VIPS=/usr/bin/vips
IM=/usr/bin/convert-im6.q16

need=()
[ -x "$VIPS" ] || need+=(libvips-tools)
[ -x "$IM" ] || need+=(imagemagick)
command -v cwebp >/dev/null 2>&1 || need+=(webp)
command -v avifenc >/dev/null 2>&1 || need+=(libavif-bin)
command -v heif-enc >/dev/null 2>&1 || need+=(libheif-examples)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" || true
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== making the 4000x3000 samples in $WORK"
# A fractal plasma with fine noise: smooth gradients plus detail, like a photo.
# 8-bit 4:2:0 everywhere, as phone cameras write them.
"$IM" -seed 7 -size 4000x3000 plasma:fractal -blur 0x2 -attenuate 0.15 +noise Gaussian -depth 8 \
  -define png:compression-level=1 "$WORK/source.png"
cwebp -quiet -q 85 "$WORK/source.png" -o "$WORK/photo.webp"
avifenc --jobs 2 -d 8 -y 420 -s 8 --min 10 --max 14 "$WORK/source.png" "$WORK/photo.avif" >/dev/null
heif-enc -q 85 "$WORK/source.png" -o "$WORK/photo.heic"
ls -l "$WORK"/photo.*

echo "== building crier's convert_bench (release)"
cargo build --release --locked -p crier-media --example convert_bench
CRIER="${CARGO_TARGET_DIR:-target}/release/examples/convert_bench"

# mean seconds of one command, via hyperfine's JSON or a plain loop
time_cmd() {
  local name="$1" cmd="$2"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$WORK/$name.json" "$cmd" >&2
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["mean"], r["stddev"] or 0))' "$WORK/$name.json"
  else
    bash -c "$cmd" >/dev/null
    local start end
    start=$(date +%s.%N)
    for _ in $(seq "$RUNS"); do bash -c "$cmd" >/dev/null; done
    end=$(date +%s.%N)
    python3 -c 'import sys; print("%.4f 0" % ((float(sys.argv[2]) - float(sys.argv[1])) / int(sys.argv[3])))' "$start" "$end" "$RUNS"
  fi
}

rows=()
for fmt in webp avif heic; do
  in="$WORK/photo.$fmt"
  echo "== $fmt" >&2
  read -r c_mean c_sd < <(time_cmd "crier-$fmt" "$CRIER $in")
  read -r v_mean v_sd < <(time_cmd "vips-$fmt" "$VIPS copy $in $WORK/vips-$fmt.jpg[Q=85]")
  read -r m_mean m_sd < <(time_cmd "im-$fmt" "$IM $in -quality 85 $WORK/im-$fmt.jpg")
  sizes="$(stat -c %s "$in.crier.jpg") $(stat -c %s "$WORK/vips-$fmt.jpg") $(stat -c %s "$WORK/im-$fmt.jpg")"
  rows+=("$fmt $c_mean $c_sd $v_mean $v_sd $m_mean $m_sd $sizes")
done

echo
python3 - "${rows[@]}" <<'PY'
import sys
print("| input (4000x3000) | crier | vips copy | ImageMagick | vips / crier | IM / crier | JPEG bytes crier / vips / IM |")
print("|---|---|---|---|---|---|---|")
for row in sys.argv[1:]:
    f, c, cs, v, vs, m, ms, cb, vb, mb = row.split()
    c, cs, v, vs, m, ms = map(float, (c, cs, v, vs, m, ms))
    print(f"| {f} | {c*1e3:.0f} ± {cs*1e3:.0f} ms | {v*1e3:.0f} ± {vs*1e3:.0f} ms | {m*1e3:.0f} ± {ms*1e3:.0f} ms"
          f" | {v/c:.2f}x | {m/c:.2f}x | {int(cb)/1e6:.2f} / {int(vb)/1e6:.2f} / {int(mb)/1e6:.2f} MB |")
PY
