package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// repoRoot is the repository root, where config.yaml and examples/ are.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// runIn runs copsync in dir with args and the given environment, and
// returns its exit code and outputs.
func runIn(t *testing.T, dir string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, args, getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateExamplesJSONGolden(t *testing.T) {
	root := repoRoot(t)
	code, out, stderr := runIn(t, root, nil, "validate", "--format", "json", "--date", "2026-11-29")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	// Links hold the absolute path of the checkout; make them portable.
	out = strings.ReplaceAll(out, filepath.ToSlash(root), "$ROOT")
	golden := filepath.Join(root, "cmd", "copsync", "testdata", "validate-examples.json")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out); diff != "" {
		t.Errorf("validate --format json differs from %s (-want +got):\n%s", golden, diff)
	}

	// The seed report's answers, stated once more in plain terms.
	var res struct {
		Summary struct {
			MembersActive          int      `json:"members_active"`
			FederalOrganizations   int      `json:"federal_organizations"`
			PTOrganizations        int      `json:"pt_organizations"`
			MunicipalOrganizations int      `json:"municipal_organizations"`
			JurisdictionsMissing   []string `json:"jurisdictions_missing"`
		} `json:"summary"`
		Findings []struct {
			Code  string `json:"code"`
			Key   string `json:"key"`
			Field string `json:"field"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.MembersActive != 80 || s.FederalOrganizations != 5 || s.PTOrganizations != 21 || s.MunicipalOrganizations != 21 {
		t.Errorf("counts = %d/%d/%d/%d, want 80/5/21/21", s.MembersActive, s.FederalOrganizations, s.PTOrganizations, s.MunicipalOrganizations)
	}
	if diff := cmp.Diff([]string{"NL", "PE", "NU", "YT"}, s.JurisdictionsMissing); diff != "" {
		t.Errorf("jurisdictions missing (-want +got):\n%s", diff)
	}
	var codes []string
	for _, f := range res.Findings {
		codes = append(codes, f.Code+":"+f.Key+f.Field)
	}
	want2 := []string{
		"coverage.jurisdiction-missing:NL", "coverage.jurisdiction-missing:PE",
		"coverage.jurisdiction-missing:NU", "coverage.jurisdiction-missing:YT",
		"issue.incomplete:B4,C4criticality,incidence",
	}
	if diff := cmp.Diff(want2, codes); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestValidateTextOutput(t *testing.T) {
	code, out, _ := runIn(t, repoRoot(t), nil, "validate", "--date", "2026-11-29")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		`membership, sheet "Members"`,
		"Newfoundland and Labrador, Prince Edward Island, Nunavut and Yukon are not represented.",
		"B4    warning   issue.incomplete",
		"80 active people, 5 federal departments or agencies, 21 provincial/territorial ministries, 21 municipalities",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runIn(t, "", nil, "validate", "--lang", "fr", "--date", "2026-11-29")
	if !strings.Contains(out, "Terre-Neuve-et-Labrador, l’Île-du-Prince-Édouard, le Nunavut et le Yukon ne sont pas représentés.") {
		t.Errorf("French output lacks the sentence:\n%s", out)
	}
}

func TestExitCodes(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	examples := filepath.Join(root, "examples")
	base := "sources:\n  members: {kind: xlsx, path: " + filepath.Join(examples, "members.xlsx") + "}\n  issues: {kind: xlsx, path: " + filepath.Join(examples, "issues.xlsx") + "}\n"
	good := write("good.yaml", base)
	unknown := write("unknown.yaml", base+"bogus: 1\n")
	missing := write("missing.yaml", "sources:\n  members: {kind: xlsx, path: "+filepath.Join(dir, "nope.xlsx")+"}\n  issues: {kind: xlsx, path: "+filepath.Join(examples, "issues.xlsx")+"}\n")
	notXLSX := write("members.xlsx", "Name,Email\nA,a@b.ca\n")
	csv := write("csv.yaml", "sources:\n  members: {kind: xlsx, path: "+notXLSX+"}\n  issues: {kind: xlsx, path: "+filepath.Join(examples, "issues.xlsx")+"}\n")
	wrongSheet := write("sheet.yaml", "sources:\n  members: {kind: xlsx, path: "+filepath.Join(examples, "members.xlsx")+", sheet: Membres}\n  issues: {kind: xlsx, path: "+filepath.Join(examples, "issues.xlsx")+"}\n")
	noHeader := write("noheader.yaml", "sources:\n  members: {kind: xlsx, path: "+filepath.Join(examples, "issues.xlsx")+"}\n  issues: {kind: xlsx, path: "+filepath.Join(examples, "issues.xlsx")+"}\n")

	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		code    int
		stderr  []string // substrings of the one-line message
		nostack bool
	}{
		{"clean run", []string{"validate", "--config", good}, nil, 0, nil, true},
		{"warnings fail on warning", []string{"validate", "--config", good, "--fail-on", "warning"}, nil, 1, nil, true},
		{"fail-on none", []string{"validate", "--config", good, "--fail-on", "none"}, nil, 0, nil, true},
		{"bad flag value", []string{"validate", "--config", good, "--format", "xml"}, nil, 2, []string{"--format"}, true},
		{"unknown flag", []string{"validate", "--frobnicate"}, nil, 2, []string{"frobnicate"}, true},
		{"unknown command", []string{"frobnicate"}, nil, 2, []string{"unknown command"}, true},
		{"unknown key", []string{"validate", "--config", unknown}, nil, 2, []string{"bogus: unknown key"}, true},
		{"missing config file", []string{"validate", "--config", filepath.Join(dir, "none.yaml")}, nil, 2, []string{"none.yaml"}, true},
		{"bad env override", []string{"validate", "--config", good}, map[string]string{"COPSYNC_REPORT_LANGUAGE": "de"}, 2, []string{"report.language"}, true},
		{"env override of a source", []string{"validate", "--config", good}, map[string]string{"COPSYNC_SOURCES_MEMBERS_PATH": filepath.Join(dir, "gone.xlsx")}, 3, []string{"members:", "gone.xlsx", "file not found"}, true},
		{"missing source file", []string{"validate", "--config", missing}, nil, 3, []string{"members:", "nope.xlsx", "file not found"}, true},
		{"csv renamed xlsx", []string{"validate", "--config", csv}, nil, 3, []string{"members.xlsx", "not an .xlsx workbook"}, true},
		{"sheet not found", []string{"validate", "--config", wrongSheet}, nil, 3, []string{`sheet "Membres"`, "sheet not found", `"Members"`}, true},
		{"header not found", []string{"validate", "--config", noHeader}, nil, 3, []string{"issues.xlsx", "header row not found", `"Enjeu"`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runIn(t, dir, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			if strings.Count(strings.TrimRight(stderr, "\n"), "\n") > 0 || strings.Contains(stderr, "goroutine") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
		})
	}
}

func TestCheckConfigMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("s3cr3t-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yaml")
	content := "sources:\n  members: {path: m.xlsx}\n  issues: {path: i.xlsx}\nnotify:\n  from: cop@example.ca\n  to: [a@example.ca]\n  smtp:\n    host: smtp.example.ca\n    username: cop\n    password_file: " + pw + "\n"
	if err := os.WriteFile(cfg, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, env := range []map[string]string{nil, {"COPSYNC_NOTIFY_SMTP_PASSWORD": "s3cr3t-from-env"}} {
		code, out, stderr := runIn(t, dir, env, "check-config", "--config", cfg)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if strings.Contains(out+stderr, "s3cr3t") {
			t.Errorf("the password shows in check-config output:\n%s", out)
		}
		if !strings.Contains(out, "password: <secret>") {
			t.Errorf("output does not show the masked password:\n%s", out)
		}
	}
	if !strings.Contains(content, "smtp.example.ca") {
		t.Fatal("fixture lost its host")
	}
}

func TestEnvListOverride(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte("sources:\n  members: {path: m.xlsx}\n  issues: {path: i.xlsx}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runIn(t, dir, map[string]string{"COPSYNC_NOTIFY_TO": "a@example.ca, b@example.ca", "COPSYNC_SYNC_KEEP": "7"}, "check-config", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"- a@example.ca\n", "- b@example.ca\n", "keep: 7\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, _, stderr = runIn(t, dir, map[string]string{"COPSYNC_NOTIFY_TO": "a@example.ca\r\nBcc: x@evil.example"}, "check-config", "--config", cfg)
	if code != 2 || !strings.Contains(stderr, "notify.to") {
		t.Errorf("a CR/LF in notify.to: exit %d, stderr %q; want 2 naming notify.to", code, stderr)
	}
}

// TestValidateNamesSheetsAndSetAsideRows reads a membership of one sheet
// per order of government and an issues register with a note under it:
// the text output names every sheet read and the rows set aside, in
// English and in French.
func TestValidateNamesSheetsAndSetAsideRows(t *testing.T) {
	root := repoRoot(t)
	env := map[string]string{
		"COPSYNC_SOURCES_MEMBERS_PATH": filepath.Join(root, "sync", "testdata", "layouts", "orders_excelize.xlsx"),
		"COPSYNC_SOURCES_ISSUES_PATH":  filepath.Join(root, "sync", "testdata", "layouts", "issues_excelize.xlsx"),
	}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{
			`membership, sheet "Fédéral": header on rows 1 and 2`,
			`membership, sheet "Provincial-territorial": header on rows 1 and 2`,
			`membership, sheet "Municipal": header on rows 1 and 2`,
			`issues, sheet "Enjeux": header on row 1`,
			"    row 9: notes under the table",
			`Row 4: same e-mail address as row 4 of sheet "Fédéral"`,
		}},
		{"fr", []string{
			"membres, feuille «\u00a0Municipal\u00a0»\u00a0: en-tête sur les lignes 1 et 2",
			"    ligne 9\u00a0: notes sous le tableau",
		}},
	} {
		code, out, stderr := runIn(t, root, env, "validate", "--date", "2026-11-29", "--lang", tt.lang)
		if code != 1 {
			t.Fatalf("%s: exit %d (want 1: a duplicate address is an error), stderr %s", tt.lang, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", tt.lang, w, out)
			}
		}
	}
}
