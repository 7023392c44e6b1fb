#!/usr/bin/env bash
# What a module generated in a user's build.rs costs to compile, in the two ways cloudgen can
# generate it:
#   crate   the module names the `cloudgen-runtime` crate, compiled once as a dependency (the
#           default since the runtime became its own crate);
#   inline  the module carries its own copy of the runtime (`Generator::inline_runtime(true)`,
#           how every module was generated before), so the crate compiles the runtime itself.
#
# Each way is a scratch crate under $OUT with a build.rs that generates $SPEC. Its dependencies
# are built first; then, $RUNS times, `src/lib.rs` is touched and `cargo check` and
# `cargo build` of the crate alone are timed (the median is printed), with the lines of the
# generated module.
#
#   tests/bench/buildrs_cost.sh                        # the petstore of tests/buildrs
#   SPEC=specs/upcloud.yaml FEATURES= tests/bench/buildrs_cost.sh
#
# Environment: SPEC (default tests/buildrs/petstore.yaml), RUNS (3), OUT (target/buildrs-cost),
# FEATURES (runtime features the spec needs, comma-separated, e.g. "envelope").
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SPEC=$(realpath "${SPEC:-$ROOT/tests/buildrs/petstore.yaml}")
RUNS=${RUNS:-3}
OUT=$(realpath -m "${OUT:-$ROOT/target/buildrs-cost}")
FEATURES=${FEATURES:-}
export CARGO_TARGET_DIR=$OUT/target
# Whole-crate compiles, as on a first build or in CI, not incremental re-compiles.
export CARGO_INCREMENTAL=0

# The runtime's own [dependencies] (without `optional = true`): what an inline module needs.
runtime_deps() {
    awk '/^\[dependencies\]/{on=1; next} /^\[/{on=0} on && NF' "$ROOT/templates/runtime/Cargo.toml" |
        sed -e 's/optional = true, //' -e 's/, optional = true//'
}

scratch() {
    local mode=$1 dir=$OUT/$1 inline=false
    [ "$mode" = inline ] && inline=true
    rm -rf "$dir" && mkdir -p "$dir/src"
    cp "$SPEC" "$dir/spec.yaml"
    cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
    {
        printf '[package]\nname = "buildrs-cost-%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n' "$mode"
        printf '[workspace]\n\n[build-dependencies]\ncloudgen = { path = "%s/generator", default-features = false }\n\n[dependencies]\n' "$ROOT"
        if [ "$inline" = true ]; then
            runtime_deps
        else
            local features=""
            [ -n "$FEATURES" ] && features=", features = [\"${FEATURES//,/\", \"}\"]"
            printf 'cloudgen-runtime = { path = "%s/templates/runtime"%s }\n' "$ROOT" "$features"
        fi
    } >"$dir/Cargo.toml"
    cat >"$dir/build.rs" <<EOF
fn main() {
    cloudgen::Generator::new()
        .module_name("api")
        .inline_runtime($inline)
        .write_to_out_dir("spec.yaml")
        .unwrap_or_else(|d| panic!("{d}"));
}
EOF
    printf '#![allow(warnings)]\ninclude!(concat!(env!("OUT_DIR"), "/api.rs"));\n' >"$dir/src/lib.rs"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

seconds() { # seconds one cargo command takes in $dir, after touching src/lib.rs
    touch "$dir/src/lib.rs"
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && cargo "$@" --quiet >/dev/null)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

printf '%-7s %10s %10s %8s\n' way check_s build_s lines
for mode in crate inline; do
    scratch "$mode"
    dir=$OUT/$mode
    (cd "$dir" && cargo build --quiet && cargo check --quiet) # dependencies and build script
    checks=$(for _ in $(seq "$RUNS"); do seconds check; done | median)
    builds=$(for _ in $(seq "$RUNS"); do seconds build; done | median)
    module=$(find "$CARGO_TARGET_DIR/debug/build" -path "*buildrs-cost-$mode-*/out/api.rs" | head -1)
    printf '%-7s %10.2f %10.2f %8d\n' "$mode" "$checks" "$builds" "$(wc -l <"$module")"
done
