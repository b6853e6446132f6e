package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportExamples(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	code, out, stderr := runIn(t, root, nil, "report", "--date", "2022-09-29", "--out", filepath.Join(dir, "r-{date}.xlsx"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	path := filepath.Join(dir, "r-2022-09-29.xlsx")
	if strings.TrimSpace(out) != path {
		t.Errorf("stdout = %q, want the path %s", out, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("permissions %v, want 0640", st.Mode().Perm())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary - Sommaire", "Coverage - Couverture", "Issues - Enjeux", "Activities - Activités", "Findings - Constats", "Members - Membres"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %v", got)
	}

	// The second, independent reader, when it is installed.
	if testing.Short() {
		return
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import openpyxl").Run(); err != nil {
		t.Skip("the openpyxl check needs /usr/bin/python3 with python3-openpyxl")
	}
	cmd := exec.Command("/usr/bin/python3", filepath.Join(root, "report", "testdata", "check_report.py"), path)
	res, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(res), " 0 failed") {
		t.Fatalf("openpyxl check: %v\n%s", err, res)
	}
}

func TestReportExitCodes(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"bad language", []string{"report", "--lang", "de", "--out", filepath.Join(dir, "a.xlsx")}, exitUsage},
		{"bad fail-on", []string{"report", "--fail-on", "sometimes", "--out", filepath.Join(dir, "b.xlsx")}, exitUsage},
		{"cannot write", []string{"report", "--out", filepath.Join(blocker, "r.xlsx")}, exitDelivery},
		{"findings reach fail-on", []string{"report", "--fail-on", "warning", "--out", filepath.Join(dir, "c.xlsx")}, exitFindings},
		{"findings below fail-on", []string{"report", "--fail-on", "error", "--out", filepath.Join(dir, "d.xlsx")}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runIn(t, root, nil, append(tt.args, "--date", "2022-09-29")...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (stderr %s)", code, tt.want, stderr)
			}
			if code == exitDelivery && !strings.Contains(stderr, "r.xlsx") {
				t.Errorf("stderr %q does not name the report", stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "c.xlsx")); err != nil {
		t.Errorf("the report is written even when findings reach --fail-on: %v", err)
	}
}

func TestReportWithoutMembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xlsx")
	env := map[string]string{"COPSYNC_REPORT_INCLUDE_MEMBERS": "false", "COPSYNC_REPORT_LANGUAGE": "fr"}
	code, _, stderr := runIn(t, repoRoot(t), env, "report", "--date", "2022-09-29", "--out", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Membres")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !strings.Contains(rows[0][0], "exclue") {
		t.Errorf("Membres holds %v, want only the note that the list is left out", rows)
	}
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "start")
	code, out, stderr := runIn(t, "", nil, "init", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"members.xlsx", "issues.xlsx", "activities.xlsx"} {
		p := filepath.Join(dir, name)
		if !strings.Contains(out, p) {
			t.Errorf("stdout does not list %s", p)
		}
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
	code, _, stderr = runIn(t, "", nil, "init", dir)
	if code != exitUsage || !strings.Contains(stderr, "will not overwrite") {
		t.Fatalf("second init: exit %d, stderr %q", code, stderr)
	}
}

// TestReportLanguageKeepsTheRunsReport checks that a report in another
// language than report.language, written without --out, carries the
// language in its name and leaves the run's report of the same day alone.
func TestReportLanguageKeepsTheRunsReport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"COPSYNC_REPORT_PATH": filepath.Join(dir, "report-{date}.xlsx"), "COPSYNC_REPORT_LANGUAGE": "both"}
	tests := []struct{ lang, want string }{
		{"", "report-2022-09-29.xlsx"},
		{"both", "report-2022-09-29.xlsx"},
		{"fr", "report-2022-09-29-fr.xlsx"},
		{"en", "report-2022-09-29-en.xlsx"},
	}
	for _, tt := range tests {
		args := []string{"report", "--date", "2022-09-29"}
		if tt.lang != "" {
			args = append(args, "--lang", tt.lang)
		}
		code, out, stderr := runIn(t, repoRoot(t), env, args...)
		if code != 0 {
			t.Fatalf("--lang %q: exit %d: %s", tt.lang, code, stderr)
		}
		if got := strings.TrimSpace(out); got != filepath.Join(dir, tt.want) {
			t.Errorf("--lang %q wrote %s, want %s", tt.lang, got, tt.want)
		}
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "report-2022-09-29.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetName(0); got != "Summary - Sommaire" {
		t.Errorf("the run's report was replaced: its first sheet is %q", got)
	}
}
