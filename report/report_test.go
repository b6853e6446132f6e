package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// reopen writes a workbook and reads it back, so that tests look at what
// is in the file rather than at the builder's memory.
func reopen(t *testing.T, f *excelize.File) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g, buf.Bytes()
}

func build(t *testing.T, in Input) *excelize.File {
	t.Helper()
	f, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestGolden(t *testing.T) {
	for _, lang := range []string{"en", "fr", "both"} {
		t.Run(lang, func(t *testing.T) {
			g, _ := reopen(t, build(t, exampleInput(t, lang)))
			got, err := dump(g)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "report_"+lang+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("workbook differs from %s (-want +got; run go test ./report -update if the change is intended):\n%s", path, diff)
			}
		})
	}
}

// TestDeterministic builds the same report twice: the files are the same
// byte for byte.
func TestDeterministic(t *testing.T) {
	_, a := reopen(t, build(t, exampleInput(t, "both")))
	_, b := reopen(t, build(t, exampleInput(t, "both")))
	if !bytes.Equal(a, b) {
		t.Fatal("two builds of the same input differ")
	}
}

func TestSheetsInOrder(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Summary", "Coverage", "Issues", "Activities", "Findings", "Members"}},
		{"fr", []string{"Sommaire", "Couverture", "Enjeux", "Activités", "Constats", "Membres"}},
		{"both", []string{"Summary - Sommaire", "Coverage - Couverture", "Issues - Enjeux", "Activities - Activités", "Findings - Constats", "Members - Membres"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			g, _ := reopen(t, build(t, exampleInput(t, tt.lang)))
			if diff := cmp.Diff(tt.want, g.GetSheetList()); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestUnknownLanguage(t *testing.T) {
	in := exampleInput(t, "de")
	if _, err := Build(in); err == nil || !strings.Contains(err.Error(), "de") {
		t.Fatalf("Build with lang de: err = %v", err)
	}
}
