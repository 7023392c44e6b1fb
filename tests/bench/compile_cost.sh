#!/usr/bin/env bash
# Compile cost of the generated crate `cloudapi`: lines of generated code per provider, and the
# time of a clean `cargo check` and `cargo build` (dev profile) of cloudapi alone, per feature,
# with its dependencies prebuilt.
#
#   nice tests/bench/compile_cost.sh            # every feature, 3 runs each
#   RUNS=1 tests/bench/compile_cost.sh upcloud  # one feature, one run
#
# Builds in its own target directory (default target/compile-cost, or $COMPILE_COST_TARGET_DIR)
# so that `cargo clean -p cloudapi` between runs never touches the workspace's target/. The
# first run there builds the dependencies once (a few minutes); they are not timed.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
TARGET_DIR=${COMPILE_COST_TARGET_DIR:-target/compile-cost}
export CARGO_TERM_COLOR=never
if [ $# -gt 0 ]; then
    FEATURES=("$@")
else
    FEATURES=(upcloud upcloud_metadata transip unikraft all)
fi

# Lines: all lines, and code lines (neither blank nor a comment/doc line).
count() {
    local total code
    total=$(cat "$@" | wc -l)
    code=$(cat "$@" | grep -cvE '^[[:space:]]*(//.*)?$' || true)
    printf '%-28s %10s %10s\n' "$name" "$total" "$code"
}
printf '%-28s %10s %10s\n' "generated code" "lines" "code_lines"
for dir in generated/src/*/; do
    name=$(basename "$dir")
    count "$dir"*.rs
done
name="total (generated/src)"
count generated/src/*.rs generated/src/*/*.rs
echo

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9+0.999); if (i<1) i=1; print a[i]}'; }

# Seconds taken by one cargo command.
timed() {
    local start end
    start=$(date +%s.%N)
    cargo "$@" --quiet --locked -p cloudapi --target-dir "$TARGET_DIR" >/dev/null 2>"$TARGET_DIR/last.log" || {
        cat "$TARGET_DIR/last.log" >&2
        exit 1
    }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

mkdir -p "$TARGET_DIR"
printf '%-28s %10s %10s %4s\n' "name" "median_s" "p90_s" "n"
for feature in "${FEATURES[@]}"; do
    if [ "$feature" = all ]; then
        flags=(--all-features)
    else
        flags=(--no-default-features --features "$feature")
    fi
    for cmd in check build; do
        # Dependencies first (untimed), then clean cloudapi alone before each timed run.
        cargo "$cmd" --quiet --locked -p cloudapi --target-dir "$TARGET_DIR" "${flags[@]}" >/dev/null
        samples=()
        for _ in $(seq "$RUNS"); do
            cargo clean --quiet -p cloudapi --target-dir "$TARGET_DIR"
            samples+=("$(timed "$cmd" "${flags[@]}")")
        done
        printf '%-28s %10.2f %10.2f %4s\n' "$cmd/$feature" \
            "$(printf '%s\n' "${samples[@]}" | median)" \
            "$(printf '%s\n' "${samples[@]}" | p90)" "$RUNS"
    done
done
