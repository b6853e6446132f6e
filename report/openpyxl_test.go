package report

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const python = "/usr/bin/python3"

// secondReader returns the path of the openpyxl check script, or skips the
// test when the independent reader is not installed.
func secondReader(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the second-reader check runs without -short")
	}
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s is absent: the openpyxl check needs it", python)
	}
	if out, err := exec.Command(python, "-c", "import openpyxl").CombinedOutput(); err != nil {
		t.Skipf("openpyxl is not installed (apt-get install python3-openpyxl): %s", strings.TrimSpace(string(out)))
	}
	script, err := filepath.Abs(filepath.Join("testdata", "check_report.py"))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

// check runs the script and returns its exit code and output.
func check(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(python, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatal(err)
	}
	return 0, string(out)
}

func writeExpect(t *testing.T, dir string, expect map[string]any) string {
	t.Helper()
	data, err := json.Marshal(expect)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "expect.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSecondReader reopens the report with openpyxl: five sheets, the
// Summary's counts and the provinces and territories not represented, those
// four red on the Coverage sheet, the seed issue's empty criticality and
// incidence marked, every finding linked to its cell, no formula, and the
// member named like a formula kept as text.
func TestSecondReader(t *testing.T) {
	script := secondReader(t)
	for _, lang := range []string{"en", "fr", "both"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.xlsx")
			if err := Write(context.Background(), path, exampleInput(t, lang)); err != nil {
				t.Fatal(err)
			}
			expect := map[string]any{
				"counts":        map[string]int{"active": 80, "federal": 5, "pt": 21, "municipal": 21},
				"missing":       []string{"NL", "PE", "NU", "YT"},
				"issue_missing": "The group has no representative from NL, PE, NU and YT",
				"text_cells":    []string{injection},
			}
			code, out := check(t, script, path, writeExpect(t, dir, expect))
			if code != 0 || !strings.Contains(out, " 0 failed") {
				t.Fatalf("exit %d:\n%s", code, out)
			}

			// The checker fails when the workbook does not say what is
			// expected.
			expect["counts"] = map[string]int{"active": 81}
			expect["missing"] = []string{"NL", "PE", "NU"}
			code, out = check(t, script, path, writeExpect(t, dir, expect))
			if code != 1 || !strings.Contains(out, "FAIL Summary shows active = 80") || !strings.Contains(out, "FAIL Coverage row YT") {
				t.Fatalf("a wrong expectation passed (exit %d):\n%s", code, out)
			}
		})
	}
}

func TestSecondReaderWithoutMembers(t *testing.T) {
	script := secondReader(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	in := exampleInput(t, "en")
	in.OmitMembers = true
	if err := Write(context.Background(), path, in); err != nil {
		t.Fatal(err)
	}
	code, out := check(t, script, path, writeExpect(t, dir, map[string]any{"members": false}))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestSecondReaderStarters(t *testing.T) {
	script := secondReader(t)
	dir := t.TempDir()
	if _, err := WriteStarters(dir, catalogue(t)); err != nil {
		t.Fatal(err)
	}
	code, out := check(t, script, "--starter", dir)
	if code != 0 || !strings.Contains(out, " 0 failed") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
