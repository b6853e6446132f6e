package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("the default configuration is invalid: %v", err)
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		key    string
	}{
		{"members path", func(c *Config) { c.Sources.Members.Path = "" }, "sources.members.path"},
		{"kind", func(c *Config) { c.Sources.Issues.Kind = "csv" }, "sources.issues.kind"},
		{"gsheets id", func(c *Config) { c.Sources.Issues = Source{Kind: "gsheets", Path: "x"} }, "sources.issues.spreadsheet_id"},
		{"language", func(c *Config) { c.Report.Language = "de" }, "report.language"},
		{"period", func(c *Config) { c.Report.Period = Period{Start: "2022-09-01", End: "2022-01-01"} }, "report.period.end"},
		{"half period", func(c *Config) { c.Report.Period = Period{Start: "2022-09-01"} }, "report.period"},
		{"keep", func(c *Config) { c.Sync.Keep = 0 }, "sync.keep"},
		{"log format", func(c *Config) { c.Log.Format = "xml" }, "log.format"},
		{"limits", func(c *Config) { c.Limits.UnzipXMLSize = c.Limits.UnzipSize + 1 }, "limits.unzip_xml_size"},
		{"max attachment", func(c *Config) { c.Notify.MaxAttachment = 0 }, "notify.max_attachment"},
		{"severity code", func(c *Config) { c.Rules.Severity = map[string]string{"issue.nope": "error"} }, "rules.severity.issue.nope"},
		{"severity value", func(c *Config) { c.Rules.Severity = map[string]string{"issue.incomplete": "fatal"} }, "rules.severity.issue.incomplete"},
		{"required field", func(c *Config) { c.Rules.MemberRequired = []string{"shoe_size"} }, "rules.member_required"},
		{"coverage order", func(c *Config) { c.Rules.CoverageOrders = []string{"galactic"} }, "rules"},
		{"custom source", func(c *Config) { c.Rules.Custom = []Rule{{Name: "r", Source: "budget", Field: "x", Required: true}} }, "rules.custom[0].source"},
		{"custom field", func(c *Config) {
			c.Rules.Custom = []Rule{{Name: "r", Source: "members", Field: "phone", Required: true}}
		}, "rules.custom[0].field"},
		{"custom pattern", func(c *Config) { c.Rules.Custom = []Rule{{Name: "r", Source: "members", Field: "role", Pattern: "("}} }, "rules.custom[0].pattern"},
		{"custom checks nothing", func(c *Config) { c.Rules.Custom = []Rule{{Name: "r", Source: "members", Field: "role"}} }, "rules.custom[0]"},
		{"fields source", func(c *Config) { c.Fields = map[string]map[string][]string{"budget": {"x": {"X"}}} }, "fields.budget"},
		{"fields source misspelt", func(c *Config) { c.Fields = map[string]map[string][]string{"member": {"x": {"X"}}} }, "fields.member: unknown source (want members, issues or activities) (did you mean members?)"},
		{"severity code misspelt", func(c *Config) { c.Rules.Severity = map[string]string{"issue.incomplet": "error"} }, "rules.severity.issue.incomplet: unknown finding code (did you mean issue.incomplete?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error()+": ", tt.key+": ") {
				t.Errorf("error %q does not name %s", err, tt.key)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestCustomFieldDeclared(t *testing.T) {
	c := Default()
	c.Fields = map[string]map[string][]string{"members": {"phone": {"Téléphone"}}}
	c.Rules.Custom = []Rule{{Name: "phone", Source: "members", Field: "phone", Pattern: `^\d{3}-\d{3}-\d{4}$`, Severity: "warning"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := c.ValidateRules(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Custom) != 1 || r.Custom[0].Pattern == nil || r.Custom[0].Severity.String() != "warning" {
		t.Errorf("custom rule = %+v", r.Custom)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	for _, out := range []string{s.String(), fmt.Sprint(s), fmt.Sprintf("%v %s %#v", s, s, s), fmt.Sprintf("%+v", SMTP{Password: s})} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret shows in %q", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}
