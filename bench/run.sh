#!/usr/bin/env bash
# Times copsync's reading and validation of generated membership workbooks
# against its peers, in the same run, and prints two Markdown tables.
# Usage, from the repository root:
#
#   bench/run.sh                      # 20k, 200k and 600k rows, median of 5
#   ROWS="200000" RUNS=9 bench/run.sh
#   PEERS=0 bench/run.sh              # copsync and the excelize scan only
#   ROWS="" bench/run.sh              # only copsync report and run, at 200k
#
# Then, at WRITE_ROWS members (200,000 unless set; "" skips it), the whole
# copsync program: `copsync report` (read the membership and the bundled
# issues and activities, validate, write the report workbook) and `copsync
# run` (the same, plus the snapshots, the comparison with the last run and
# the e-mail into the outbox), each WRITE_RUNS times (3 unless set).
#
# Workbooks are generated once into bench/data/ (ignored by git), with
# their texts as shared strings, as Excel writes them (bench/cmd gen -sst).
# For each file the programs run one after the other, RUNS times over;
# the tables give the median wall-clock time, the CPU time (user + system)
# of that run, and the median peak resident set size, from /usr/bin/time.
#
# The programs:
#   copsync    bench/cmd validate: sync.Read (the streaming reader,
#              sync/xlsxstream*.go) + validate, as copsync validate
#   excelize   bench/scan: a bare excelize row scan
#   openpyxl   bench/openpyxl_scan.py, read-only mode (apt-get install
#              python3-openpyxl)
#   exceljs    bench/exceljs_scan.js, its streaming WorkbookReader (npm
#              installs exceljs into bench/data/node on the first run)
#   unzip      unzip -p of the sheet's part: inflating alone, the floor
# A peer that is not installed is left out, with a line saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS-"20000 200000 600000"}
RUNS=${RUNS:-5}
PEERS=${PEERS:-1}
TIME=/usr/bin/time
PYTHON=${PYTHON:-/usr/bin/python3}
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

programs="copsync excelize"
if [ "$PEERS" = 1 ]; then
	if "$PYTHON" -c 'import openpyxl' 2>/dev/null; then
		programs="$programs openpyxl"
	else
		echo "openpyxl left out: $PYTHON cannot import it (apt-get install python3-openpyxl)" >&2
	fi
	if [ ! -d bench/data/node/node_modules/exceljs ] && command -v npm >/dev/null; then
		mkdir -p bench/data/node
		(cd bench/data/node && npm install --silent --no-audit --no-fund exceljs >/dev/null 2>&1) || true
	fi
	if [ -d bench/data/node/node_modules/exceljs ] && command -v node >/dev/null; then
		programs="$programs exceljs"
	else
		echo "exceljs left out: node or npm install exceljs failed" >&2
	fi
	programs="$programs unzip"
fi

# run PROGRAM FILE runs one program on a workbook, its output discarded.
run() {
	case $1 in
	copsync) "$bin" validate "$2" ;;
	excelize) "$scanner" "$2" ;;
	openpyxl) "$PYTHON" -W ignore bench/openpyxl_scan.py "$2" ;;
	exceljs) NODE_PATH=bench/data/node/node_modules node bench/exceljs_scan.js "$2" ;;
	unzip) unzip -p "$2" xl/worksheets/sheet1.xml ;;
	esac
}

# measure PROGRAM FILE prints "wall-seconds cpu-seconds peak-kilobytes".
measure() {
	"$TIME" -f "%e %U %S %M" -o "$out" bash -c "$(declare -f run); bin=$bin scanner=$scanner PYTHON=$PYTHON run $1 $2" >/dev/null
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out"
}

# median LINES: of "wall cpu kilobytes" lines, one a run, the median wall
# time with that run's CPU time, and the median peak.
median() {
	local k mid peak
	k=$(( ($# + 1) / 2 ))
	mid=$(printf '%s\n' "$@" | sort -g -k1,1 | sed -n "${k}p")
	peak=$(printf '%s\n' "$@" | awk '{ print $3 }' | sort -g | sed -n "${k}p")
	echo "$mid" | awk -v m="$peak" '{ print $1, $2, m }'
}

# measure_cmd COMMAND ARGS… runs a command, its output discarded, and prints
# "wall-seconds cpu-seconds peak-kilobytes"; an exit status of 1 (findings
# at the fail-on threshold) is a result, not a failure.
measure_cmd() {
	"$TIME" -f "%e %U %S %M" -o "$out" "$@" >/dev/null || true
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out"
}

declare -A best
header="| rows | file |"
rule="|---:|---:|"
for p in $programs; do
	header="$header $p: time (CPU) / peak |"
	rule="$rule---:|"
done
table="$header"$'\n'"$rule"
ratios="| rows | copsync / unzip | copsync / exceljs | copsync / openpyxl | copsync / excelize | copsync peak / openpyxl peak | copsync µs per row |"$'\n'"|---:|---:|---:|---:|---:|---:|---:|"
for n in $ROWS; do
	file=bench/data/members-sst-$n.xlsx
	[ -f "$file" ] || "$bin" gen -sst -rows "$n" -o "$file"
	size=$(du -k "$file" | cut -f1)
	declare -A runs
	for p in $programs; do runs[$p]=""; done
	for _ in $(seq "$RUNS"); do
		for p in $programs; do
			runs[$p]="${runs[$p]}$(measure "$p" "$file")"$'\n'
		done
	done
	for p in $programs; do
		mapfile -t lines < <(printf '%s' "${runs[$p]}")
		best[$p]=$(median "${lines[@]}")
	done
	line="| $n | $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s/1024 }') |"
	for p in $programs; do
		line="$line $(echo "${best[$p]}" | awk '{ printf "%.2f s (%.2f s) / %.0f MiB", $1, $2, $3/1024 }') |"
	done
	table="$table"$'\n'"$line"
	ratio() { # ratio A B: A's wall time over B's, or "–"
		if [ -n "${best[$1]:-}" ] && [ -n "${best[$2]:-}" ]; then
			awk -v a="${best[$1]}" -v b="${best[$2]}" 'BEGIN { split(a, x, " "); split(b, y, " "); if (y[1] > 0) printf "%.2f×", x[1]/y[1]; else printf "–" }'
		else
			printf "–"
		fi
	}
	peak="–"
	if [ -n "${best[openpyxl]:-}" ]; then
		peak=$(awk -v a="${best[copsync]}" -v b="${best[openpyxl]}" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f×", x[3]/y[3] }')
	fi
	perrow=$(awk -v a="${best[copsync]}" -v n="$n" 'BEGIN { split(a, x, " "); printf "%.1f", x[1] * 1e6 / n }')
	ratios="$ratios"$'\n'"| $n | $(ratio copsync unzip) | $(ratio copsync exceljs) | $(ratio copsync openpyxl) | $(ratio copsync excelize) | $peak | $perrow |"
done
echo "$table"
echo
echo "$ratios"

WRITE_ROWS=${WRITE_ROWS-200000}
WRITE_RUNS=${WRITE_RUNS:-3}
if [ -n "$WRITE_ROWS" ]; then
	echo
	echo "| members | command | time (CPU) | peak memory | report | e-mail |"
	echo "|---:|---|---:|---:|---:|---:|"
	for n in $WRITE_ROWS; do
		file=bench/data/members-sst-$n.xlsx
		[ -f "$file" ] || "$bin" gen -sst -rows "$n" -o "$file"
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
			wruns=()
			for _ in $(seq "$WRITE_RUNS"); do
				rm -rf "$work/state" "$work/outbox" "$work/snapshots" "$work"/report-*.xlsx
				wruns+=("$(measure_cmd "$copsync" "$cmd" --date 2026-11-29)")
			done
			read -r t c m <<<"$(median "${wruns[@]}")"
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
