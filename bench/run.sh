#!/usr/bin/env bash
# Times copsync's reading and validation of generated membership workbooks
# against a bare excelize row scan of the same files, in the same run, and
# prints a Markdown table. Usage, from the repository root:
#
#   bench/run.sh                      # 20k, 200k and 600k rows, best of 5
#   ROWS="200000" RUNS=9 bench/run.sh
#   ROWS="" bench/run.sh              # only copsync report and run, at 200k
#
# Then, at WRITE_ROWS members (200,000 unless set; "" skips it), the whole
# copsync program: `copsync report` (read the membership and the bundled
# issues and activities, validate, write the report workbook) and `copsync
# run` (the same, plus the snapshots, the comparison with the last run and
# the e-mail into the outbox), each WRITE_RUNS times (3 unless set).
#
# Workbooks are generated once into bench/data/ (ignored by git). For each
# file the two programs run alternately RUNS times; the table gives the
# best wall-clock time, the CPU time (user + system) of that run, and the
# smallest peak resident set size, all from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS-"20000 200000 600000"}
RUNS=${RUNS:-5}
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	echo "bench/run.sh needs GNU time at $TIME (apt-get install time)" >&2
	exit 2
fi

mkdir -p bench/data
bin=bench/data/copsync-bench
scanner=bench/data/excelize-scan
go build -o "$bin" ./bench/cmd
go build -o "$scanner" ./bench/scan
copsync=bench/data/copsync
go build -o "$copsync" ./cmd/copsync
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# measure PROGRAM ARGS… prints "wall-seconds cpu-seconds peak-kilobytes".
measure() {
	"$TIME" -f "%e %U %S %M" -o "$out" "$@" >/dev/null
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out"
}

# keep BEST NEW: the better of two "wall cpu kilobytes" lines (least wall
# time, with its CPU time; least memory).
keep() {
	if [ -z "$1" ]; then echo "$2"; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		w = x[1]; c = x[2]; if (y[1] < x[1]) { w = y[1]; c = y[2] }
		m = x[3]; if (y[3] < x[3]) m = y[3]
		print w, c, m
	}'
}

echo "| rows | file | excelize scan: time (CPU) | excelize scan: peak memory | copsync read + validate: time (CPU) | copsync read + validate: peak memory | added time (CPU) | added memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $ROWS; do
	file=bench/data/members-$n.xlsx
	[ -f "$file" ] || "$bin" gen -rows "$n" -o "$file"
	size=$(du -k "$file" | cut -f1)
	scan="" check=""
	for _ in $(seq "$RUNS"); do
		scan=$(keep "$scan" "$(measure "$scanner" "$file")")
		check=$(keep "$check" "$(measure "$bin" validate "$file")")
	done
	read -r st sc sm <<<"$scan"
	read -r ct cc cm <<<"$check"
	awk -v n="$n" -v size="$size" -v st="$st" -v sc="$sc" -v sm="$sm" -v ct="$ct" -v cc="$cc" -v cm="$cm" 'BEGIN {
		printf "| %d | %.1f MiB | %.2f s (%.2f s) | %.0f MiB | %.2f s (%.2f s) | %.0f MiB | %+.0f %% (%+.0f %%) | %+.0f %% |\n",
			n, size/1024, st, sc, sm/1024, ct, cc, cm/1024, (ct/st-1)*100, (cc/sc-1)*100, (cm/sm-1)*100
	}'
done

WRITE_ROWS=${WRITE_ROWS-200000}
WRITE_RUNS=${WRITE_RUNS:-3}
if [ -n "$WRITE_ROWS" ]; then
	echo
	echo "| members | command | time (CPU) | peak memory | report | e-mail |"
	echo "|---:|---|---:|---:|---:|---:|"
	for n in $WRITE_ROWS; do
		file=bench/data/members-$n.xlsx
		[ -f "$file" ] || "$bin" gen -rows "$n" -o "$file"
		work=$(mktemp -d)
		# The bundled configuration, with the generated membership and
		# everything written under $work; the e-mail goes to the outbox.
		export COPSYNC_CONFIG=$PWD/config.yaml \
			COPSYNC_SOURCES_MEMBERS_PATH=$PWD/$file \
			COPSYNC_SOURCES_ISSUES_PATH=$PWD/examples/issues.xlsx \
			COPSYNC_SOURCES_ACTIVITIES_PATH=$PWD/examples/activities.xlsx \
			COPSYNC_STATE_DIR=$work/state COPSYNC_NOTIFY_OUTBOX=$work/outbox \
			COPSYNC_NOTIFY_WHEN=always COPSYNC_REPORT_PATH=$work/report-{date}.xlsx \
			COPSYNC_SYNC_SNAPSHOT_DIR=$work/snapshots COPSYNC_LOG_LEVEL=error
		for cmd in report run; do
			best=""
			for _ in $(seq "$WRITE_RUNS"); do
				rm -rf "$work/state" "$work/outbox" "$work/snapshots" "$work"/report-*.xlsx
				# Exit 1 (findings at the fail-on threshold) is a result, not a failure.
				best=$(keep "$best" "$(measure "$copsync" "$cmd" --date 2026-11-29 || true)")
			done
			read -r t c m <<<"$best"
			rsize=$(du -k "$work"/report-2026-11-29.xlsx 2>/dev/null | cut -f1 || true)
			esize=$(cat "$work"/outbox/*.eml 2>/dev/null | wc -c || true)
			awk -v n="$n" -v cmd="$cmd" -v t="$t" -v c="$c" -v m="$m" -v r="${rsize:-0}" -v e="$esize" 'BEGIN {
				mail = "-"; if (e > 0) mail = sprintf("%.1f MB", e/1e6)
				printf "| %d | copsync %s | %.2f s (%.2f s) | %.0f MiB | %.1f MiB | %s |\n", n, cmd, t, c, m/1024, r/1024, mail
			}'
		done
		rm -rf "$work"
	done
fi
