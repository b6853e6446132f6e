package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"copsync/config"
)

// runCommand runs copsync in dir with the configuration file cfg and the
// variables env, which are also put into the process's environment so
// that the scan for unknown COPSYNC_ variables sees them. schedule runs
// with a context already cancelled: a configuration it accepts makes it
// stop at once, as after SIGTERM, instead of waiting for 06:00.
func runCommand(t *testing.T, dir, cfg string, env map[string]string, command string) (int, string) {
	t.Helper()
	t.Chdir(dir)
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if command == "schedule" {
		cancel()
	}
	var out, errb bytes.Buffer
	args := []string{command, "--config", cfg}
	if command != "schedule" {
		args = append(args, "--date", "2026-11-29")
	}
	code := run(ctx, args, func(k string) string { return env[k] }, &out, &errb)
	return code, errb.String()
}

// checkFixture writes a configuration on the examples whose outputs all go
// under dir, with the YAML of extra merged into it, and returns its path.
func checkFixture(t *testing.T, dir, name, extra string) string {
	t.Helper()
	ex := filepath.Join(repoRoot(t), "examples")
	cfg := map[string]any{
		"sources": map[string]any{
			"members": map[string]any{"kind": "xlsx", "path": filepath.Join(ex, "members.xlsx")},
			"issues":  map[string]any{"kind": "xlsx", "path": filepath.Join(ex, "issues.xlsx")},
		},
		"state":  map[string]any{"dir": filepath.Join(dir, "state")},
		"sync":   map[string]any{"snapshot_dir": filepath.Join(dir, "snapshots")},
		"report": map[string]any{"path": filepath.Join(dir, "out", "report-{date}.xlsx")},
		"notify": map[string]any{"outbox": filepath.Join(dir, "outbox")},
	}
	var more map[string]any
	if err := yaml.Unmarshal([]byte(extra), &more); err != nil {
		t.Fatalf("extra YAML %q: %v", extra, err)
	}
	merge(cfg, more)
	data, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// merge sets into dst every key of src, merging the sections both hold.
func merge(dst, src map[string]any) {
	for k, v := range src {
		d, dok := dst[k].(map[string]any)
		s, sok := v.(map[string]any)
		if dok && sok {
			merge(d, s)
			continue
		}
		dst[k] = v
	}
}

// TestCheckConfigRejectsWhatCommandsReject runs each bad configuration
// through check-config and through every command that does work: whatever
// a command rejects, check-config rejects too, with the same lines — they
// go through one validation — and each names the key at fault.
func TestCheckConfigRejectsWhatCommandsReject(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	brokenTmpl := write("broken.tmpl", "{{ .Sections ")
	unknownField := write("unknown-field.tmpl", "{{ .Prefix }} {{ .NoSuchField }}")
	unknownInRange := write("range.tmpl", "{{ range .Sections }}{{ range .New }}{{ .NoSuchField }}{{ end }}{{ end }}")
	commands := []string{"run", "schedule", "preview-email", "report", "validate", "sync"}
	tests := []struct {
		name  string
		extra string
		env   map[string]string
		want  []string // what the lines say: the key at fault first
	}{
		{"cron out of range", "schedule: {cron: \"99 99 * * *\"}\n", nil, []string{"schedule.cron:", "99 99"}},
		{"cron of six fields", "schedule: {cron: \"0 0 6 * * *\"}\n", nil, []string{"schedule.cron:"}},
		{"cron that never runs", "schedule: {cron: \"0 0 30 2 *\"}\n", nil, []string{"schedule.cron:", "no next run"}},
		{"unknown time zone", "schedule: {timezone: Mars/Olympus}\n", nil, []string{"schedule.timezone:", "Mars/Olympus"}},
		{"empty time zone", "schedule: {timezone: \"\"}\n", nil, []string{"schedule.timezone:"}},
		{"unknown template name", "notify: {templates: {email.default.txt: x.tmpl}}\n", nil, []string{"notify.templates.email.default.txt:", "did you mean email.default.text?"}},
		{"template file missing", "notify: {templates: {email.default.text: " + filepath.Join(dir, "none.tmpl") + "}}\n", nil, []string{"notify.templates.email.default.text:", "none.tmpl"}},
		{"template that does not parse", "notify: {templates: {email.default.html: " + brokenTmpl + "}}\n", nil, []string{"notify.templates.email.default.html:", "broken.tmpl"}},
		{"template naming no field", "notify: {templates: {email.default.subject: " + unknownField + "}}\n", nil, []string{"notify.templates.email.default.subject:", "NoSuchField"}},
		{"template naming no field of a finding", "notify: {templates: {email.default.text: " + unknownInRange + "}}\n", nil, []string{"notify.templates.email.default.text:", "NoSuchField"}},
		{"notify language", "notify: {language: de}\n", nil, []string{"notify.language:"}},
		{"notify when", "notify: {when: sometimes}\n", nil, []string{"notify.when:"}},
		{"subject with a line break", "notify: {subject: \"a\\r\\nBcc: x@example.ca\"}\n", nil, []string{"notify.subject:"}},
		{"from not an address", "notify: {from: not an address}\n", nil, []string{"notify.from:"}},
		{"address without a top-level domain", "notify: {to: [\"secretariat@localhost\"]}\n", nil, []string{"notify.to[0]:"}},
		{"tls none to a remote server", "notify: {from: a@example.ca, to: [b@example.ca], smtp: {host: smtp.example.ca, tls: none}}\n", nil, []string{"notify.smtp.tls:"}},
		{"mail server without recipients", "notify: {from: a@example.ca, smtp: {host: smtp.example.ca}}\n", nil, []string{"notify.to:"}},
		{"password without user name", "notify: {from: a@example.ca, to: [b@example.ca], smtp: {host: smtp.example.ca}}\n", map[string]string{"COPSYNC_NOTIFY_SMTP_PASSWORD": "pw"}, []string{"notify.smtp.username:"}},
		{"password in the file", "notify: {smtp: {password: hunter2}}\n", nil, []string{"notify.smtp.password:", "password_file"}},
		{"report language", "report: {language: de}\n", nil, []string{"report.language:"}},
		{"report period", "report: {period: {start: \"2022-09-01\", end: \"2022-01-01\"}}\n", nil, []string{"report.period.end:"}},
		{"unknown key", "report: {languge: fr}\n", nil, []string{"report.languge: unknown key (did you mean report.language?)"}},
		{"unknown key left empty", "sources: {activities: {sheeet: }}\n", nil, []string{"sources.activities.sheeet: unknown key (did you mean sources.activities.sheet?)"}},
		{"key in the wrong section", "cron: \"0 6 * * *\"\n", nil, []string{"cron: unknown key (did you mean schedule.cron?)"}},
		{"wrong type", "sync: {keep: many}\n", nil, []string{"sync.keep:", "whole number"}},
		{"bad spreadsheet id", "sources: {activities: {kind: gsheets, spreadsheet_id: \"not an id!\"}}\n", nil, []string{"sources.activities.spreadsheet_id:"}},
		{"custom rule pattern", "rules: {custom: [{name: r, source: members, field: role, pattern: \"(\"}]}\n", nil, []string{"rules.custom[0].pattern:"}},
		{"severity of an unknown code", "rules: {severity: {issue.nope: error}}\n", nil, []string{"rules.severity.issue.nope:"}},
		{"log level", "log: {level: loud}\n", nil, []string{"log.level:"}},
		{"bad value from the environment", "", map[string]string{"COPSYNC_REPORT_LANGUAGE": "de"}, []string{"COPSYNC_REPORT_LANGUAGE: report.language:"}},
		{"typo in a variable", "", map[string]string{"COPSYNC_REPORT_LANGUGE": "fr"}, []string{"COPSYNC_REPORT_LANGUGE: unknown variable", "did you mean COPSYNC_REPORT_LANGUAGE?"}},
		{"variable for a map", "", map[string]string{"COPSYNC_NOTIFY_TEMPLATES_EMAIL_DEFAULT_TEXT": "x"}, []string{"COPSYNC_NOTIFY_TEMPLATES_EMAIL_DEFAULT_TEXT: notify.templates cannot be set from the environment"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := checkFixture(t, dir, fmt.Sprintf("bad%d.yaml", i), tt.extra)
			code, check := runCommand(t, dir, cfg, tt.env, "check-config")
			if code != exitUsage {
				t.Fatalf("check-config: exit %d, want %d; stderr:\n%s", code, exitUsage, check)
			}
			for _, w := range tt.want {
				if !strings.Contains(check, w) {
					t.Errorf("check-config's stderr lacks %q:\n%s", w, check)
				}
			}
			for _, line := range strings.Split(strings.TrimRight(check, "\n"), "\n") {
				if !strings.HasPrefix(line, "copsync: ") {
					t.Errorf("line %q is not a problem line", line)
				}
			}
			for _, cmd := range commands {
				code, stderr := runCommand(t, dir, cfg, tt.env, cmd)
				if code != exitUsage {
					t.Errorf("%s: exit %d, want %d (check-config rejects it); stderr:\n%s", cmd, code, exitUsage, stderr)
					continue
				}
				if stderr != check {
					t.Errorf("%s rejects it otherwise than check-config:\n%s\ncheck-config:\n%s", cmd, stderr, check)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "outbox")); err == nil {
				t.Error("a command wrote to the outbox before checking its configuration")
			}
		})
	}

	// Good configurations, some of which a check used to reject while
	// another accepted them: every command gets past the check, as
	// check-config does.
	goods := []struct {
		name, extra string
		env         map[string]string
	}{
		{"the fixture", "", nil},
		{"notify language en-fr", "notify: {language: en-fr}\n", nil},
		{"notify language fr-en", "notify: {language: fr-en}\n", nil},
		{"tls none on a name under .localhost", "notify: {from: a@example.ca, to: [b@example.ca], smtp: {host: mail.localhost, tls: none}}\n", nil},
		{"a variable that is not a key", "", map[string]string{"COPSYNC_BIN": "/usr/local/bin/copsync"}},
		{"template replaced by a good file", "notify: {templates: {email.default.subject: " + write("good-subject.tmpl", "{{ .Prefix }} {{ .Date }}") + "}}\n", nil},
	}
	for i, g := range goods {
		t.Run("good/"+g.name, func(t *testing.T) {
			cfg := checkFixture(t, dir, fmt.Sprintf("good%d.yaml", i), g.extra)
			for _, cmd := range append([]string{"check-config"}, commands...) {
				if cmd == "run" && strings.Contains(g.extra, "smtp:") {
					continue // it would send the e-mail to a server that is not there
				}
				if code, stderr := runCommand(t, dir, cfg, g.env, cmd); code == exitUsage {
					t.Errorf("%s rejects it: %s", cmd, stderr)
				}
			}
		})
	}
}

// TestCheckConfigAllProblemsAtOnce gives unknown keys, values of the wrong
// type and values out of range together: one run reports them all, one
// line each.
func TestCheckConfigAllProblemsAtOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := checkFixture(t, dir, "c.yaml", "schedule: {cron: \"99 99 * * *\", timezone: Mars/Olympus}\n"+
		"sync: {keep: abc}\n"+
		"notify: {language: de, to: [nope], smtp: {hots: x}}\n"+
		"report: {languge: fr}\n"+
		"rules: {custom: [{name: r, source: members, field: role, sevrity: warning}]}\n")
	code, stderr := runCommand(t, dir, cfg, map[string]string{"COPSYNC_LOG_LEVL": "debug"}, "check-config")
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	want := []string{
		"copsync: COPSYNC_LOG_LEVL: unknown variable: no configuration key has this name (did you mean COPSYNC_LOG_LEVEL?)",
		"copsync: " + cfg + ": rules.custom[0].sevrity: unknown key (did you mean rules.custom[0].severity?)",
		"copsync: " + cfg + ": report.languge: unknown key (did you mean report.language?)",
		"copsync: " + cfg + `: sync.keep: "abc" is not a whole number`,
		"copsync: " + cfg + ": notify.smtp.hots: unknown key (did you mean notify.smtp.host?)",
		"copsync: " + cfg + `: schedule.timezone: unknown time zone "Mars/Olympus" (want an IANA name such as America/Toronto)`,
		"copsync: " + cfg + `: schedule.cron: cron expression "99 99 * * *": end of range (99) above maximum (59): 99`,
		"copsync: " + cfg + `: notify.language: must be en, fr, both or en-fr (English first) or fr-en (French first), not "de"`,
		"copsync: " + cfg + `: notify.to[0]: "nope" is not an e-mail address`,
	}
	got := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestNoConfigFileNotice runs from a folder without config.yaml: the
// defaults are used and a notice on stderr says which path was tried.
func TestNoConfigFileNotice(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"check-config"}, func(string) string { return "" }, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	stderr := errb.String()
	tried, _ := filepath.Abs(filepath.Join(dir, "config.yaml"))
	for _, want := range []string{"no configuration file found", "built-in defaults", tried} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 {
		t.Errorf("the notice is not one line: %q", stderr)
	}
	if !strings.Contains(out.String(), "path: examples/members.xlsx") {
		t.Errorf("check-config does not print the defaults:\n%s", out.String())
	}

	// With the file there, no notice.
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("log: {level: info}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run(context.Background(), []string{"check-config"}, func(string) string { return "" }, &out, &errb); code != exitOK || errb.Len() != 0 {
		t.Errorf("with config.yaml: exit %d, stderr %q", code, errb.String())
	}
}

// TestBundledConfigIsTheDefaults loads the bundled config.yaml: it is the
// built-in defaults, except what it adds to show the examples whole (the
// activities sheet, the co-chairs and the period of the September 2022
// report). So a run from another folder, on the defaults, checks the same
// rules.
func TestBundledConfigIsTheDefaults(t *testing.T) {
	root := repoRoot(t)
	got, err := loadConfig(filepath.Join(root, "config.yaml"), true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := config.Default()
	want.Sources.Activities.Path = "examples/activities.xlsx"
	want.Report.Period = config.Period{Start: "2022-02-01", End: "2022-08-31"}
	want.Community.CoChairs = got.Community.CoChairs
	if len(got.Community.CoChairs) != 2 {
		t.Errorf("config.yaml names %d co-chairs, want 2", len(got.Community.CoChairs))
	}
	// Empty and nil lists and maps are the same setting.
	opt := cmp.FilterValues(func(a, b any) bool {
		va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
		return (va.Kind() == reflect.Slice || va.Kind() == reflect.Map) && va.Len() == 0 && vb.Len() == 0
	}, cmp.Comparer(func(_, _ any) bool { return true }))
	if diff := cmp.Diff(want, *got, opt); diff != "" {
		t.Errorf("config.yaml differs from config.Default() (-default +config.yaml):\n%s", diff)
	}
}

// TestConfigThatIsNotYAML gives a configuration file that does not parse:
// every command says so in one line naming the file, before any work.
func TestConfigThatIsNotYAML(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(cfg, []byte("report: {language: [fr\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"check-config", "run", "validate"} {
		code, stderr := runCommand(t, dir, cfg, nil, cmd)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", cmd, code, exitUsage, stderr)
		}
		if want := cfg + ": While parsing config: yaml: line 1:"; !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: stderr %q, want one line with %q", cmd, stderr, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox")); err == nil {
		t.Error("run wrote to the outbox with a configuration that does not parse")
	}
}
