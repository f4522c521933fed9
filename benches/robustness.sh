#!/usr/bin/env bash
# Robustness benchmark on the release build (speed targets live here, not in
# tests): the hostile tree of tests/robustness.rs beside one real finding,
# timed in the human, short and JSON formats with peak memory, plus panic
# containment in the release profile (CONNLINT_TEST_PANIC).
#
#   benches/robustness.sh            # build --release, run, print a table
#   BIN=path/to/cargo-connlint benches/robustness.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-}
if [[ -z "$BIN" ]]; then
  cargo build --release --quiet
  BIN=target/release/cargo-connlint
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/connlint-hostile.XXXXXX")
trap 'rm -rf "$dir"' EXIT
rep() { head -c "$2" /dev/zero | tr '\0' '#' | sed "s/#/$1/g"; }
loop='async fn f(urls: Vec<String>) {
    for u in urls {
        let c = reqwest::Client::new();
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}'
printf '%s\n' "$loop" > "$dir/real.rs"
h="$dir/hostile"
mkdir -p "$h"
{ printf 'fn f() { let x = '; rep '(' 100000; printf 1; rep ')' 100000; printf '; }\n'; } > "$h/parens.rs"
{ printf 'fn f() '; rep '{' 50000; rep '}' 50000; printf '\n'; } > "$h/blocks.rs"
{ printf 'type T = '; rep 'Vec<' 40000; printf u8; rep '>' 40000; printf ';\n'; } > "$h/generics.rs"
{ printf 'fn f() { let c = '; rep '|| ' 70000; printf '1; }\n'; } > "$h/closures.rs"
{ printf 'fn f(a: bool) { if a {} '; rep 'else if a {} ' 45000; printf '}\n'; } > "$h/else_if.rs"
{ printf 'fn f() { let c = reqwest::Client::new(); c'; rep '.a()' 50000; printf '; }\n'; } > "$h/chain.rs"
{ rep 'mod m {' 10000; rep '}' 10000; printf '\n'; } > "$h/mods.rs"
# 15 MiB of code on one line: 300,000 small functions.
for ((i = 0; i < 6; i++)); do printf 'fn h(x: u32) -> u32 { let y = x + 1; y * 2 } %.0s' $(seq 50000); done > "$h/line.rs"
printf '\n' >> "$h/line.rs"
printf 'fn f( {\n' > "$h/name$(printf '\xff').rs"
mkfifo "$h/fifo.rs"
ln -s "$h/loop.rs" "$h/loop.rs"
printf 'fn f() {}\n// caf\xe9\n' > "$h/latin1.rs"
{ printf '\xef\xbb\xbf'; printf '%s\n' "$loop" | sed 's/$/\r/'; } > "$h/bom_crlf.rs"
printf 'fn main() {\n    let x = ;\n}\n' > "$h/parse_error.rs"
: > "$h/empty.rs"
printf '%-8s %6s %9s %5s %8s\n' format secs peakMiB exit outKiB
for format in human short json; do
  out=$(mktemp)
  set +e
  /usr/bin/time -f '%e %M' -o "$out.time" "$BIN" "$dir" --message-format="$format" > "$out" 2> "$out.err"
  code=$?
  set -e
  read -r secs kib < <(tail -n 1 "$out.time")
  printf '%-8s %6s %9s %5s %8s\n' "$format" "$secs" $((kib / 1024)) "$code" $(($(wc -c < "$out") / 1024))
  [[ $code == 2 ]] || { echo "expected exit 2"; exit 1; }
  grep -q client_in_loop "$out" || { echo "the real finding is missing"; exit 1; }
  rm -f "$out" "$out.time" "$out.err"
done
# Panic containment in the release profile.
set +e
res=$(CONNLINT_TEST_PANIC=real.rs "$BIN" "$dir/real.rs" "$h/bom_crlf.rs" --message-format=short 2>&1)
code=$?
set -e
echo "$res" | grep -q 'internal error while analyzing `real.rs`' || { echo "panic not contained: $res"; exit 1; }
echo "$res" | grep -q 'bom_crlf.rs:3:17: warning' || { echo "the other file was not checked: $res"; exit 1; }
[[ $code == 2 ]] || { echo "a contained panic exits 2, not $code"; exit 1; }
echo "release build: a panic in one file is contained (exit 2, other files checked)"
