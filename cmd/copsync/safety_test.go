package main

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// acceptingServer is an SMTP server on 127.0.0.1 that requires AUTH PLAIN
// with user and password, and records the messages it accepts.
type acceptingServer struct {
	port     int
	user, pw string
	mu       gosync.Mutex
	messages [][]byte
	logins   int
}

func startAccepting(t *testing.T, user, pw string) *acceptingServer {
	t.Helper()
	as := &acceptingServer{user: user, pw: pw}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &acceptSession{as: as}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true // loopback only, as tls: none requires
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	as.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return as
}

type acceptSession struct {
	as     *acceptingServer
	authed bool
}

func (s *acceptSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *acceptSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pw string) error {
		if user != s.as.user || pw != s.as.pw {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.authed = true
		s.as.mu.Lock()
		s.as.logins++
		s.as.mu.Unlock()
		return nil
	}), nil
}
func (s *acceptSession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "auth required"}
	}
	return nil
}
func (s *acceptSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *acceptSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.as.mu.Lock()
	s.as.messages = append(s.as.messages, b)
	s.as.mu.Unlock()
	return err
}
func (s *acceptSession) Reset()        {}
func (s *acceptSession) Logout() error { return nil }

// TestSecretsNeverLeak runs the whole job with the SMTP password from a file
// and from the environment, at debug level, then looks for the password in
// everything the run left: its output, its logs, the e-mail received, the
// outbox, the state and the report. It also checks that a wrong password is
// reported without the password.
func TestSecretsNeverLeak(t *testing.T) {
	const secret = "pw-Zq8-never-print-me"
	root := repoRoot(t)
	for _, via := range []string{"file", "env"} {
		t.Run(via, func(t *testing.T) {
			dir := t.TempDir()
			srv := startAccepting(t, "copsync", secret)
			env := runEnv(dir)
			env["COPSYNC_LOG_LEVEL"] = "debug"
			env["COPSYNC_NOTIFY_SMTP_HOST"] = "127.0.0.1"
			env["COPSYNC_NOTIFY_SMTP_PORT"] = strconv.Itoa(srv.port)
			env["COPSYNC_NOTIFY_SMTP_TLS"] = "none"
			env["COPSYNC_NOTIFY_SMTP_USERNAME"] = "copsync"
			env["COPSYNC_NOTIFY_FROM"] = "copsync@example.org"
			env["COPSYNC_NOTIFY_TO"] = "secretariat@example.org"
			if via == "file" {
				pf := filepath.Join(dir, "smtp-password")
				if err := os.WriteFile(pf, []byte(secret+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				env["COPSYNC_NOTIFY_SMTP_PASSWORD_FILE"] = pf
			} else {
				env["COPSYNC_NOTIFY_SMTP_PASSWORD"] = secret
			}
			var captured bytes.Buffer
			for _, args := range [][]string{
				{"run", "--date", "2026-11-29"},
				{"check-config"},
				{"preview-email"},
				{"validate", "--format", "json"},
			} {
				code, out, stderr := runIn(t, root, env, args...)
				if code != 0 {
					t.Fatalf("%v: exit %d\n%s", args, code, stderr)
				}
				captured.WriteString(out + stderr)
			}
			if srv.logins != 1 || len(srv.messages) != 1 {
				t.Fatalf("the server saw %d logins and %d messages, want 1 and 1", srv.logins, len(srv.messages))
			}
			for _, m := range srv.messages {
				captured.Write(m)
			}
			// A wrong password: the refusal is reported, the password is not.
			env2 := map[string]string{}
			for k, v := range env {
				env2[k] = v
			}
			env2["COPSYNC_NOTIFY_SMTP_PASSWORD"] = secret + "-wrong"
			code, out, stderr := runIn(t, root, env2, "run", "--date", "2026-11-30")
			if code != exitDelivery {
				t.Errorf("wrong password: exit %d, want %d\n%s", code, exitDelivery, stderr)
			}
			captured.WriteString(out + stderr)
			if !strings.Contains(captured.String(), "level=DEBUG") {
				t.Fatal("the logs were not captured at debug level")
			}
			if i := strings.Index(captured.String(), secret); i >= 0 {
				t.Errorf("the password shows in the output: …%s…", captured.String()[max(0, i-200):i+len(secret)])
			}
			err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || filepath.Base(p) == "smtp-password" {
					return err
				}
				data, err := os.ReadFile(p)
				if err == nil && bytes.Contains(data, []byte(secret)) {
					t.Errorf("the password is written in %s", p)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCommandsLeaveSourcesUntouched runs every command over copies of the
// examples and checks that the files are byte-identical and unmodified
// afterwards.
func TestCommandsLeaveSourcesUntouched(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	src := filepath.Join(dir, "sources")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	type stamp struct {
		sum  [32]byte
		mod  time.Time
		mode os.FileMode
	}
	before := map[string]stamp{}
	for _, name := range []string{"members.xlsx", "issues.xlsx", "activities.xlsx"} {
		data, err := os.ReadFile(filepath.Join(root, "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Date(2022, 9, 15, 0, 0, 0, 0, time.UTC)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		before[p] = stamp{sha256.Sum256(data), st.ModTime(), st.Mode()}
	}
	env := runEnv(dir)
	env["COPSYNC_SOURCES_MEMBERS_PATH"] = filepath.Join(src, "members.xlsx")
	env["COPSYNC_SOURCES_ISSUES_PATH"] = filepath.Join(src, "issues.xlsx")
	env["COPSYNC_SOURCES_ACTIVITIES_PATH"] = filepath.Join(src, "activities.xlsx")
	for _, args := range [][]string{
		{"validate"},
		{"validate", "--format", "json"},
		{"report"},
		{"sync"},
		{"validate", "--from-snapshot", "2026-11-29"},
		{"report", "--from-snapshot", "2026-11-29"},
		{"preview-email"},
		{"run", "--dry-run"},
		{"run"},
		{"check-config"},
	} {
		args = append(args, "--date", "2026-11-29")
		if args[1] == "--from-snapshot" {
			args = args[:len(args)-2]
		}
		code, _, stderr := runIn(t, root, env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
		for p, b := range before {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			st, _ := os.Stat(p)
			if sha256.Sum256(data) != b.sum || !st.ModTime().Equal(b.mod) || st.Mode() != b.mode {
				t.Errorf("%v changed %s", args, p)
			}
		}
	}
	// The snapshot folder holds copies, not the sources.
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "2026-11-29", "members.xlsx")); err != nil {
		t.Errorf("no snapshot: %v", err)
	}
}
