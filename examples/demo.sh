#!/usr/bin/env bash
# The main job on the example article, offline: store examples/leaky-gut.txt with its
# claims and references, fetch the cited works' metadata (the example's two records
# ship with the tracker), link claims to the works they rest on, and check everything.
# Usage: examples/demo.sh [DATABASE]   (default db/demo.db, rebuilt from scratch)
set -euo pipefail
cd "$(dirname "$0")/.."
tracker=${TRACKER:-.venv/bin/tracker}
db=${1:-db/demo.db}
export TRACKER_OFFLINE=1
barrier=10.3390/ijerph182312836
retinoic=10.3390/nu10081016

rm -f "$db" "$db-wal" "$db-shm"
run() { "$tracker" --db "$db" "$@"; }

run ingest examples/leaky-gut.txt
run fetch

# The article has no inline citation markers: a reader links its claims by hand.
for claim in 1 2 3; do
    run claim link "$claim" "$barrier" --note "Reference 1 of the article" >/dev/null
done
run claim link 6 "$barrier" --note "References 1 and 2 of the article" >/dev/null
run claim link 6 "$retinoic" --stance supports \
    --note "Reviews the links between leaky gut and autoimmune disease" >/dev/null
run claim link 7 "$retinoic" --note "Reference 2 of the article" >/dev/null

# A reviewer's reading: both works are narrative reviews (Crossref gives no abstract to
# tell), and a verdict on claim 6. Both go to review_log with who and why.
for doi in "$barrier" "$retinoic"; do
    run work level "$doi" --level none --design narrative_review \
        --reason "Narrative review: no systematic search" >/dev/null
done
run claim review 6 --status partly_supported \
    --note "A narrative review backs the association, not the cause" >/dev/null

run claim list
echo
run check || true  # check exits 1 when it finds problems, as it does here
echo
run export bibtex --article 1 -o bib/leaky-gut.bib
