package notify

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"copsync/validate"
)

func composer(t *testing.T, cfg Config) *Composer {
	t.Helper()
	c, err := NewComposer(cfg, catalogue(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// changedDigest returns a digest with two new findings and one resolved,
// the rest still open.
func changedDigest(res *validate.Result) Digest {
	prev := &State{Date: "2026-01-01", Findings: []Record{{ID: "gone", Code: validate.CodeMemberFieldMissing, Severity: validate.Error,
		Source: validate.SourceMembers, Sheet: "Members", Row: 9, Cell: "C9", Message: "Row 9: the organization is missing",
		MessageFR: "Ligne 9 : le champ organisation est vide", FirstSeen: "2025-12-28", Runs: 5}}}
	for _, f := range res.Findings[2:] {
		prev.Findings = append(prev.Findings, Record{ID: f.ID, Code: f.Code, Source: f.Source, FirstSeen: "2025-12-25"})
	}
	d, _ := Compare(prev, Run{Date: "2026-01-02", Summary: res.Summary, Findings: res.Findings})
	return d
}

func TestSubjectSummaryLine(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	// Keep the seed report's findings only: four provinces/territories and
	// one incomplete issue.
	var kept []validate.Finding
	for _, f := range res.Findings {
		if f.Code != validate.CodeMemberEmailInvalid {
			kept = append(kept, f)
		}
	}
	res.Findings = kept
	d := changedDigest(res)
	if len(d.New) != 2 || len(d.Resolved) != 1 {
		t.Fatalf("digest: %d new, %d resolved; want 2 and 1", len(d.New), len(d.Resolved))
	}
	tests := []struct {
		name  string
		langs []string
		want  string
	}{
		{"both, English first", []string{"en", "fr"},
			"[copsync] 4 provinces/territories unrepresented… — 2 new, 1 resolved"},
		{"French first", []string{"fr", "en"},
			"[copsync] 4 provinces ou territoires non représentés… — 2 nouveaux, 1 réglé"},
		{"English only", []string{"en"},
			"[copsync] 4 provinces/territories unrepresented… — 2 new, 1 resolved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := composer(t, Config{Subject: "[copsync]", Languages: tt.langs})
			e, err := c.Compose(Input{Date: "2026-01-02", Result: res, Digest: d})
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.want {
				t.Errorf("subject\n got %q\nwant %q", e.Subject, tt.want)
			}
			if n := utf8.RuneCountInString(e.Subject); n >= maxSubject {
				t.Errorf("subject of %d characters: %q", n, e.Subject)
			}
		})
	}
}

func TestSubjectVariants(t *testing.T) {
	clean := result(t, [][]string{
		{"Name", "E-mail", "Organization", "Order of government", "Province/Territory", "Status"},
		{"A", "a@canada.ca", "Service Canada", "Federal", "ON", "Active"},
		{"B", "b@ottawa.ca", "City of Ottawa", "Municipal", "ON", "Active"},
		{"C", "c@gov.nl.ca", "NL", "Provincial", "NL", "Active"},
		{"D", "d@gov.pe.ca", "PE", "Provincial", "PE", "Active"},
		{"E", "e@gov.ns.ca", "NS", "Provincial", "NS", "Active"},
		{"F", "f@gov.nb.ca", "NB", "Provincial", "NB", "Active"},
		{"G", "g@gouv.qc.ca", "QC", "Provincial", "QC", "Active"},
		{"H", "h@ontario.ca", "ON", "Provincial", "ON", "Active"},
		{"I", "i@gov.mb.ca", "MB", "Provincial", "MB", "Active"},
		{"J", "j@gov.sk.ca", "SK", "Provincial", "SK", "Active"},
		{"K", "k@gov.ab.ca", "AB", "Provincial", "AB", "Active"},
		{"L", "l@gov.bc.ca", "BC", "Provincial", "BC", "Active"},
		{"M", "m@gov.yk.ca", "YT", "Territorial", "YT", "Active"},
		{"N", "n@gov.nt.ca", "NT", "Territorial", "NT", "Active"},
		{"O", "o@gov.nu.ca", "NU", "Territorial", "NU", "Active"},
	}, [][]string{
		{"Issue", "Criticality", "Incidence", "Action plan"},
		{"Recruit speakers", "High", "Medium", "Ask the Council"},
	})
	if len(clean.Findings) != 0 {
		t.Fatalf("the clean fixture has findings: %s", codes(clean.Findings))
	}
	seed := result(t, membersRows(), issuesRows())
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"clean, no change", Input{Result: clean, Digest: Digest{PreviousDate: "2026-01-01"}},
			"[copsync] All 13 provinces/territories represented, no findings — no change"},
		{"first run", Input{Result: seed, Digest: Digest{First: true}},
			"[copsync] 4 provinces/territories unrepresented… — first run"},
		{"members unreadable", Input{Result: clean, Unread: []Failure{{Source: validate.SourceMembers, Error: "members: examples/members.xlsx: file not found"}}, Digest: Digest{PreviousDate: "2026-01-01"}},
			"[copsync] Membership source unreadable — no change"},
		{"nothing readable, report failed", Input{Unread: []Failure{{Source: "members", Error: "x"}, {Source: "issues", Error: "y"}}, ReportError: "disk full", Digest: Digest{PreviousDate: "2026-01-01"}},
			"[copsync] 2 sources unreadable, report not written — no change"},
	}
	c := composer(t, Config{Subject: "[copsync]"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Date = "2026-01-02"
			e, err := c.Compose(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tt.want {
				t.Errorf("subject\n got %q\nwant %q", e.Subject, tt.want)
			}
			if n := utf8.RuneCountInString(e.Subject); n >= maxSubject {
				t.Errorf("subject of %d characters: %q", n, e.Subject)
			}
		})
	}
}

func TestBodyBothLanguagesAndNoPersonalData(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	d := changedDigest(res)
	dir := t.TempDir()
	report := filepath.Join(dir, "report-2026-01-02.xlsx")
	if err := os.WriteFile(report, []byte("PK\x03\x04 workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := Input{Date: "2026-01-02", Result: res, Digest: d, ReportPath: report}

	c := composer(t, Config{Subject: "[copsync]", CommunityEN: "Service Centre Community of Practice", CommunityFR: "Communauté de pratique du centre de services"})
	e, err := c.Compose(in)
	if err != nil {
		t.Fatal(err)
	}
	for part, body := range map[string]string{"text": e.Text, "html": e.HTML} {
		for _, want := range []string{
			// Titles in both languages, English first.
			"Service Centre Community of Practice: nightly check of 2 January 2026",
			"Communauté de pratique du centre de services\u00a0: vérification de la nuit du 2 janvier 2026",
			// The digest.
			"Row 9: the organization is missing", "Ligne 9 : le champ organisation est vide",
			// Findings by sheet and cell, with their codes.
			"B3", "member.email-invalid", "issue.incomplete", "B2",
			"Row 3: the e-mail address is not valid", "Ligne 3\u00a0: l’adresse courriel n’est pas valide",
			// The coverage sentence of the seed report in both languages.
			"Newfoundland and Labrador, Prince Edward Island, Nunavut and Yukon are not represented.",
			"Terre-Neuve-et-Labrador, l’Île-du-Prince-Édouard, le Nunavut et le Yukon ne sont pas représentés.",
			"report-2026-01-02.xlsx",
		} {
			if !strings.Contains(unescape(body), want) {
				t.Errorf("%s part lacks %q", part, want)
			}
		}
		en, fr := strings.Index(unescape(body), "nightly check"), strings.Index(unescape(body), "vérification de la nuit")
		if en < 0 || fr < 0 || en > fr {
			t.Errorf("%s part: English at %d, French at %d; want English first", part, en, fr)
		}
		for _, secret := range []string{badEmail, memberName, "alex.martin@canada.ca"} {
			if strings.Contains(unescape(body), secret) {
				t.Errorf("%s part holds personal data %q", part, secret)
			}
		}
		if strings.Contains(body, "!notify.") || strings.Contains(body, "!source.") || strings.Contains(body, "!severity.") {
			t.Errorf("%s part names a key missing from the catalogue", part)
		}
	}
	if len(e.Attachments) != 1 || e.Attachments[0].Name != "report-2026-01-02.xlsx" || e.Attachments[0].ContentType != XLSXType {
		t.Errorf("attachments = %+v", e.Attachments)
	}

	// With include_personal_data, the invalid address shows.
	cp := composer(t, Config{IncludePersonalData: true})
	ep, err := cp.Compose(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ep.Text, badEmail) || !strings.Contains(unescape(ep.HTML), badEmail) {
		t.Error("include_personal_data: the invalid address is not shown")
	}
}

// unescape undoes the HTML escapes the html template adds to text.
func unescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&quot;", "\"").Replace(s)
}

func TestHTMLGridAndSafety(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	c := composer(t, Config{})
	e, err := c.Compose(Input{Date: "2026-01-02", Result: res, Digest: Digest{First: true}})
	if err != nil {
		t.Fatal(err)
	}
	h := e.HTML
	for _, bad := range []string{"<script", "<link", "<style", "<img", "url(", "javascript:", "@import", "class="} {
		if strings.Contains(strings.ToLower(h), bad) {
			t.Errorf("the HTML part contains %q", bad)
		}
	}
	// One grid cell per province and territory, per language; red for the
	// four unrepresented, green for the nine others.
	cell := regexp.MustCompile(`<td width="20%" valign="top" style="[^"]*background-color:(#[0-9a-f]{6});[^"]*">\s*<div[^>]*>&#(\d+); ([A-Z]{2})</div>`)
	m := cell.FindAllStringSubmatch(h, -1)
	if len(m) != 26 {
		t.Fatalf("%d grid cells, want 13 per language", len(m))
	}
	missing := map[string]bool{"NL": true, "PE": true, "NU": true, "YT": true}
	for _, x := range m {
		colour, mark, code := x[1], x[2], x[3]
		wantColour, wantMark := "#dcf2e3", "10003"
		if missing[code] {
			wantColour, wantMark = "#fbdcd9", "10007"
		}
		if colour != wantColour || mark != wantMark {
			t.Errorf("%s: colour %s mark &#%s;, want %s &#%s;", code, colour, mark, wantColour, wantMark)
		}
	}
}

func TestFailureNotice(t *testing.T) {
	c := composer(t, Config{})
	e, err := c.Compose(Input{Date: "2026-01-02", Digest: Digest{First: true},
		Unread: []Failure{{Source: validate.SourceMembers, Error: `members: examples/members.xlsx: file not found`},
			{Source: validate.SourceIssues, Error: `issues: issues.xlsx: sheet "Enjeux": sheet not found`, Reason: "sheet-not-found", File: "issues.xlsx", Sheet: "Enjeux"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"The membership source could not be read: members: examples/members.xlsx: file not found.",
		"La source «\u00a0enjeux\u00a0» n’a pas pu être lue\u00a0: la feuille «\u00a0Enjeux\u00a0» est introuvable dans issues.xlsx.",
		"La source «\u00a0membres\u00a0» n’a pas pu être lue\u00a0: erreur de lecture (détail en anglais\u00a0: members: examples/members.xlsx: file not found).",
	} {
		if !strings.Contains(e.Text, want) || !strings.Contains(unescape(e.HTML), want) {
			t.Errorf("the message lacks %q", want)
		}
	}
	if strings.Contains(e.Text, "No findings") {
		t.Error("a run that read nothing says there are no findings")
	}
}

func TestMaxFindings(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	c := composer(t, Config{MaxFindings: 2, Languages: []string{"en"}})
	e, err := c.Compose(Input{Date: "2026-01-02", Result: res, Digest: Digest{First: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := "… and " + strconv.Itoa(len(res.Findings)-2) + " more in the attached report."
	if !strings.Contains(e.Text, want) {
		t.Errorf("text lacks %q", want)
	}
}

func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	subject := filepath.Join(dir, "subject.tmpl")
	if err := os.WriteFile(subject, []byte("Nightly {{ .Date }}\r\nBcc: evil@example.com"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := composer(t, Config{Templates: map[string]string{TemplateSubject: subject}})
	e, err := c.Compose(Input{Date: "2026-01-02", Digest: Digest{First: true}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "Nightly 2026-01-02 Bcc: evil@example.com" {
		t.Errorf("subject = %q, want the override on one line", e.Subject)
	}
	if !strings.Contains(e.Text, "nightly check") {
		t.Error("the text part is not the default one")
	}

	broken := filepath.Join(dir, "broken.html")
	if err := os.WriteFile(broken, []byte("<p>{{ .Nope </p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = NewComposer(Config{Templates: map[string]string{TemplateHTML: broken}}, catalogue(t), nil)
	if err == nil || !strings.Contains(err.Error(), "notify.templates.email.default.html") || !strings.Contains(err.Error(), broken) {
		t.Errorf("broken template: error %v, want one naming the key and the file", err)
	}
	_, err = NewComposer(Config{Templates: map[string]string{TemplateText: filepath.Join(dir, "absent")}}, catalogue(t), nil)
	if err == nil || !strings.Contains(err.Error(), "notify.templates.email.default.text") {
		t.Errorf("missing template file: error %v", err)
	}
}

func TestShouldSend(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	none := &validate.Result{}
	tests := []struct {
		when string
		in   Input
		want bool
	}{
		{WhenFindings, Input{Result: res}, true},
		{WhenFindings, Input{Result: none}, false},
		{WhenFindings, Input{Result: none, Digest: Digest{Resolved: []Entry{{}}}}, true},
		{WhenFindings, Input{Result: none, Unread: []Failure{{Source: "members"}}}, true},
		{WhenChanges, Input{Result: res}, false},
		{WhenChanges, Input{Result: res, Digest: Digest{New: []Entry{{}}}}, true},
		{WhenChanges, Input{Result: res, Digest: Digest{First: true}}, true},
		{WhenChanges, Input{Result: none, ReportError: "disk full"}, true},
		{WhenAlways, Input{Result: none}, true},
		{"", Input{Result: none}, false},
	}
	for i, tt := range tests {
		c := Config{When: tt.when}
		if got := c.ShouldSend(tt.in); got != tt.want {
			t.Errorf("case %d (%s): ShouldSend = %v, want %v", i, tt.when, got, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{From: "copsync <copsync@example.org>", To: []string{"secretariat@example.org"}, When: WhenFindings,
		SMTP: SMTPConfig{Host: "smtp.example.org", Port: 587, TLS: TLSStartTLS}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"CR/LF in subject", func(c *Config) { c.Subject = "[copsync]\r\nBcc: x@y.z" }, "notify.subject"},
		{"LF in from", func(c *Config) { c.From = "a@b.c\nBcc: x@y.z" }, "notify.from"},
		{"CR in to", func(c *Config) { c.To = []string{"ok@b.c", "x@y.z\rBcc: e@f.g"} }, "notify.to[1]"},
		{"not an address", func(c *Config) { c.To = []string{"secretariat"} }, "notify.to[0]"},
		{"tls none remote", func(c *Config) { c.SMTP.TLS = TLSNone }, "notify.smtp.tls"},
		{"tls unknown", func(c *Config) { c.SMTP.TLS = "ssl" }, "notify.smtp.tls"},
		{"no recipients", func(c *Config) { c.To = nil }, "notify.to"},
		{"when", func(c *Config) { c.When = "sometimes" }, "notify.when"},
		{"template name", func(c *Config) { c.Templates = map[string]string{"email.body": "x"} }, "notify.templates.email.body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			c.To = append([]string(nil), ok.To...)
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %s", err, tt.want)
			}
		})
	}
	local := ok
	for _, h := range []string{"localhost", "127.0.0.1", "::1", "[::1]"} {
		local.SMTP = SMTPConfig{Host: h, TLS: TLSNone}
		if err := local.Validate(); err != nil {
			t.Errorf("tls none on %s: %v", h, err)
		}
	}
}

func TestParseLanguages(t *testing.T) {
	for in, want := range map[string]string{"both": "en,fr", "": "en,fr", "fr-en": "fr,en", "en": "en", "fr": "fr"} {
		got, err := ParseLanguages(in)
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("ParseLanguages(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseLanguages("de"); err == nil {
		t.Error("de: no error")
	}
}
