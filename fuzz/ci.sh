#!/usr/bin/env bash
# Fuzz smoke run for CI: formats and lints the fuzz crate, builds every target with cargo-fuzz,
# then runs each for FUZZ_SECONDS (default 30) from the seed corpus, so that the targets never
# rot and shallow crashes are caught. Installs nightly and cargo-fuzz when they are missing.
# Long runs: see the README's "Fuzzing" section.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never
seconds=${FUZZ_SECONDS:-30}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --lib

./seed-corpus.sh
cargo +nightly fuzz build

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
total=0
for target in $(cargo +nightly fuzz list); do
    log="$logs/$target.log"
    if ! cargo +nightly fuzz run "$target" -- \
        -max_total_time="$seconds" -dict="$PWD/dict/sse.dict" -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    # libFuzzer's last words: "Done 123456 runs in 31 second(s)".
    runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -n 1)
    printf '%-16s %12s executions in %ss\n' "$target" "${runs:-?}" "$seconds"
    total=$((total + ${runs:-0}))
done
echo "all fuzz targets: $total executions"
