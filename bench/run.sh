#!/usr/bin/env bash
# Times copsync's reading and validation of generated membership workbooks
# against a bare excelize row scan of the same files, in the same run, and
# prints a Markdown table. Usage, from the repository root:
#
#   bench/run.sh                      # 20k, 200k and 600k rows, best of 3
#   ROWS="200000" RUNS=5 bench/run.sh
#
# Workbooks are generated once into bench/data/ (ignored by git). Time is
# wall-clock time and memory the peak resident set size, both from
# /usr/bin/time (apt-get install time); each figure is the best of RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-"20000 200000 600000"}
RUNS=${RUNS:-3}
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	echo "bench/run.sh needs GNU time at $TIME (apt-get install time)" >&2
	exit 2
fi

mkdir -p bench/data
bin=bench/data/copsync-bench
go build -o "$bin" ./bench/cmd
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# measure MODE FILE prints "seconds kilobytes" for one run.
measure() {
	"$TIME" -f "%e %M" -o "$out" "$bin" "$1" "$2" >/dev/null
	cat "$out"
}

# best prints the smallest time and the smallest peak memory of RUNS runs
# of MODE on FILE, as "seconds kilobytes".
best() {
	local t m bt="" bm=""
	for _ in $(seq "$RUNS"); do
		read -r t m < <(measure "$1" "$2")
		if [ -z "$bt" ] || awk -v a="$t" -v b="$bt" 'BEGIN{exit !(a<b)}'; then bt=$t; fi
		if [ -z "$bm" ] || [ "$m" -lt "$bm" ]; then bm=$m; fi
	done
	echo "$bt $bm"
}

echo "| rows | file | excelize scan: time | excelize scan: peak memory | copsync read + validate: time | copsync read + validate: peak memory | added time | added memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $ROWS; do
	file=bench/data/members-$n.xlsx
	[ -f "$file" ] || "$bin" gen -rows "$n" -o "$file"
	size=$(du -k "$file" | cut -f1)
	read -r st sm < <(best scan "$file")
	read -r ct cm < <(best validate "$file")
	awk -v n="$n" -v size="$size" -v st="$st" -v sm="$sm" -v ct="$ct" -v cm="$cm" 'BEGIN {
		printf "| %d | %.1f MiB | %.2f s | %.0f MiB | %.2f s | %.0f MiB | %+.0f %% | %+.0f %% |\n",
			n, size/1024, st, sm/1024, ct, cm/1024, (ct/st-1)*100, (cm/sm-1)*100
	}'
done
