package sync

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"google.golang.org/api/sheets/v4"

	"copsync/sync/sheetstest"
	"copsync/templates"
	"copsync/validate"
)

var snapDay = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// snapTabs are a membership tab (a merged title, a date, a boolean, an
// error, a ragged row) and a notes tab.
func snapTabs() []*sheets.Sheet {
	members := sheetstest.Tab(4242, "Members",
		[]any{"Membership", nil, nil},
		[]any{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Status", "Date joined", "Volunteer"},
		[]any{"Ada Lovelace", "ada@example.gc.ca", "Service Canada", "Federal", nil, "Active", time.Date(2022, 10, 15, 0, 0, 0, 0, time.UTC), true},
		[]any{"Grace Hopper", "grace@example"},
		nil,
		[]any{"Alan Turing", "alan@example.qc.ca", "Ville de Québec", "Municipal", "Qc", "Actif", 44000.5, false},
		[]any{"  spaced  ", "0042", "x/y: [z]", "Provincial", "PEI", sheetstest.Err("#DIV/0!"), "2022-10-15", "=not a formula"},
	)
	sheetstest.Merge(members, "A1:C1")
	notes := sheetstest.Tab(7, "Notes: 2026/11 [draft]", []any{"Nothing here"})
	return []*sheets.Sheet{notes, members}
}

func fake(t *testing.T) *sheetstest.Server {
	t.Helper()
	srv := sheetstest.New(t)
	t.Cleanup(srv.Close)
	srv.Add(sheetstest.Book("cop", "CoP records", snapTabs()...))
	return srv
}

func gsheetsSource(srv *sheetstest.Server, name, sheet string) Source {
	return Source{Name: name, Kind: "gsheets", SpreadsheetID: "cop", Sheet: sheet, Endpoint: srv.Endpoint()}
}

// writeWorkbook writes a small .xlsx source.
func writeWorkbook(t *testing.T, path string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{{"Enjeu", "Criticité", "Incidence", "Plan d'action"}, {"No member from NL", nil, nil, "Ask"}} {
		if err := f.SetSheetRow("Sheet1", validate.CellRef(0, i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func schemaOf(name string) validate.Schema { return validate.DefaultSchemas()[name] }

// entries lists a folder's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestSnapshotWritesEverySource(t *testing.T) {
	srv := fake(t)
	dir := t.TempDir()
	issuesPath := filepath.Join(dir, "issues-source.xlsx")
	issuesData := writeWorkbook(t, issuesPath)
	before, err := os.Stat(issuesPath)
	if err != nil {
		t.Fatal(err)
	}
	sources := []Source{
		gsheetsSource(srv, "members", "Members"),
		{Name: "issues", Kind: "xlsx", Path: issuesPath},
		gsheetsSource(srv, "activities", ""), // every tab
	}
	snaps := filepath.Join(dir, "snapshots")
	// 01:30 UTC on 30 November is still 29 November in Toronto.
	toronto, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	when := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC).In(toronto)
	written, err := Snapshot(context.Background(), sources, snaps, when)
	if err != nil {
		t.Fatal(err)
	}
	day := filepath.Join(snaps, "2026-11-29")
	want := []string{filepath.Join(day, "members.xlsx"), filepath.Join(day, "issues.xlsx"), filepath.Join(day, "activities.xlsx")}
	if diff := cmp.Diff(want, written); diff != "" {
		t.Fatalf("written (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"activities.xlsx", "issues.xlsx", "members.xlsx"}, entries(t, day)); diff != "" {
		t.Errorf("the snapshot folder holds (-want +got):\n%s", diff)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("%d requests for one spreadsheet", n)
	}

	// The .xlsx source: a byte copy, and the source untouched.
	got, err := os.ReadFile(filepath.Join(day, "issues.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, issuesData) {
		t.Error("the .xlsx snapshot differs from its source")
	}
	after, err := os.Stat(issuesPath)
	if err != nil {
		t.Fatal(err)
	}
	if src, _ := os.ReadFile(issuesPath); !bytes.Equal(src, issuesData) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the source was modified")
	}
	if st, _ := os.Stat(filepath.Join(day, "members.xlsx")); st.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode %v, want 0600 (it holds personal data)", st.Mode().Perm())
	}

	// The Google Sheets sources read back to the same tables.
	for _, src := range sources {
		if src.Kind != "gsheets" {
			continue
		}
		direct, err := ReadTable(WithGSheets(context.Background(), NewGSheets(nil, nil)), src, schemaOf(validate.SourceMembers))
		if err != nil {
			t.Fatal(err)
		}
		snap := Source{Name: src.Name, Kind: "xlsx", Path: filepath.Join(day, src.Name+".xlsx"), Sheet: src.Sheet}
		// The library's reading: raw values, as the Google Sheets
		// reader gives them (see ReadTableLibrary).
		back, err := ReadTableLibrary(context.Background(), snap, schemaOf(validate.SourceMembers))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(direct.Header, back.Header); diff != "" {
			t.Errorf("%s: header (-gsheets +snapshot):\n%s", src.Name, diff)
		}
		if diff := cmp.Diff(direct.Rows, back.Rows); diff != "" {
			t.Errorf("%s: rows (-gsheets +snapshot):\n%s", src.Name, diff)
		}
		if back.Origin.Sheet != "Members" {
			t.Errorf("%s: snapshot sheet %q", src.Name, back.Origin.Sheet)
		}
	}

	// What a person opening the snapshot sees: the date as a date, the
	// merged title, every tab when none was configured.
	f, err := excelize.OpenFile(filepath.Join(day, "activities.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"Notes_ 2026_11 (draft)", "Members"}, f.GetSheetList()); diff != "" {
		t.Errorf("tabs (-want +got):\n%s", diff)
	}
	if v, _ := f.GetCellValue("Members", "G3"); v != "2022-10-15" {
		t.Errorf("G3 shows %q, want the date 2022-10-15", v)
	}
	merges, err := f.GetMergeCells("Members")
	if err != nil || len(merges) != 1 || merges[0].GetStartAxis() != "A1" || merges[0].GetEndAxis() != "C1" {
		t.Errorf("merges = %v, %v", merges, err)
	}
	if typ, _ := f.GetCellType("Members", "H3"); typ != excelize.CellTypeBool {
		t.Errorf("H3 type %v, want a boolean", typ)
	}
}

func TestSnapshotValidatesIdentically(t *testing.T) {
	srv := fake(t)
	dir := t.TempDir()
	sources := []Source{gsheetsSource(srv, "members", "members")}
	ctx := WithGSheets(context.Background(), NewGSheets(nil, sources))
	if _, err := Snapshot(ctx, sources, dir, snapDay); err != nil {
		t.Fatal(err)
	}
	fromSnap, err := FromSnapshot(dir, "2026-11-29", sources)
	if err != nil {
		t.Fatal(err)
	}
	want := validateAll(t, ctx, sources)
	got := validateAll(t, context.Background(), fromSnap)
	strip := func(fs []validate.Finding) []validate.Finding {
		out := append([]validate.Finding(nil), fs...)
		for i := range out {
			out[i].Link = ""
		}
		return out
	}
	if len(want.Findings) == 0 {
		t.Fatal("nothing found: the comparison would prove little")
	}
	if diff := cmp.Diff(strip(want.Findings), strip(got.Findings)); diff != "" {
		t.Errorf("findings (-gsheets +snapshot):\n%s", diff)
	}
	if diff := cmp.Diff(want.Summary, got.Summary); diff != "" {
		t.Errorf("summary (-gsheets +snapshot):\n%s", diff)
	}
}

func validateAll(t *testing.T, ctx context.Context, sources []Source) *validate.Result {
	t.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	rules := validate.DefaultRules()
	rules.Today = snapDay
	v := validate.New(rules, cat)
	for _, s := range sources {
		if err := Read(ctx, s, v.Schema(s.Name), v.Table); err != nil {
			t.Fatal(err)
		}
	}
	return v.Result()
}

func TestSnapshotIsAtomic(t *testing.T) {
	srv := fake(t)
	dir := t.TempDir()
	day := filepath.Join(dir, "2026-11-29")
	if err := os.MkdirAll(day, 0o750); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(day, "members.xlsx")
	if err := os.WriteFile(old, []byte("this morning's snapshot"), 0o600); err != nil {
		t.Fatal(err)
	}
	issuesPath := filepath.Join(dir, "issues.xlsx")
	writeWorkbook(t, issuesPath)

	// The spreadsheet cannot be read: the morning's snapshot stays whole,
	// the other source is still copied.
	srv.InjectAlways(sheetstest.Fault{Status: 404})
	sources := []Source{gsheetsSource(srv, "members", "Members"), {Name: "issues", Path: issuesPath}}
	written, err := Snapshot(context.Background(), sources, dir, snapDay)
	var se *SourceError
	if !errors.As(err, &se) || se.Source != "members" || !errors.Is(err, ErrSpreadsheetNotFound) {
		t.Errorf("err = %v, want the members source's error", err)
	}
	if len(written) != 1 || filepath.Base(written[0]) != "issues.xlsx" {
		t.Errorf("written = %v", written)
	}
	if data, _ := os.ReadFile(old); string(data) != "this morning's snapshot" {
		t.Errorf("the earlier snapshot was changed to %q", data)
	}

	// A write that fails half way leaves neither a file nor a temporary.
	half := filepath.Join(day, "activities.xlsx")
	err = writeAtomic(half, func(w io.Writer) error {
		if _, err := w.Write([]byte("PK\x03\x04 half a workbook")); err != nil {
			return err
		}
		return errors.New("the spreadsheet library failed")
	})
	if err == nil {
		t.Fatal("writeAtomic hid the failure")
	}
	if _, err := os.Stat(half); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a partial file exists: %v", err)
	}
	// And a write that succeeds replaces the file in one step.
	if err := writeAtomic(old, func(w io.Writer) error { _, err := io.WriteString(w, "tonight's"); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(old); string(data) != "tonight's" {
		t.Errorf("replaced file holds %q", data)
	}
	if diff := cmp.Diff([]string{"issues.xlsx", "members.xlsx"}, entries(t, day)); diff != "" {
		t.Errorf("the folder holds (-want +got):\n%s", diff)
	}
}

func TestSnapshotRefusesBadSources(t *testing.T) {
	dir := t.TempDir()
	sources := []Source{
		{Name: "../escape", Path: "x.xlsx"},
		{Name: "members", Path: filepath.Join(dir, "missing.xlsx")},
		{Name: "issues", Kind: "csv", Path: "x.csv"},
	}
	written, err := Snapshot(context.Background(), sources, dir, snapDay)
	if len(written) != 0 {
		t.Errorf("written = %v", written)
	}
	for _, want := range []string{`"../escape" cannot name a snapshot file`, "missing.xlsx: file not found", `unsupported source kind "csv"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.xlsx")); err == nil {
		t.Error("a file was written outside the snapshot folder")
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	mk := func(name string, files ...string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, name), 0o750); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, name, f), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("2026-11-29", "members.xlsx") // today
	mk("2026-11-28", "members.xlsx")
	mk("2026-11-27", "members.xlsx")                        // the 3rd day back: kept
	mk("2026-11-26", "members.xlsx", ".members.xlsx123456") // 4 days back, with a temporary left by a crash
	mk("2025-01-01", "members.xlsx", "issues.xlsx")
	mk("2024-06-01", "members.xlsx", "notes.txt") // someone else's file: kept with its folder
	mk("2026-13-45", "members.xlsx")              // not a date
	mk("archive")
	mk("2020-01-01x", "members.xlsx")
	if err := os.WriteFile(filepath.Join(dir, "2019-01-01"), []byte("a file, not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}

	removed, err := Prune(dir, 3, now)
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := []string{filepath.Join(dir, "2025-01-01"), filepath.Join(dir, "2026-11-26")}
	if diff := cmp.Diff(wantRemoved, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	wantLeft := []string{"2019-01-01", "2020-01-01x", "2024-06-01", "2026-11-27", "2026-11-28", "2026-11-29", "2026-13-45", "README.txt", "archive"}
	if diff := cmp.Diff(wantLeft, entries(t, dir)); diff != "" {
		t.Errorf("left (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"notes.txt"}, entries(t, filepath.Join(dir, "2024-06-01"))); diff != "" {
		t.Errorf("2024-06-01 holds (-want +got):\n%s", diff)
	}

	// keep 1 keeps today only.
	removed, err = Prune(dir, 1, now)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{filepath.Join(dir, "2026-11-27"), filepath.Join(dir, "2026-11-28")}, removed); diff != "" {
		t.Errorf("keep 1: removed (-want +got):\n%s", diff)
	}
	if _, err := Prune(dir, 0, now); err == nil {
		t.Error("keep 0 accepted")
	}
	if removed, err := Prune(filepath.Join(dir, "none"), 30, now); err != nil || len(removed) != 0 {
		t.Errorf("a missing folder: %v, %v", removed, err)
	}
}

// TestPruneKeepsHistory stages the dates that used to empty the history: a
// snapshot dated far in the future, a clock set far ahead, and nights
// without a run. Whichever of count, age from the newest snapshot and age
// from the clock keeps more wins.
func TestPruneKeepsHistory(t *testing.T) {
	night := []string{"2026-11-20", "2026-11-25", "2026-11-30", "2026-12-01"}
	for _, tc := range []struct {
		name   string
		extra  []string // snapshots besides the four nights
		now    string
		keep   int
		remove []string
	}{
		{name: "a run dated 2099", extra: []string{"2099-01-01"}, now: "2026-12-01", keep: 30},
		{name: "a run dated 2099, keep 2", extra: []string{"2099-01-01"}, now: "2026-12-01", keep: 2, remove: []string{"2026-11-20", "2026-11-25"}},
		{name: "a clock in 2099", now: "2099-01-01", keep: 30},
		{name: "a clock in 2099, keep 3", now: "2099-01-01", keep: 3, remove: []string{"2026-11-20"}},
		{name: "sparse nights", extra: []string{"2025-01-01"}, now: "2026-12-01", keep: 5},
		{name: "sparse nights, keep 4", extra: []string{"2025-01-01"}, now: "2026-12-01", keep: 4, remove: []string{"2025-01-01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			all := append(slices.Clone(night), tc.extra...)
			for _, d := range all {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, d, "members.xlsx"), []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			now, _ := time.Parse(time.DateOnly, tc.now)
			removed, err := Prune(dir, tc.keep, now)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, d := range tc.remove {
				want = append(want, filepath.Join(dir, d))
			}
			if diff := cmp.Diff(want, removed); diff != "" {
				t.Errorf("removed (-want +got):\n%s", diff)
			}
			left, err := Snapshots(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(left)+len(removed) != len(all) {
				t.Errorf("left %v after removing %v, of %v", left, removed, all)
			}
		})
	}
}

func TestFromSnapshot(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"2026-11-24", "2026-11-25", "notes"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	sources := []Source{
		{Name: "members", Kind: "gsheets", SpreadsheetID: "x", Sheet: "Members: 2026", CredentialsFile: "key.json", Endpoint: "http://x/"},
		{Name: "issues", Kind: "xlsx", Path: "/data/issues.xlsx", Sheet: "Enjeux", Limits: Limits{UnzipSize: 5}},
	}
	got, err := FromSnapshot(dir, "2026-11-24", sources)
	if err != nil {
		t.Fatal(err)
	}
	want := []Source{
		{Name: "members", Kind: "xlsx", Path: filepath.Join(dir, "2026-11-24", "members.xlsx"), Sheet: "Members_ 2026"},
		{Name: "issues", Kind: "xlsx", Path: filepath.Join(dir, "2026-11-24", "issues.xlsx"), Sheet: "Enjeux", Limits: Limits{UnzipSize: 5}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}

	_, err = FromSnapshot(dir, "2026-11-23", sources)
	if !errors.Is(err, ErrNoSnapshot) || !strings.Contains(err.Error(), "snapshots exist of 2026-11-24, 2026-11-25") {
		t.Errorf("missing date: %v", err)
	}
	var se *SourceError
	if !errors.As(err, &se) {
		t.Errorf("missing date: %T is not a *SourceError (exit code 3)", err)
	}
	_, err = FromSnapshot(filepath.Join(dir, "empty"), "2026-11-23", sources)
	if !errors.Is(err, ErrNoSnapshot) || !strings.Contains(err.Error(), "no snapshots yet") {
		t.Errorf("no snapshots: %v", err)
	}
	for _, bad := range []string{"24/11/2026", "2026-02-30", "yesterday", ""} {
		if _, err := FromSnapshot(dir, bad, sources); err == nil || errors.Is(err, ErrNoSnapshot) || !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("date %q: %v", bad, err)
		}
	}
}

func TestExcelSheetNames(t *testing.T) {
	got := excelSheetNames([]string{"Members", "members", "'Quoted'", "a/b:c?d*e[f]g\\h", "An extremely long tab title that Excel would refuse", "", "MEMBERS"})
	want := []string{"Members", "members (2)", "Quoted", "a_b_c_d_e(f)g_h", "An extremely long tab title tha", "Sheet", "MEMBERS (3)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	f := excelize.NewFile()
	defer f.Close()
	for _, n := range got {
		if _, err := f.NewSheet(n); err != nil {
			t.Errorf("excelize refuses %q: %v", n, err)
		}
	}
}

// FuzzSnapshotReadsBack checks that whatever a Google Sheets cell holds,
// the snapshot workbook reads back to the same cell as the spreadsheet.
func FuzzSnapshotReadsBack(f *testing.F) {
	f.Add("Ada Lovelace", 44849.0, true, "#N/A")
	f.Add("  spaced\tout  ", -0.000001, false, "")
	f.Add("0042", 1e21, true, "=1+1")
	f.Add("l'Île-du-Prince-Édouard « PE »", 3.141592653589793, false, "line\nbreak")
	f.Fuzz(func(t *testing.T, s string, n float64, b bool, s2 string) {
		if math.IsNaN(n) || math.IsInf(n, 0) || !utf8.ValidString(s) || !utf8.ValidString(s2) || !xmlText(s+s2) {
			t.Skip("not a value a spreadsheet cell can hold, or not one XML 1.0 can")
		}
		errCell := &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{ErrorValue: &sheets.ErrorValue{Type: "N_A"}}, FormattedValue: "#N/A"}
		tab := sheetstest.Tab(3, "Members",
			[]any{"Name", "E-mail", "Organization", "Status", "Date joined"},
			[]any{s, n, b, errCell, s2},
		)
		ss := sheetstest.Book("fuzz", "Fuzz", tab)
		book := newBook("fuzz", ss)
		want := book.tabs[0].rows
		dir := t.TempDir()
		path := filepath.Join(dir, "members.xlsx")
		if err := writeAtomic(path, func(w io.Writer) error { return writeBook(w, book, book.tabs) }); err != nil {
			t.Fatal(err)
		}
		got, err := ReadTableLibrary(context.Background(), Source{Name: "members", Path: path}, schemaOf(validate.SourceMembers))
		if err != nil {
			t.Fatal(err)
		}
		var wantRows []validate.Row
		for _, r := range want[1:] {
			wantRows = append(wantRows, r.row())
		}
		if diff := cmp.Diff(wantRows, got.Rows); diff != "" {
			t.Errorf("(-gsheets +snapshot):\n%s", diff)
		}
	})
}

// xmlText reports whether XML 1.0, and so an .xlsx file, can hold s: no
// control character but tab, line feed and carriage return.
func xmlText(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return true
}
