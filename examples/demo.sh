#!/usr/bin/env bash
# The main job on the example article, offline: store the claims of
# examples/leaky-gut.txt and link them to the works its reference list cites.
# Usage: examples/demo.sh [DATABASE]   (default db/demo.db, rebuilt from scratch)
set -euo pipefail
cd "$(dirname "$0")/.."
tracker=${TRACKER:-.venv/bin/tracker}
db=${1:-db/demo.db}
barrier=10.3390/ijerph182312836
retinoic=10.3390/nu10081016

rm -f "$db" "$db-wal" "$db-shm"
"$tracker" --db "$db" init
add() { "$tracker" --db "$db" claim add "$@" --json >/dev/null; }

add "Under normal and healthy circumstances, the intestinal lining is selectively permeable." \
    --doi "$barrier" --note "Reference 1 of the article"
add "Specialized pores in the intestinal epithelium and tight junctions between cells allow for specific molecules to pass through from the intestine to the bloodstream." \
    --doi "$barrier" --note "Reference 1 of the article"
add "When tight junctions are not tight enough, larger particles are able to leak through the intestinal lining, creating a “leaky gut”." \
    --doi "$barrier" --note "Reference 1 of the article"
add "These leaked pathogens and particles would normally stay inside the gut lumen and not cause much trouble, but in the presence of increased intestinal permeability they have access to the entire body via the bloodstream."
add "Immune cells in the rest of the body mount an inflammatory response to such particles because they are recognized as foreign and dangerous."
add "Increased intestinal permeability has been linked to a number of chronic inflammatory and autoimmune conditions such as inflammatory bowel disease (IBD), celiac disease, multiple sclerosis (MS), systemic lupus erythematosus (SLE), mood disorders, autism spectrum disorders (ASD), Parkinson’s disease, and Alzheimer’s disease." \
    --doi "$barrier" --doi "$retinoic" --note "References 1 and 2 of the article"
add "While there are several diseases that do cause leaky gut, most of the research to date seems to indicate that leaky gut is more often a factor in the development of disease." \
    --doi "$retinoic" --note "Reference 2 of the article"
add "If we can help keep our gut “leak-free”, we may be able to prevent further complications."

# The works' metadata, offline: the example's two Crossref records ship with the tracker.
TRACKER_OFFLINE=1 "$tracker" --db "$db" fetch
"$tracker" --db "$db" claim list
