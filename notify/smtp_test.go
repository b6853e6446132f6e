package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
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

// selfSigned returns a certificate for 127.0.0.1 and localhost, made for
// the test, and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "copsync test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// testServer is an in-process SMTP server on 127.0.0.1 that records what
// it receives and answers RCPT from a script.
type testServer struct {
	port int
	pool *x509.CertPool

	mu       gosync.Mutex
	script   []error // the answer to the RCPTs of each transaction in turn; nil accepts
	tries    int
	users    []string
	messages [][]byte
}

type serverOptions struct {
	starttls    bool // offer STARTTLS
	implicit    bool // speak TLS from the start
	requireAuth bool
	script      []error
}

func startServer(t *testing.T, o serverOptions) *testServer {
	t.Helper()
	ts := &testServer{script: o.script}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{ts: ts, requireAuth: o.requireAuth}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	var cert tls.Certificate
	if o.starttls || o.implicit {
		cert, ts.pool = selfSigned(t)
	}
	if o.starttls {
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.port = l.Addr().(*net.TCPAddr).Port
	if o.implicit {
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}})
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return ts
}

func (ts *testServer) received() [][]byte {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([][]byte(nil), ts.messages...)
}

type testSession struct {
	ts          *testServer
	requireAuth bool
	user        string
	answer      error
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "copsync" || password != "s3cret" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.user = username
		s.ts.mu.Lock()
		s.ts.users = append(s.ts.users, username)
		s.ts.mu.Unlock()
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.requireAuth && s.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	s.answer = nil
	if s.ts.tries < len(s.ts.script) {
		s.answer = s.ts.script[s.ts.tries]
	}
	s.ts.tries++
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error { return s.answer }

func (s *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	s.ts.messages = append(s.ts.messages, b)
	s.ts.mu.Unlock()
	return nil
}

func (s *testSession) Reset()        {}
func (s *testSession) Logout() error { return nil }

var (
	errTempFail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	errNoSuch   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}
)

// sender returns an SMTPSender to ts whose waits are recorded, not slept.
func sender(t *testing.T, cfg SMTPConfig) (*SMTPSender, *[]time.Duration) {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	s, err := NewSMTPSender(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	s.Sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return s, &waits
}

// testEmail composes the run's e-mail over the fixture, with a report
// workbook attached.
func testEmail(t *testing.T) *Email {
	t.Helper()
	res := result(t, membersRows(), issuesRows())
	d, _ := Compare(nil, Run{Date: "2026-01-02", Summary: res.Summary, Findings: res.Findings})
	report := filepath.Join(t.TempDir(), "report-2026-01-02.xlsx")
	data := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0, 1, 2, 0xff, 'x'}, 400)...)
	if err := os.WriteFile(report, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c := composer(t, Config{From: "copsync <copsync@example.org>", To: []string{"secretariat@example.org", "cochairs@example.org"}, Subject: "[copsync]"})
	e, err := c.Compose(Input{Date: "2026-01-02", At: time.Date(2026, 1, 2, 11, 0, 0, 0, time.UTC), Result: res, Digest: d, ReportPath: report})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSMTPStartTLSAuthMultipart(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true, requireAuth: true})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, TLS: TLSStartTLS, Username: "copsync", Password: "s3cret", RootCAs: ts.pool})
	e := testEmail(t)
	d, err := s.Send(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if d.Via != "smtp" || d.Attempts != 1 || d.Where != "127.0.0.1:"+strconv.Itoa(ts.port) || len(*waits) != 0 {
		t.Errorf("delivery %+v, waits %v", d, *waits)
	}
	got := ts.received()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
	if len(ts.users) != 1 || ts.users[0] != "copsync" {
		t.Errorf("authenticated users %v", ts.users)
	}
	checkMessage(t, got[0], e)
}

// checkMessage parses raw back with net/mail and mime/multipart and checks
// it against e: the headers, multipart/mixed holding multipart/alternative
// (text/plain then text/html) and the workbook, both languages, and no
// personal data.
func checkMessage(t *testing.T, raw []byte, e *Email) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != e.Subject {
		t.Errorf("subject %q, want %q", subject, e.Subject)
	}
	// The subject is in the first language, short enough for an inbox
	// list; its "…" and "—" still need encoding.
	for _, want := range []string{"provinces/territories unrepresented", "—"} {
		if !strings.Contains(subject, want) {
			t.Errorf("subject lacks %q", want)
		}
	}
	if to, _ := m.Header.AddressList("To"); len(to) != 2 || to[0].Address != "secretariat@example.org" {
		t.Errorf("To: %v", to)
	}
	if from, _ := m.Header.AddressList("From"); len(from) != 1 || from[0].Address != "copsync@example.org" {
		t.Errorf("From: %v", from)
	}
	if m.Header.Get("Message-Id") == "" || m.Header.Get("Date") == "" {
		t.Error("no Message-ID or Date")
	}

	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("top part %q (%v), want multipart/mixed", mt, err)
	}
	top := parts(t, m.Body, params["boundary"])
	if len(top) != 2 {
		t.Fatalf("multipart/mixed has %d parts, want 2", len(top))
	}
	altType, altParams, _ := mime.ParseMediaType(top[0].header.Get("Content-Type"))
	if altType != "multipart/alternative" {
		t.Fatalf("first part %q, want multipart/alternative", altType)
	}
	alt := parts(t, bytes.NewReader(top[0].body), altParams["boundary"])
	if len(alt) != 2 {
		t.Fatalf("multipart/alternative has %d parts, want 2", len(alt))
	}
	for i, want := range []string{"text/plain", "text/html"} {
		ct, p, _ := mime.ParseMediaType(alt[i].header.Get("Content-Type"))
		if ct != want || !strings.EqualFold(p["charset"], "utf-8") {
			t.Errorf("alternative %d: %q charset %q, want %s in UTF-8", i, ct, p["charset"], want)
		}
	}
	text, html := string(alt[0].decoded(t)), string(alt[1].decoded(t))
	if crlf := strings.ReplaceAll(text, "\r\n", "\n"); crlf != e.Text {
		t.Errorf("the text part differs from the rendered text:\n%q\n%q", firstDiff(crlf, e.Text), firstDiff(e.Text, crlf))
	}
	if crlf := strings.ReplaceAll(html, "\r\n", "\n"); crlf != e.HTML {
		t.Errorf("the HTML part differs from the rendered HTML:\n%q\n%q", firstDiff(crlf, e.HTML), firstDiff(e.HTML, crlf))
	}
	for _, want := range []string{"nightly check", "vérification de la nuit", "findings by sheet", "constats par feuille", "member.email-invalid", "B3"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) || !strings.Contains(strings.ToLower(unescape(html)), strings.ToLower(want)) {
			t.Errorf("text or HTML lacks %q", want)
		}
	}

	att := top[1]
	ct, _, _ := mime.ParseMediaType(att.header.Get("Content-Type"))
	if ct != XLSXType {
		t.Errorf("attachment type %q, want %s", ct, XLSXType)
	}
	disp, dp, _ := mime.ParseMediaType(att.header.Get("Content-Disposition"))
	if disp != "attachment" || dp["filename"] != "report-2026-01-02.xlsx" {
		t.Errorf("attachment disposition %q %v", disp, dp)
	}
	if !bytes.Equal(att.decoded(t), e.Attachments[0].Data) {
		t.Error("the attachment's bytes differ from the report's")
	}

	for _, secret := range []string{badEmail, memberName, "alex.martin"} {
		if bytes.Contains(raw, []byte(secret)) || strings.Contains(text, secret) || strings.Contains(html, secret) {
			t.Errorf("the message holds personal data %q", secret)
		}
	}
}

// firstDiff returns a from where it starts to differ from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[i:min(len(a), i+80)]
}

type part struct {
	header mail.Header
	body   []byte
}

// decoded returns the body decoded from its transfer encoding.
func (p part) decoded(t *testing.T) []byte {
	t.Helper()
	switch strings.ToLower(p.header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(p.body)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "base64":
		b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(p.body)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return p.body
}

func parts(t *testing.T, r io.Reader, boundary string) []part {
	t.Helper()
	mr := multipart.NewReader(r, boundary)
	var out []part
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, part{header: mail.Header(p.Header), body: b})
	}
}

func TestSMTPRetriesTransientThenSucceeds(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true, script: []error{errTempFail, errTempFail}})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, RootCAs: ts.pool})
	d, err := s.Send(context.Background(), testEmail(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.Attempts != 3 {
		t.Errorf("%d attempts, want 3", d.Attempts)
	}
	if len(*waits) != 2 || (*waits)[0] != 30*time.Second || (*waits)[1] != time.Minute {
		t.Errorf("waits %v, want [30s 1m0s]", *waits)
	}
	if n := len(ts.received()); n != 1 {
		t.Errorf("the server received %d messages, want 1", n)
	}
}

func TestSMTPPermanentNotRetried(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true, script: []error{errNoSuch}})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, RootCAs: ts.pool})
	_, err := s.Send(context.Background(), testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) {
		t.Fatalf("error %v, want an *SMTPError", err)
	}
	if !se.Permanent || se.Code != 550 || se.Attempts != 1 || len(*waits) != 0 {
		t.Errorf("permanent=%v code=%d attempts=%d waits=%v; want a permanent 550 after one attempt", se.Permanent, se.Code, se.Attempts, *waits)
	}
	if !errors.Is(err, ErrUndelivered) {
		t.Error("the error does not wrap ErrUndelivered")
	}
	for _, want := range []string{"550", "No such mailbox here", "failed permanently"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks the server's reply %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans lines: %q", err)
	}
	if n := len(ts.received()); n != 0 {
		t.Errorf("the server received %d messages", n)
	}
}

func TestSMTPGivesUpAfterFiveAttempts(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true, script: []error{errTempFail, errTempFail, errTempFail, errTempFail, errTempFail, errTempFail}})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, RootCAs: ts.pool})
	_, err := s.Send(context.Background(), testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) || se.Permanent || se.Attempts != DefaultAttempts || se.Code != 451 {
		t.Fatalf("error %v, want a transient 451 after %d attempts", err, DefaultAttempts)
	}
	if len(*waits) != DefaultAttempts-1 {
		t.Errorf("%d waits, want %d", len(*waits), DefaultAttempts-1)
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.tries != DefaultAttempts {
		t.Errorf("the server saw %d transactions, want %d", ts.tries, DefaultAttempts)
	}
}

func TestSMTPConnectionRefusedRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: port})
	s.Attempts = 3
	_, err = s.Send(context.Background(), testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) || se.Permanent || se.Attempts != 3 {
		t.Fatalf("error %v, want a transient failure after 3 attempts", err)
	}
	if len(*waits) != 2 {
		t.Errorf("waits %v, want 2", *waits)
	}
}

func TestSMTPUntrustedCertificateNotRetried(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port}) // system roots
	_, err := s.Send(context.Background(), testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) || !se.Permanent || se.Attempts != 1 || len(*waits) != 0 {
		t.Fatalf("error %v, waits %v; want a permanent failure at once", err, *waits)
	}
	if n := len(ts.received()); n != 0 {
		t.Errorf("the server received %d messages", n)
	}
}

func TestSMTPStartTLSMandatory(t *testing.T) {
	ts := startServer(t, serverOptions{}) // offers no STARTTLS
	s, _ := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, TLS: TLSStartTLS})
	_, err := s.Send(context.Background(), testEmail(t))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("error %v, want one about STARTTLS", err)
	}
	if n := len(ts.received()); n != 0 {
		t.Errorf("a message went in clear: %d received", n)
	}
}

func TestSMTPNoneOnLoopbackAndImplicitTLS(t *testing.T) {
	plain := startServer(t, serverOptions{})
	s, _ := sender(t, SMTPConfig{Host: "127.0.0.1", Port: plain.port, TLS: TLSNone})
	if _, err := s.Send(context.Background(), testEmail(t)); err != nil {
		t.Fatalf("tls none: %v", err)
	}
	if n := len(plain.received()); n != 1 {
		t.Errorf("tls none: %d received", n)
	}

	implicit := startServer(t, serverOptions{implicit: true, requireAuth: true})
	s, _ = sender(t, SMTPConfig{Host: "127.0.0.1", Port: implicit.port, TLS: TLSImplicit, RootCAs: implicit.pool, Username: "copsync", Password: "s3cret"})
	if _, err := s.Send(context.Background(), testEmail(t)); err != nil {
		t.Fatalf("implicit tls: %v", err)
	}
	if n := len(implicit.received()); n != 1 {
		t.Errorf("implicit tls: %d received", n)
	}
}

func TestSMTPWrongPasswordNotRetried(t *testing.T) {
	ts := startServer(t, serverOptions{starttls: true, requireAuth: true})
	s, waits := sender(t, SMTPConfig{Host: "127.0.0.1", Port: ts.port, RootCAs: ts.pool, Username: "copsync", Password: "wrong"})
	_, err := s.Send(context.Background(), testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) || !se.Permanent || se.Code != 535 || len(*waits) != 0 {
		t.Fatalf("error %v, want a permanent 535 at once", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the password: %q", err)
	}
}

func TestNewSMTPSenderRefusesClearToRemote(t *testing.T) {
	if _, err := NewSMTPSender(SMTPConfig{Host: "smtp.example.org", TLS: TLSNone}, nil); err == nil {
		t.Error("tls none to a remote host was accepted")
	}
	if _, err := NewSMTPSender(SMTPConfig{}, nil); err == nil {
		t.Error("an empty host was accepted")
	}
}

func TestDefaultBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := defaultBackoff(i + 1); got != w {
			t.Errorf("after attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if got := defaultBackoff(70); got != 4*time.Minute {
		t.Errorf("after attempt 70: %v", got)
	}
}

func TestOutboxWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "outbox")
	o := NewOutbox(dir, nil)
	var _ Sender = o
	e := testEmail(t)
	d, err := o.Send(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if d.Via != "outbox" || filepath.Dir(d.Where) != dir || !strings.HasSuffix(d.Where, ".eml") ||
		!strings.HasPrefix(filepath.Base(d.Where), "20260102T110000.000000Z-") {
		t.Errorf("delivery %+v", d)
	}
	raw, err := os.ReadFile(d.Where)
	if err != nil {
		t.Fatal(err)
	}
	checkMessage(t, raw, e)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the outbox, want 1", len(entries))
	}
	// A second message gets its own file.
	d2, err := o.Send(context.Background(), e)
	if err != nil || d2.Where == d.Where {
		t.Errorf("second message: %v, %s", err, d2.Where)
	}
}
