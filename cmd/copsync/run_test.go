package main

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"

	"github.com/emersion/go-smtp"

	"copsync/notify"
)

// runEnv returns the environment of a run on the examples whose files all
// go under dir.
func runEnv(dir string) map[string]string {
	return map[string]string{
		"COPSYNC_STATE_DIR":         filepath.Join(dir, "state"),
		"COPSYNC_NOTIFY_OUTBOX":     filepath.Join(dir, "outbox"),
		"COPSYNC_REPORT_PATH":       filepath.Join(dir, "out", "report-{date}.xlsx"),
		"COPSYNC_SYNC_SNAPSHOT_DIR": filepath.Join(dir, "snapshots"),
	}
}

// outbox returns the messages in the outbox, parsed, oldest first.
func outbox(t *testing.T, dir string) []*mail.Message {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	var msgs []*mail.Message
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// textPart returns the decoded text/plain part of m.
func textPart(t *testing.T, m *mail.Message) string {
	t.Helper()
	var walk func(ct string, r io.Reader) string
	walk = func(ct string, r io.Reader) string {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatal(err)
		}
		if mt == "text/plain" {
			b, _ := io.ReadAll(r)
			return string(b)
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return ""
		}
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable
			if err != nil {
				return ""
			}
			if s := walk(p.Header.Get("Content-Type"), p); s != "" {
				return s
			}
		}
	}
	return walk(m.Header.Get("Content-Type"), m.Body)
}

func subject(t *testing.T, m *mail.Message) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRunTwiceOutbox is the fresh-clone case: no mail server, so each run
// writes a .eml into the outbox; the second run says nothing changed.
func TestRunTwiceOutbox(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	env := runEnv(dir)
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29")
	if code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	for _, stage := range []string{`msg="run started"`, `msg="sources validated"`, `msg="compared with the last run"`, `msg="e-mail written to the outbox"`, `msg="run finished"`} {
		if !strings.Contains(stderr, stage) {
			t.Errorf("the log lacks %s", stage)
		}
	}
	msgs := outbox(t, dir)
	if len(msgs) != 1 {
		t.Fatalf("%d messages in the outbox, want 1", len(msgs))
	}
	s := subject(t, msgs[0])
	for _, want := range []string{"[copsync]", "4 provinces/territories unrepresented, 1 incomplete issue — first run"} {
		if !strings.Contains(s, want) {
			t.Errorf("first subject %q lacks %q", s, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "state", notify.StateFile)); err != nil {
		t.Errorf("no state after the first run: %v", err)
	}

	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-11-30")
	if code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	msgs = outbox(t, dir)
	if len(msgs) != 2 {
		t.Fatalf("%d messages in the outbox, want 2", len(msgs))
	}
	s = subject(t, msgs[1])
	body := textPart(t, msgs[1]) // the body can be read once
	if !strings.Contains(s, "— no change") || !strings.Contains(body, "— aucun changement") {
		t.Errorf("second subject %q does not say nothing changed", s)
	}
	if !strings.Contains(body, "The oldest has been open for 1 night.") {
		t.Errorf("the second message does not say the findings have been open 1 night:\n%s", body)
	}
}

func TestRunLocked(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	store, err := notify.OpenStore(filepath.Join(dir, "state"))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := store.Lock()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	code, _, stderr := runIn(t, root, runEnv(dir), "run")
	if code != exitLocked {
		t.Errorf("exit %d, want %d", code, exitLocked)
	}
	if !strings.Contains(stderr, "another copsync run is under way") || !strings.Contains(stderr, notify.LockFile) {
		t.Errorf("stderr %q does not explain the lock", stderr)
	}
	if len(outbox(t, dir)) != 0 {
		t.Error("the locked run wrote an e-mail")
	}
}

// TestRunSourceUnreadable: the e-mail still goes out, saying which source
// could not be read; the run exits 3 and keeps the last state.
func TestRunSourceUnreadable(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	env := runEnv(dir)
	env["COPSYNC_SOURCES_MEMBERS_PATH"] = filepath.Join(dir, "gone.xlsx")
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29")
	if code != exitSource {
		t.Fatalf("exit %d, want %d\n%s", code, exitSource, stderr)
	}
	msgs := outbox(t, dir)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1: the failure must be told", len(msgs))
	}
	s := subject(t, msgs[0])
	if !strings.Contains(s, "Membership source unreadable") {
		t.Errorf("subject %q does not say the source is unreadable", s)
	}
	if !strings.Contains(textPart(t, msgs[0]), "The membership source could not be read: the file gone.xlsx was not found") {
		t.Error("the message does not name the missing file")
	}
	if _, err := os.Stat(filepath.Join(dir, "state", notify.StateFile)); !os.IsNotExist(err) {
		t.Errorf("an incomplete run saved its state (%v)", err)
	}
}

// refusingServer is an SMTP server on 127.0.0.1 that refuses every
// recipient with 550.
func refusingServer(t *testing.T) (port int, tries *int) {
	t.Helper()
	var mu gosync.Mutex
	n := 0
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return refusing{mu: &mu, n: &n}, nil
	}))
	s.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return l.Addr().(*net.TCPAddr).Port, &n
}

type refusing struct {
	mu *gosync.Mutex
	n  *int
}

func (r refusing) Mail(string, *smtp.MailOptions) error {
	r.mu.Lock()
	*r.n++
	r.mu.Unlock()
	return nil
}
func (refusing) Rcpt(string, *smtp.RcptOptions) error {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unknown"}
}
func (refusing) Data(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
func (refusing) Reset()                 {}
func (refusing) Logout() error          { return nil }

// TestRunPermanentSMTPFailure: a 550 is not retried, its reply is reported
// and the run exits 4 keeping the last state; --dry-run with the same
// server sends nothing and writes the .eml.
func TestRunPermanentSMTPFailure(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	port, tries := refusingServer(t)
	env := runEnv(dir)
	env["COPSYNC_NOTIFY_SMTP_HOST"] = "127.0.0.1"
	env["COPSYNC_NOTIFY_SMTP_PORT"] = strconv.Itoa(port)
	env["COPSYNC_NOTIFY_SMTP_TLS"] = "none"
	env["COPSYNC_NOTIFY_FROM"] = "copsync@example.org"
	env["COPSYNC_NOTIFY_TO"] = "nobody@example.org"
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29")
	if code != exitDelivery {
		t.Fatalf("exit %d, want %d\n%s", code, exitDelivery, stderr)
	}
	if !strings.Contains(stderr, "550") || !strings.Contains(stderr, "Mailbox unknown") {
		t.Errorf("stderr lacks the server's reply:\n%s", stderr)
	}
	if *tries != 1 {
		t.Errorf("%d attempts, want 1 (a 550 is permanent)", *tries)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", notify.StateFile)); !os.IsNotExist(err) {
		t.Errorf("an undelivered run saved its state (%v)", err)
	}

	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-11-29", "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, stderr)
	}
	if *tries != 1 {
		t.Errorf("the dry run contacted the server")
	}
	if len(outbox(t, dir)) != 1 {
		t.Error("the dry run wrote no .eml")
	}
	if _, err := os.Stat(filepath.Join(dir, "state", notify.StateFile)); !os.IsNotExist(err) {
		t.Errorf("the dry run saved its state (%v)", err)
	}
}

func TestPreviewEmail(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	code, out, stderr := runIn(t, root, runEnv(dir), "preview-email", "--lang", "fr", "--date", "2026-11-29")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.HasPrefix(out, "Subject: [copsync] 4 provinces ou territoires non représentés… — première exécution\n") {
		t.Errorf("preview starts %q", out[:min(len(out), 200)])
	}
	for _, want := range []string{"----- email.default.text -----", "----- email.default.html -----", "<!DOCTYPE html>", "Constats par feuille"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(out, "nightly check") {
		t.Error("--lang fr printed English")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("preview-email wrote files: %v", entries)
	}
	if code, _, _ := runIn(t, root, nil, "preview-email", "--lang", "de"); code != exitUsage {
		t.Errorf("--lang de: exit %d, want %d", code, exitUsage)
	}
}

func TestScheduleConfigErrors(t *testing.T) {
	root := repoRoot(t)
	code, _, stderr := runIn(t, root, map[string]string{"COPSYNC_SCHEDULE_CRON": "0 25 * * *"}, "schedule")
	if code != exitUsage || !strings.Contains(stderr, "schedule") {
		t.Errorf("bad cron: exit %d, stderr %q", code, stderr)
	}
	code, _, _ = runIn(t, root, nil, "schedule", "--date", "2026-01-01")
	if code != exitUsage {
		t.Errorf("--date with schedule: exit %d, want %d", code, exitUsage)
	}
}

// TestScheduleStopsOnCancel starts copsync schedule with a context already
// cancelled, as after SIGTERM: it logs the next run time in the schedule's
// zone and exits 0 without running the job.
func TestScheduleStopsOnCancel(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	t.Chdir(root)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	env := runEnv(dir)
	code := run(ctx, []string{"schedule"}, func(k string) string { return env[k] }, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	log := errb.String()
	for _, want := range []string{`msg="scheduler started"`, `msg="next run"`, "T06:00:00-0", `schedule="0 6 * * * (America/Toronto)"`, `msg="scheduler stopped"`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, `msg="run started"`) || len(outbox(t, dir)) != 0 {
		t.Error("a run happened")
	}
}
