package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// secrets are the distinctive pieces of the personal data in the privacy
// fixture: names, e-mail addresses and the value of a custom field marked
// personal. They are looked for in lower case in lower-cased bytes.
var secrets = []string{"quaggle", "zq.secret", "zéphirine", "zephirine"}

// privacyFixture copies the example membership with three more members whose
// names and addresses are distinctive (a duplicate address, a duplicate
// name, an address that is not valid) and a custom field, Sponsor, whose
// one value is personal and not allowed; it writes a configuration that
// declares the field, marks it personal in a custom rule, adds a custom
// rule on the members' names (a personal field by default) and sends every
// output under dir. It returns the configuration's path.
func privacyFixture(t *testing.T, dir, extra string) string {
	t.Helper()
	root := repoRoot(t)
	f, err := excelize.OpenFile(filepath.Join(root, "examples", "members.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Name" {
			header = i + 1
			break
		}
	}
	if header < 0 {
		t.Fatal("examples/members.xlsx: no header row starting with Name")
	}
	last := len(rows)
	set := func(col, row int, v string) {
		t.Helper()
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(9, header, "Sponsor")
	for i, r := range [][]string{
		{"Zéphirine Quaggleworth", "zq.secret@example.org", "Health Canada", "Federal", "", "Analyst", "Active", "2024-01-15", "Quaggleworth Personal Consulting"},
		{"Zéphirine Quaggleworth", "ZQ.Secret@example.org", "Health Canada", "Federal", "", "Analyst", "Active", "2024-01-15", ""},
		{"Quintus Quaggle", "quaggle-invalid@@example", "Health Canada", "Federal", "", "Analyst", "Active", "2024-01-15", ""},
	} {
		for c, v := range r {
			set(c+1, last+1+i, v)
		}
	}
	members := filepath.Join(dir, "sources", "members.xlsx")
	if err := os.MkdirAll(filepath.Dir(members), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(members); err != nil {
		t.Fatal(err)
	}
	cfg := checkFixture(t, dir, "config.yaml", `
sources:
  members: {kind: xlsx, path: `+strconv.Quote(members)+`}
fields:
  members:
    sponsor: [Sponsor]
rules:
  custom:
    - name: sponsor-government
      source: members
      field: sponsor
      allowed: [{value: Government, en: Government, fr: Gouvernement}]
      personal: true
    - name: name-unique
      source: members
      field: name
      unique: true
`+extra)
	return cfg
}

// leaks returns the secrets found in data.
func leaks(data []byte) []string {
	low := bytes.ToLower(data)
	var found []string
	for _, s := range secrets {
		if bytes.Contains(low, []byte(s)) {
			found = append(found, s)
		}
	}
	return found
}

// emailText returns every byte a person or a program can read in a raw
// e-mail: its headers decoded, each MIME part decoded (quoted-printable,
// base64), and each part of an attached workbook unzipped.
func emailText(t *testing.T, raw []byte) (text []byte, workbooks [][]byte) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read e-mail: %v", err)
	}
	var out bytes.Buffer
	dec := new(mime.WordDecoder)
	for k, vs := range m.Header {
		for _, v := range vs {
			d, err := dec.DecodeHeader(v)
			if err != nil {
				d = v
			}
			out.WriteString(k + ": " + d + "\n")
		}
	}
	var walk func(h map[string][]string, r io.Reader)
	walk = func(h map[string][]string, r io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		ct := get("Content-Type")
		if ct == "" {
			ct = "text/plain"
		}
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatalf("MIME part: %v", err)
				}
				walk(p.Header, p)
			}
		}
		switch strings.ToLower(get("Content-Transfer-Encoding")) {
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, r)
		case "quoted-printable":
			r = quotedprintable.NewReader(r)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("decode %s part: %v", mt, err)
		}
		out.Write(b)
		if _, p, err := mime.ParseMediaType(get("Content-Disposition")); err == nil && p["filename"] != "" {
			out.WriteString("\nattachment: " + p["filename"] + "\n")
			workbooks = append(workbooks, b)
			out.Write(unzipAll(t, b))
		}
	}
	walk(m.Header, m.Body)
	return out.Bytes(), workbooks
}

// onlyMessage returns the one message in dir's outbox, as written.
func onlyMessage(t *testing.T, dir string) []byte {
	t.Helper()
	msgs, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	if len(msgs) != 1 {
		t.Fatalf("%d messages in the outbox, want 1", len(msgs))
	}
	raw, err := os.ReadFile(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// unzipAll returns every part of a zip archive (a workbook), concatenated.
func unzipAll(t *testing.T, data []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("unzip: %v", err)
	}
	var out bytes.Buffer
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("\n" + f.Name + "\n")
		out.Write(b)
	}
	return out.Bytes()
}

// treeLeaks returns, for each file under dir, the secrets it holds (a
// workbook's parts unzipped, an e-mail decoded).
func treeLeaks(t *testing.T, dir string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".xlsx":
			b = append(b, unzipAll(t, b)...)
		case ".eml":
			text, _ := emailText(t, b)
			b = append(b, text...)
		}
		if l := leaks(b); len(l) > 0 {
			found[p] = l
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return found
}

// TestPersonalDataStaysHome feeds a membership with distinctive names and
// addresses, and a custom rule on a field marked personal, through every
// command, and greps every byte each writes: the e-mail (its parts decoded,
// its attachment unzipped), the outbox, the state, the logs at info and
// debug level. The personal data shows only where it is allowed: the
// secretariat's terminal and JSON output, and the full report on its disk.
func TestPersonalDataStaysHome(t *testing.T) {
	const date = "2026-11-29"
	mustLeak := func(t *testing.T, where string, data []byte) {
		t.Helper()
		if len(leaks(data)) == 0 {
			t.Errorf("%s: the personal data is missing where it is allowed", where)
		}
	}
	noLeak := func(t *testing.T, where string, data []byte) {
		t.Helper()
		if l := leaks(data); len(l) > 0 {
			t.Errorf("%s holds personal data %q", where, l)
		}
	}
	noTreeLeak := func(t *testing.T, dir string) {
		t.Helper()
		for p, l := range treeLeaks(t, dir) {
			t.Errorf("%s holds personal data %q", p, l)
		}
	}

	t.Run("validate", func(t *testing.T) {
		dir := t.TempDir()
		cfg := privacyFixture(t, dir, "")
		env := map[string]string{"COPSYNC_LOG_LEVEL": "debug"}
		code, out, stderr := runIn(t, dir, env, "validate", "--config", cfg, "--date", date, "--fail-on", "none")
		if code != 0 {
			t.Fatalf("validate: exit %d\n%s", code, stderr)
		}
		for _, want := range []string{`"Quaggleworth Personal Consulting" is not an allowed sponsor`, "rule name-unique"} {
			if !strings.Contains(out, want) {
				t.Errorf("the text output lacks %q:\n%s", want, out)
			}
		}
		noLeak(t, "validate's log", []byte(stderr))
		code, out, stderr = runIn(t, dir, env, "validate", "--config", cfg, "--date", date, "--fail-on", "none", "--format", "json")
		if code != 0 {
			t.Fatalf("validate --format json: exit %d\n%s", code, stderr)
		}
		for _, want := range []string{`"key": "ZQ.Secret@example.org"`, `\"Quaggleworth Personal Consulting\" is not an allowed sponsor`,
			"Quaggleworth Personal Consulting\u00a0» n’est pas une valeur permise"} {
			if !strings.Contains(out, want) {
				t.Errorf("the JSON output lacks %q", want)
			}
		}
		noLeak(t, "validate --format json's log", []byte(stderr))
	})

	t.Run("report", func(t *testing.T) {
		dir := t.TempDir()
		cfg := privacyFixture(t, dir, "")
		code, out, stderr := runIn(t, dir, map[string]string{"COPSYNC_LOG_LEVEL": "debug"}, "report", "--config", cfg, "--date", date)
		if code != 0 {
			t.Fatalf("report: exit %d\n%s", code, stderr)
		}
		noLeak(t, "report's output", []byte(out+stderr))
		full, err := os.ReadFile(strings.TrimSpace(out))
		if err != nil {
			t.Fatal(err)
		}
		mustLeak(t, "the full report on disk", unzipAll(t, full))
	})

	for _, level := range []string{"info", "debug"} {
		t.Run("run-smtp-"+level, func(t *testing.T) {
			dir := t.TempDir()
			cfg := privacyFixture(t, dir, "")
			srv := startAccepting(t, "copsync", "pw-privacy")
			env := map[string]string{
				"COPSYNC_LOG_LEVEL":            level,
				"COPSYNC_NOTIFY_SMTP_HOST":     "127.0.0.1",
				"COPSYNC_NOTIFY_SMTP_PORT":     strconv.Itoa(srv.port),
				"COPSYNC_NOTIFY_SMTP_TLS":      "none",
				"COPSYNC_NOTIFY_SMTP_USERNAME": "copsync",
				"COPSYNC_NOTIFY_SMTP_PASSWORD": "pw-privacy",
				"COPSYNC_NOTIFY_FROM":          "copsync@example.org",
				"COPSYNC_NOTIFY_TO":            "co-chairs@example.org",
				"COPSYNC_NOTIFY_WHEN":          "always",
			}
			for k, v := range env {
				t.Setenv(k, v)
			}
			code, out, stderr := runIn(t, dir, env, "run", "--config", cfg, "--date", date)
			if code != 0 {
				t.Fatalf("run: exit %d\n%s", code, stderr)
			}
			noLeak(t, "run's output and log", []byte(out+stderr))
			srv.mu.Lock()
			msgs := srv.messages
			srv.mu.Unlock()
			if len(msgs) != 1 {
				t.Fatalf("%d messages received, want 1", len(msgs))
			}
			text, workbooks := emailText(t, msgs[0])
			noLeak(t, "the e-mail received", append(msgs[0], text...))
			if len(workbooks) != 1 {
				t.Fatalf("%d workbooks attached, want 1", len(workbooks))
			}
			att := unzipAll(t, workbooks[0])
			if bytes.Contains(att, []byte(`name="Members - Membres"`)) || !bytes.Contains(att, []byte(`name="Findings - Constats"`)) {
				t.Error("the attached report has the Members sheet, or lacks the Findings sheet")
			}
			for _, want := range []string{"the sponsor is not an allowed value (allowed: Government; rule sponsor-government)",
				"The attached report holds the summary, the coverage, the issues, the activities and the findings, without the members' sheet"} {
				if !bytes.Contains(text, []byte(want)) {
					t.Errorf("the e-mail lacks %q", want)
				}
			}
			noTreeLeak(t, filepath.Join(dir, "state"))
			noTreeLeak(t, filepath.Join(dir, "outbox"))
			full, err := os.ReadFile(filepath.Join(dir, "out", "report-"+date+".xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			mustLeak(t, "the full report on disk", unzipAll(t, full))
		})
	}

	t.Run("run-outbox", func(t *testing.T) {
		dir := t.TempDir()
		cfg := privacyFixture(t, dir, "")
		env := map[string]string{"COPSYNC_LOG_LEVEL": "debug"}
		code, out, stderr := runIn(t, dir, env, "run", "--config", cfg, "--date", date)
		if code != 0 {
			t.Fatalf("run: exit %d\n%s", code, stderr)
		}
		noLeak(t, "run's output and log", []byte(out+stderr))
		if n := len(outbox(t, dir)); n != 1 {
			t.Fatalf("%d messages in the outbox, want 1", n)
		}
		noTreeLeak(t, filepath.Join(dir, "outbox"))
		noTreeLeak(t, filepath.Join(dir, "state"))

		// A second run reads the state back and words the findings still
		// open from it; the dry run after it too.
		code, out, stderr = runIn(t, dir, env, "run", "--config", cfg, "--date", "2026-11-30")
		if code != 0 {
			t.Fatalf("second run: exit %d\n%s", code, stderr)
		}
		code, out2, stderr2 := runIn(t, dir, env, "run", "--config", cfg, "--date", "2026-12-01", "--dry-run")
		if code != 0 {
			t.Fatalf("dry run: exit %d\n%s", code, stderr2)
		}
		noLeak(t, "the later runs' output and log", []byte(out+stderr+out2+stderr2))
		noTreeLeak(t, filepath.Join(dir, "outbox"))
		noTreeLeak(t, filepath.Join(dir, "state"))

		code, out, stderr = runIn(t, dir, env, "preview-email", "--config", cfg, "--date", "2026-11-30")
		if code != 0 {
			t.Fatalf("preview-email: exit %d\n%s", code, stderr)
		}
		noLeak(t, "preview-email's output and log", []byte(out+stderr))
		if !strings.Contains(out, "without the members' sheet or any personal value") {
			t.Error("preview-email's footer does not say what the attachment holds")
		}

		code, out, stderr = runIn(t, dir, env, "sync", "--config", cfg, "--date", "2026-12-01")
		if code != 0 {
			t.Fatalf("sync: exit %d\n%s", code, stderr)
		}
		noLeak(t, "sync's output and log", []byte(out+stderr))
	})

	// A copy too large to attach: the e-mail names the full report on the
	// secretariat's disk, not the temporary copy.
	t.Run("copy-too-large", func(t *testing.T) {
		dir := t.TempDir()
		cfg := privacyFixture(t, dir, "\nnotify: {max_attachment: 1000}\n")
		code, _, stderr := runIn(t, dir, nil, "run", "--config", cfg, "--date", date)
		if code != 0 {
			t.Fatalf("run: exit %d\n%s", code, stderr)
		}
		text, workbooks := emailText(t, onlyMessage(t, dir))
		full := filepath.Join(dir, "out", "report-"+date+".xlsx")
		if len(workbooks) != 0 || !bytes.Contains(text, []byte(full)) || bytes.Contains(text, []byte("copsync-attachment-")) {
			t.Errorf("%d workbooks attached; the e-mail names %q: %v, a temporary copy: %v", len(workbooks), full,
				bytes.Contains(text, []byte(full)), bytes.Contains(text, []byte("copsync-attachment-")))
		}
		noLeak(t, "the e-mail", text)
	})

	// With notify.include_personal_data, the e-mail and its attachment may
	// show it; the state never holds it.
	t.Run("include-personal-data", func(t *testing.T) {
		dir := t.TempDir()
		cfg := privacyFixture(t, dir, "\nnotify: {include_personal_data: true}\n")
		code, _, stderr := runIn(t, dir, map[string]string{"COPSYNC_LOG_LEVEL": "debug"}, "run", "--config", cfg, "--date", date)
		if code != 0 {
			t.Fatalf("run: exit %d\n%s", code, stderr)
		}
		noLeak(t, "run's log", []byte(stderr))
		text, workbooks := emailText(t, onlyMessage(t, dir))
		if !bytes.Contains(text, []byte(`"Quaggleworth Personal Consulting" is not an allowed sponsor`)) {
			t.Error("include_personal_data: the e-mail does not show the value")
		}
		if len(workbooks) != 1 || !bytes.Contains(unzipAll(t, workbooks[0]), []byte(`name="Members - Membres"`)) {
			t.Error("include_personal_data: the attachment is not the full report")
		}
		if !bytes.Contains(text, []byte("The attached report is the full report: the members' sheet and every value")) {
			t.Error("include_personal_data: the footer does not say the attachment is the full report")
		}
		noTreeLeak(t, filepath.Join(dir, "state"))
	})
}
