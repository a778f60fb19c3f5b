#!/bin/sh
# Seeds fuzz/corpus/{read,enrich,dateline,query} from the sample archive.
# The first byte of a read/enrich input picks the file name (see README).
set -e
cd "$(dirname "$0")"
mkdir -p corpus/read corpus/enrich corpus/dateline corpus/query
i=0
for f in $(find ../corpus -type f | sort); do
    case "$f" in
        *.txt) pick=0; epick=0 ;;
        *.json) pick=1; epick=1 ;;
        *.jsonl) pick=2; epick=1 ;;
        *.sgm) pick=3; epick=2 ;;
        *.xml) pick=4; epick=3 ;;
        *.gz) pick=5; epick= ;;
        *) continue ;;
    esac
    i=$((i + 1))
    { printf "\\$(printf %03o $pick)"; head -c 60000 "$f"; } > corpus/read/seed-$i
    if [ -n "$epick" ]; then
        { printf "\\$(printf %03o $epick)"; head -c 60000 "$f"; } > corpus/enrich/seed-$i
    fi
done
for lead in "MOSCOW (AP) — Text" "BEIRUT, Lebanon (AP) — x" "WASHINGTON, Dec. 29 (Reuters) - x" \
    "UNITED NATIONS (AP) -- x" "LONDON, March 3 - x" "Toronto, Feb 26" "RICHMOND, Va. Feb 26 -"; do
    i=$((i + 1))
    printf '%s' "$lead" > corpus/dateline/seed-$i
done
for q in 'war crimes' '"political transition"' 'Assad OR Putin' '-Russia' '(Assad OR Putin) talks' \
    'person:"Bashar Assad"' 'topic:reuters:crude' 'date:[2012-12-01 TO 2012-12-31]' 'date:2012-12'; do
    i=$((i + 1))
    printf '%s' "$q" > corpus/query/seed-$i
done
