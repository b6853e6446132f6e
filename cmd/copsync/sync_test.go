package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/sheets/v4"

	"copsync/config"
	"copsync/sync"
	"copsync/sync/sheetstest"
)

// examplesFake serves the bundled example membership and issues as Google
// Sheets (ids 1CoPmembers and 1CoPissues).
func examplesFake(t *testing.T) (*sheetstest.Server, string) {
	t.Helper()
	root := repoRoot(t)
	srv := sheetstest.New(t)
	t.Cleanup(srv.Close)
	for _, name := range []string{"members", "issues"} {
		path := filepath.Join(root, "examples", name+".xlsx")
		if _, err := os.Stat(path); err != nil {
			t.Skipf("examples/%s.xlsx is not in this checkout", name)
		}
		book, err := sheetstest.FromXLSX(path, "1CoP"+name)
		if err != nil {
			t.Fatal(err)
		}
		srv.Add(book)
	}
	return srv, root
}

// writeConfig writes a configuration whose members source is given as YAML
// and whose issues and activities are the bundled examples.
func writeConfig(t *testing.T, dir, name, root, members, extra string) string {
	t.Helper()
	content := fmt.Sprintf("sources:\n  members: %s\n  issues: {path: %q}\n  activities: {path: %q}\n%s",
		members, filepath.Join(root, "examples", "issues.xlsx"), filepath.Join(root, "examples", "activities.xlsx"), extra)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gsheetsMembers is the YAML of a members source read from the fake.
func gsheetsMembers(srv *sheetstest.Server, id, extra string) string {
	return fmt.Sprintf("{kind: gsheets, spreadsheet_id: %q, endpoint: %q%s}",
		"https://docs.google.com/spreadsheets/d/"+id+"/edit#gid=0", srv.Endpoint(), extra)
}

type validateOutput struct {
	Summary  json.RawMessage  `json:"summary"`
	Findings []map[string]any `json:"findings"`
}

// validateJSON runs validate --format json and decodes it.
func validateJSON(t *testing.T, dir string, env map[string]string, cfg string) (int, validateOutput) {
	t.Helper()
	code, out, stderr := runIn(t, dir, env, "validate", "--format", "json", "--date", "2026-11-29", "--fail-on", "none", "--config", cfg)
	if code != 0 {
		t.Fatalf("validate --config %s: exit %d: %s", cfg, code, stderr)
	}
	var v validateOutput
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return code, v
}

// unlinked returns the findings without their links.
func unlinked(fs []map[string]any) []map[string]any {
	out := make([]map[string]any, len(fs))
	for i, f := range fs {
		c := map[string]any{}
		for k, v := range f {
			if k != "link" {
				c[k] = v
			}
		}
		out[i] = c
	}
	return out
}

func TestValidateGSheetsMatchesXLSX(t *testing.T) {
	srv, root := examplesFake(t)
	dir := t.TempDir()
	xlsxCfg := writeConfig(t, dir, "xlsx.yaml", root, fmt.Sprintf("{path: %q}", filepath.Join(root, "examples", "members.xlsx")), "")
	gsCfg := writeConfig(t, dir, "gsheets.yaml", root, gsheetsMembers(srv, "1CoPmembers", ""), "")
	// The issues too, whose incomplete row names its cells.
	env := map[string]string{
		"COPSYNC_SOURCES_ISSUES_KIND":           "gsheets",
		"COPSYNC_SOURCES_ISSUES_PATH":           "",
		"COPSYNC_SOURCES_ISSUES_SPREADSHEET_ID": "1CoPissues",
		"COPSYNC_SOURCES_ISSUES_ENDPOINT":       srv.Endpoint(),
	}

	_, want := validateJSON(t, dir, nil, xlsxCfg)
	_, got := validateJSON(t, dir, env, gsCfg)
	if len(want.Findings) == 0 {
		t.Fatal("the example run found nothing: the comparison would prove little")
	}
	if diff := cmp.Diff(string(want.Summary), string(got.Summary)); diff != "" {
		t.Errorf("summary (-xlsx +gsheets):\n%s", diff)
	}
	if diff := cmp.Diff(unlinked(want.Findings), unlinked(got.Findings)); diff != "" {
		t.Errorf("findings (-xlsx +gsheets):\n%s", diff)
	}
	located := 0
	for _, f := range got.Findings {
		link, _ := f["link"].(string)
		switch {
		case f["source"] == "members" && link != "" && !strings.HasPrefix(link, "https://docs.google.com/spreadsheets/d/1CoPmembers/edit#gid=0"):
			t.Errorf("finding %v: link %q", f["code"], link)
		case f["source"] == "issues" && f["cell"] != nil:
			located++
			if !strings.HasPrefix(link, "https://docs.google.com/spreadsheets/d/1CoPissues/edit#gid=0&range=") || !strings.HasSuffix(link, "="+f["cell"].(string)) {
				t.Errorf("finding %v at %v: link %q", f["code"], f["cell"], link)
			}
		}
	}
	if located == 0 {
		t.Error("no issue finding names a cell: cell links untested")
	}
	if n := srv.Count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestValidateOneSpreadsheetOneRequest(t *testing.T) {
	root := repoRoot(t)
	var tabs []*sheets.Sheet
	for i, name := range []string{"members", "issues", "activities"} {
		book, err := sheetstest.FromXLSX(filepath.Join(root, "examples", name+".xlsx"), "x")
		if err != nil {
			t.Skipf("examples/%s.xlsx: %v", name, err)
		}
		tab := book.Sheets[0]
		tab.Properties.SheetId = int64(i * 1000)
		tabs = append(tabs, tab)
	}
	srv := sheetstest.New(t)
	t.Cleanup(srv.Close)
	srv.Add(sheetstest.Book("1CoPall", "CoP", tabs...))
	dir := t.TempDir()
	src := func(sheet string) string {
		return fmt.Sprintf("{kind: gsheets, spreadsheet_id: 1CoPall, endpoint: %q, sheet: %q}", srv.Endpoint(), sheet)
	}
	cfg := filepath.Join(dir, "config.yaml")
	content := fmt.Sprintf("sources:\n  members: %s\n  issues: %s\n  activities: %s\n", src("Members"), src("Enjeux"), src(""))
	if err := os.WriteFile(cfg, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	_, got := validateJSON(t, dir, nil, cfg)
	_, want := validateJSON(t, root, nil, filepath.Join(root, "config.yaml"))
	if diff := cmp.Diff(unlinked(want.Findings), unlinked(got.Findings)); diff != "" {
		t.Errorf("findings (-xlsx +gsheets):\n%s", diff)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("%d requests for one spreadsheet, want 1", n)
	}
}

func TestGSheetsSourceErrorsExit3(t *testing.T) {
	srv, root := examplesFake(t)
	srv.AddPrivate(sheetstest.Book("private", "Private", sheetstest.Tab(0, "Members", []any{"Name", "E-mail"})))
	dir := t.TempDir()
	badKey := filepath.Join(dir, "key.json")
	if err := os.WriteFile(badKey, []byte(`{"type":"service_account","client_email":"x@y.iam.gserviceaccount.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		members string
		want    []string
	}{
		{"not found", gsheetsMembers(srv, "nope", ""), []string{"copsync: members: https://docs.google.com/spreadsheets/d/nope/edit: spreadsheet not found"}},
		{"not shared", gsheetsMembers(srv, "private", ""), []string{"permission denied", "credentials_file"}},
		{"tab not found", gsheetsMembers(srv, "1CoPmembers", ", sheet: Membres"), []string{`sheet "Membres": sheet not found (the spreadsheet has sheets "Members")`}},
		{"invalid key", gsheetsMembers(srv, "1CoPmembers", fmt.Sprintf(", credentials_file: %q", badKey)), []string{"invalid Google credentials", "key.json", "no private_key"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeConfig(t, dir, fmt.Sprintf("c%d.yaml", i), root, tc.members, "")
			code, _, stderr := runIn(t, dir, nil, "validate", "--config", cfg)
			if code != exitSource {
				t.Errorf("exit %d, want %d; stderr %s", code, exitSource, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

func TestSyncCommand(t *testing.T) {
	srv, root := examplesFake(t)
	dir := t.TempDir()
	snaps := filepath.Join(dir, "snaps")
	// keep 3: by count, the three newest stay (11-27, 11-28 and tonight's).
	for _, d := range []string{"2026-11-13", "2026-11-20", "2026-11-27", "2026-11-28", "archive"} {
		if err := os.MkdirAll(filepath.Join(snaps, d), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(snaps, d, "members.xlsx"), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := writeConfig(t, dir, "config.yaml", root, gsheetsMembers(srv, "1CoPmembers", ""),
		fmt.Sprintf("sync: {snapshot_dir: %q, keep: 3}\n", snaps))

	code, out, stderr := runIn(t, dir, nil, "sync", "--date", "2026-11-29", "--config", cfg, "--lang", "fr")
	if code != 0 {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	day := filepath.Join(snaps, "2026-11-29")
	for _, want := range []string{
		"Instantané de la source membres\u00a0: " + filepath.Join(day, "members.xlsx"),
		"3 sources sur 3 enregistrées dans " + day,
		"Instantané du 2026-11-20 supprimé, car il date de plus de 3 jours\u00a0: " + filepath.Join(snaps, "2026-11-20"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if diff := cmp.Diff([]string{"2026-11-27", "2026-11-28", "2026-11-29", "archive"}, dirNames(t, snaps)); diff != "" {
		t.Errorf("snapshot folder (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"activities.xlsx", "issues.xlsx", "members.xlsx"}, dirNames(t, day)); diff != "" {
		t.Errorf("today's snapshot (-want +got):\n%s", diff)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// The snapshot validates as the sources do, apart from the links.
	_, want := validateJSON(t, dir, nil, cfg)
	snapCfg := writeConfig(t, dir, "snap.yaml", root, fmt.Sprintf("{path: %q}", filepath.Join(day, "members.xlsx")), "")
	_, got := validateJSON(t, dir, map[string]string{
		"COPSYNC_SOURCES_ISSUES_PATH":     filepath.Join(day, "issues.xlsx"),
		"COPSYNC_SOURCES_ACTIVITIES_PATH": filepath.Join(day, "activities.xlsx"),
	}, snapCfg)
	if diff := cmp.Diff(string(want.Summary), string(got.Summary)); diff != "" {
		t.Errorf("summary (-sources +snapshot):\n%s", diff)
	}
	if diff := cmp.Diff(unlinked(want.Findings), unlinked(got.Findings)); diff != "" {
		t.Errorf("findings (-sources +snapshot):\n%s", diff)
	}

	// --from-snapshot maps the configured sources to that day's files.
	c := &config.Config{}
	c.Sources.Members = config.Source{Kind: "gsheets", SpreadsheetID: "1CoPmembers", Endpoint: srv.Endpoint()}
	c.Sources.Issues = config.Source{Kind: "xlsx", Path: "issues.xlsx"}
	c.Sync = config.Sync{SnapshotDir: snaps, Keep: 3}
	a := &app{cfg: c, getenv: func(string) string { return "" }}
	srcs, err := a.snapshotSources("2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].Kind != "xlsx" || srcs[0].Path != filepath.Join(day, "members.xlsx") || srcs[1].Path != filepath.Join(day, "issues.xlsx") {
		t.Errorf("snapshot sources = %+v", srcs)
	}
	_, err = a.snapshotSources("2026-11-26")
	if !errors.Is(err, sync.ErrNoSnapshot) || exitCode(err) != exitSource || !strings.Contains(err.Error(), "2026-11-27, 2026-11-28, 2026-11-29") {
		t.Errorf("a day without a snapshot: %v (exit %d)", err, exitCode(err))
	}
	if _, err = a.snapshotSources("28/11/2026"); exitCode(err) != exitUsage {
		t.Errorf("a malformed date: %v (exit %d)", err, exitCode(err))
	}
}

func TestSyncKeepsOldSnapshotsWhenASourceFails(t *testing.T) {
	srv, root := examplesFake(t)
	dir := t.TempDir()
	snaps := filepath.Join(dir, "snaps")
	old := filepath.Join(snaps, "2026-11-01")
	if err := os.MkdirAll(old, 0o750); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, "config.yaml", root, gsheetsMembers(srv, "1CoPmembers", ""),
		fmt.Sprintf("sync: {snapshot_dir: %q, keep: 1}\n", snaps))
	srv.InjectAlways(sheetstest.Fault{Status: 403})
	code, out, stderr := runIn(t, dir, nil, "sync", "--date", "2026-11-29", "--config", cfg)
	if code != exitSource {
		t.Errorf("exit %d, want %d", code, exitSource)
	}
	if !strings.Contains(stderr, "members: https://docs.google.com/spreadsheets/d/1CoPmembers/edit: permission denied") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("stderr = %q", stderr)
	}
	if !strings.Contains(out, "2 of 3 sources saved") || !strings.Contains(out, "Old snapshots kept") {
		t.Errorf("output:\n%s", out)
	}
	if _, err := os.Stat(old); err != nil {
		t.Errorf("the old snapshot was pruned although tonight's is incomplete: %v", err)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
