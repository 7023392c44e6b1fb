#!/usr/bin/env bash
# Generates every OpenAPI document (*.json, *.yaml, *.yml) in DIR into its own scratch crate and
# runs `cargo check` on it with warnings denied. Made for progenitor's Dropshot samples
# (`sample_openapi/{nexus,buildomat,keeper,propolis-server}.json` of oxidecomputer/progenitor),
# which are not in this repository: copy them into a folder of your own first.
#
#   tests/bench/dropshot_samples.sh /tmp/dropshot-samples
#
# No network: the scratch crates use the runtime crate of this repository (templates/runtime),
# with dependencies resolved from this repository's Cargo.lock, offline. Scratch crates and their shared target directory
# live in $DROPSHOT_SCRATCH (default target/dropshot-samples). Prints one line per document and
# exits 1 when any of them fails to generate or to check.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 DIR   (DIR holds the OpenAPI documents to generate and check)" >&2
    exit 2
fi
DIR=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SCRATCH=${DROPSHOT_SCRATCH:-$ROOT/target/dropshot-samples}
mkdir -p "$SCRATCH"
export CARGO_TERM_COLOR=never

cargo build --quiet --locked -p cloudgen
CLOUDGEN="$ROOT/target/debug/cloudgen"

# The generated module needs only the runtime crate (every feature: which parts an API needs
# differs per document).
DEPS="[dependencies]
cloudgen-runtime = { path = \"$ROOT/templates/runtime\", features = [\"envelope\", \"multipart\", \"token-exchange\"] }"

failed=0
printf '%-24s %-10s %8s %9s %s\n' document result lines warnings detail
for spec in "$DIR"/*.json "$DIR"/*.yaml "$DIR"/*.yml; do
    [ -e "$spec" ] || continue
    name=$(basename "${spec%.*}" | tr -c 'a-zA-Z0-9_\n' '_')
    crate="$SCRATCH/$name"
    mkdir -p "$crate"
    printf '[package]\nname = "sample_%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[lib]\npath = "lib.rs"\n\n[workspace]\n\n%s\n' \
        "$name" "$DEPS" >"$crate/Cargo.toml"
    cp Cargo.lock "$crate/Cargo.lock"
    if ! "$CLOUDGEN" generate "$spec" --out "$crate/lib.rs" 2>"$crate/generate.log"; then
        printf '%-24s %-10s %8s %9s %s\n' "$name" "refused" - - "$(grep -m1 -E '^error' "$crate/generate.log" || head -n1 "$crate/generate.log")"
        failed=1
        continue
    fi
    lines=$(wc -l <"$crate/lib.rs")
    warnings=$(grep -cE '^warning' "$crate/generate.log" || true)
    if RUSTFLAGS="-D warnings" CARGO_TARGET_DIR="$SCRATCH/target" \
        cargo check --quiet --offline --manifest-path "$crate/Cargo.toml" 2>"$crate/check.log"; then
        printf '%-24s %-10s %8s %9s\n' "$name" ok "$lines" "$warnings"
    else
        printf '%-24s %-10s %8s %9s %s\n' "$name" "check-fail" "$lines" "$warnings" "$(grep -m1 -E '^error' "$crate/check.log" || true)"
        failed=1
    fi
done
[ "$failed" -eq 0 ]
