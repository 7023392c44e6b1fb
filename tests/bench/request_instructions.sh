#!/bin/sh
# Instructions per `GET /account` request, through cloudapi and by hand (reqwest + serde_json),
# counted with callgrind on the client bench binary (`--side`), so that a loaded machine gives
# the same figures as a quiet one. Each side runs N1 and N2 requests; the difference divided by
# N2 - N1 is the cost of one request, without the start-up both runs share.
#
#   tests/bench/request_instructions.sh            # bench profile (optimised), as the bench
#   PROFILE=dev tests/bench/request_instructions.sh   # debug build: quick to build, not comparable
#
# Needs valgrind. N1 and N2 default to 200 and 600.
set -eu
cd "$(dirname "$0")/../.."
N1=${N1:-200}
N2=${N2:-600}
PROFILE=${PROFILE:-bench}
if [ "$PROFILE" = bench ]; then
    bin=$(cargo bench --locked -p cloudgen-tests --bench client --no-run --message-format=json 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
else
    bin=$(cargo build --locked -p cloudgen-tests --bench client --profile "$PROFILE" --message-format=json 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
fi
[ -x "$bin" ] || { echo "could not build the client bench" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Total instructions (Ir) of one run of one side.
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" --side "$1" --requests "$2" \
        >/dev/null 2>"$out/log" || { cat "$out/log" >&2; exit 1; }
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/cg"
}

echo "profile $PROFILE, $N1 and $N2 requests per side"
api=$(( ($(count cloudapi "$N2") - $(count cloudapi "$N1")) / (N2 - N1) ))
hand=$(( ($(count by_hand "$N2") - $(count by_hand "$N1")) / (N2 - N1) ))
echo "cloudapi  $api instructions per request"
echo "by_hand   $hand instructions per request"
awk -v a="$api" -v h="$hand" 'BEGIN { printf "overhead  %+.1f%% (%+d instructions)\n", (a / h - 1) * 100, a - h }'
