package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copsync/config"
)

// FuzzLoadConfig feeds arbitrary files to the configuration loader: it must
// return a configuration that validates, or a one-line *config.Error —
// never panic.
func FuzzLoadConfig(f *testing.F) {
	root := filepath.Join("..", "..")
	if data, err := os.ReadFile(filepath.Join(root, "config.yaml")); err == nil {
		f.Add(string(data))
	}
	f.Add("sources:\n  members: {path: m.xlsx}\n  issues: {path: i.xlsx}\n")
	f.Add("rules:\n  severity:\n    issue.incomplete: error\n")
	f.Add("rules:\n  custom:\n    - {name: r, source: members, field: role, required: true}\n")
	f.Add("notify:\n  to: [a@b.ca]\n  smtp: {host: localhost, tls: none}\n")
	f.Add("sources: [1, 2]\n")
	f.Add("{{{")
	f.Fuzz(func(t *testing.T, content string) {
		p := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		type result struct {
			cfg *config.Config
			err error
		}
		done := make(chan result, 1)
		go func() {
			cfg, err := loadConfig(p, true, func(string) string { return "" })
			done <- result{cfg, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("loading hangs on %q", content)
		}
		cfg, err := r.cfg, r.err
		if err != nil {
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("loaded a configuration that does not validate: %v", err)
		}
	})
}

// TestLoadSheetSelection reads sources.<name>.sheet as one name, a list or
// patterns, exclude_sheets and rules.placeholders, from the file and from
// the environment, and refuses a pattern that cannot match.
func TestLoadSheetSelection(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		env      map[string]string
		sheets   []string
		excluded []string
		holders  []string
		err      string
	}{
		{name: "one name", yaml: "sources:\n  members: {path: m.xlsx, sheet: Membres}\n", sheets: []string{"Membres"}},
		{name: "a list", yaml: "sources:\n  members: {path: m.xlsx, sheet: [Fédéral, Municipal]}\n", sheets: []string{"Fédéral", "Municipal"}},
		{name: "patterns and exclusions", yaml: "sources:\n  members: {path: m.xlsx, sheet: [\"Membres*\"], exclude_sheets: [\"* (old)\"]}\n",
			sheets: []string{"Membres*"}, excluded: []string{"* (old)"}},
		{name: "from the environment", env: map[string]string{
			"COPSYNC_SOURCES_MEMBERS_SHEET":          "Fédéral, Municipal",
			"COPSYNC_SOURCES_MEMBERS_EXCLUDE_SHEETS": "Archive",
			"COPSYNC_RULES_PLACEHOLDERS":             "TBD,à voir",
		}, sheets: []string{"Fédéral", "Municipal"}, excluded: []string{"Archive"}, holders: []string{"TBD", "à voir"}},
		{name: "a bad pattern", yaml: "sources:\n  members: {path: m.xlsx, sheet: \"Membres[\"}\n", err: "sources.members.sheet: \"Membres[\" is not a valid pattern"},
		{name: "placeholders of an unknown field", yaml: "rules:\n  field_placeholders:\n    issues: {gravity: [N/A]}\n", err: "rules.field_placeholders.issues.gravity: issues has no field \"gravity\""},
		{name: "an unknown key", yaml: "sources:\n  members: {path: m.xlsx, sheets: [A]}\n", err: "sources.members.sheets: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(p, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(p, true, func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one saying %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := cfg.Sources.Members
			if strings.Join(m.Sheet, "|") != strings.Join(tt.sheets, "|") || strings.Join(m.ExcludeSheets, "|") != strings.Join(tt.excluded, "|") {
				t.Errorf("sheet %q, exclude_sheets %q; want %q and %q", m.Sheet, m.ExcludeSheets, tt.sheets, tt.excluded)
			}
			if tt.holders != nil && strings.Join(cfg.Rules.Placeholders, "|") != strings.Join(tt.holders, "|") {
				t.Errorf("placeholders %q, want %q", cfg.Rules.Placeholders, tt.holders)
			}
		})
	}
}
