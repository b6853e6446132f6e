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
