package notify

import (
	"bytes"
	"context"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLargeReportNotAttached sends, through an in-process SMTP server, the
// e-mail of a run whose report is larger than notify.max_attachment and of
// one whose report is not: the first carries no attachment and says, in
// each language, where the report was written; the second attaches it.
func TestLargeReportNotAttached(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 12_345_678, "12.3 MB"},
		{"fr", 12_345_678, "12,3\u00a0Mo"},
		{"en", 35_474, "35 kB"},
		{"fr", 35_474, "35\u00a0ko"},
	} {
		if got := megabytes(tt.lang, tt.n); got != tt.want {
			t.Errorf("megabytes(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	tests := []struct {
		name     string
		size     int
		attached bool
	}{
		{"over the limit", 2_345_678, false},
		{"at the limit", 1_500_000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, serverOptions{})
			s, _ := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, TLS: TLSNone})
			res := result(t, membersRows(), issuesRows())
			d, _ := Compare(nil, Run{Date: "2026-01-02", Summary: res.Summary, Findings: res.Findings})
			report := filepath.Join(t.TempDir(), "report-2026-01-02.xlsx")
			if err := os.WriteFile(report, bytes.Repeat([]byte{'x'}, tt.size), 0o600); err != nil {
				t.Fatal(err)
			}
			c := composer(t, Config{From: "copsync <copsync@example.org>", To: []string{"secretariat@example.org"}, MaxAttachment: 1_500_000})
			e, err := c.Compose(Input{Date: "2026-01-02", At: time.Date(2026, 1, 2, 11, 0, 0, 0, time.UTC), Result: res, Digest: d, ReportPath: report})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Send(context.Background(), e); err != nil {
				t.Fatal(err)
			}
			got := ts.received()
			if len(got) != 1 {
				t.Fatalf("the server received %d messages, want 1", len(got))
			}
			m, err := mail.ReadMessage(bytes.NewReader(got[0]))
			if err != nil {
				t.Fatal(err)
			}
			mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
			if err != nil {
				t.Fatal(err)
			}
			var text string
			switch {
			case tt.attached:
				if mt != "multipart/mixed" {
					t.Fatalf("top part %q, want multipart/mixed with the report", mt)
				}
				top := parts(t, m.Body, params["boundary"])
				if len(top) != 2 || !strings.Contains(top[1].header.Get("Content-Disposition"), "report-2026-01-02.xlsx") {
					t.Fatalf("%d parts, want the text and the report", len(top))
				}
				return
			case mt != "multipart/alternative":
				t.Fatalf("top part %q, want multipart/alternative and no attachment", mt)
			default:
				alt := parts(t, m.Body, params["boundary"])
				text = string(alt[0].decoded(t))
			}
			text = strings.ReplaceAll(text, "\r\n", "\n")
			unfolded := strings.Join(strings.Fields(text), " ")
			for _, want := range []string{
				"The report workbook (2.3 MB) is larger than the 1.5 MB an e-mail may carry, so it is not attached: it was written to " + report + ".",
				"Le classeur du rapport (2,3\u00a0Mo) dépasse les 1,5\u00a0Mo qu’un courriel peut transporter\u00a0: il n’est donc pas joint. Il a été enregistré dans " + report + ".",
			} {
				if !strings.Contains(unfolded, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("the text part lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "The report workbook is attached") {
				t.Error("the text says the report is attached")
			}
		})
	}
}

// TestWithLoggerLogsToItsOwnLogger composes, through a copy made by
// WithLogger, the e-mail of a run whose report is too large to attach: the
// copy's logger says so, and the composer it was copied from still logs
// nowhere.
func TestWithLoggerLogsToItsOwnLogger(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report-2026-01-02.xlsx")
	if err := os.WriteFile(report, bytes.Repeat([]byte{'x'}, 2_000), 0o600); err != nil {
		t.Fatal(err)
	}
	res := result(t, membersRows(), issuesRows())
	d, _ := Compare(nil, Run{Date: "2026-01-02", Summary: res.Summary, Findings: res.Findings})
	in := Input{Date: "2026-01-02", At: time.Date(2026, 1, 2, 11, 0, 0, 0, time.UTC), Result: res, Digest: d, ReportPath: report}
	c := composer(t, Config{From: "copsync <copsync@example.org>", To: []string{"secretariat@example.org"}, MaxAttachment: 1_000})
	var logged bytes.Buffer
	copied := c.WithLogger(slog.New(slog.NewTextHandler(&logged, nil)))
	if _, err := copied.Compose(in); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "not attached") {
		t.Errorf("the copy's logger got %q, want the report not attached", logged.String())
	}
	logged.Reset()
	if _, err := c.Compose(in); err != nil {
		t.Fatal(err)
	}
	if logged.Len() != 0 {
		t.Errorf("the original composer logged to the copy's logger: %q", logged.String())
	}
}
