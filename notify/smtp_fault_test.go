package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// faultServer is an in-process SMTP server that answers each RCPT from a
// function, can drop the connection at chosen points, and records which
// recipients each accepted message went to.
type faultServer struct {
	port int
	// rcpt answers RCPT TO for a recipient on its n-th try (from 1).
	rcpt func(to string, try int) error
	// drop is where the connection is cut: "quit" (QUIT is read, never
	// answered) or "accepted" (right after the 250 that accepts the
	// message).
	drop string

	mu        gosync.Mutex
	tries     map[string]int
	delivered map[string]int // recipient → messages accepted for them
	ids       []string       // the Message-ID of each message accepted
	sessions  int
}

func startFaultServer(t *testing.T, drop string, rcpt func(to string, try int) error) *faultServer {
	t.Helper()
	fs := &faultServer{rcpt: rcpt, drop: drop, tries: map[string]int{}, delivered: map[string]int{}}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		fs.mu.Lock()
		fs.sessions++
		fs.mu.Unlock()
		return &faultSession{fs: fs}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.Serve(&dropListener{Listener: l, drop: drop}) }()
	t.Cleanup(func() { _ = s.Close() })
	return fs
}

func (fs *faultServer) counts() (map[string]int, []string, int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	m := map[string]int{}
	for k, v := range fs.delivered {
		m[k] = v
	}
	return m, append([]string(nil), fs.ids...), fs.sessions
}

type faultSession struct {
	fs    *faultServer
	rcpts []string
}

func (s *faultSession) Mail(string, *smtp.MailOptions) error { s.rcpts = nil; return nil }

func (s *faultSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.fs.mu.Lock()
	s.fs.tries[to]++
	n := s.fs.tries[to]
	s.fs.mu.Unlock()
	if s.fs.rcpt != nil {
		if err := s.fs.rcpt(to, n); err != nil {
			return err
		}
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *faultSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return err
	}
	s.fs.mu.Lock()
	defer s.fs.mu.Unlock()
	for _, to := range s.rcpts {
		s.fs.delivered[to]++
	}
	s.fs.ids = append(s.fs.ids, m.Header.Get("Message-Id"))
	return nil
}

func (s *faultSession) Reset()        { s.rcpts = nil }
func (s *faultSession) Logout() error { return nil }

// dropListener cuts its connections where the server's drop says.
type dropListener struct {
	net.Listener
	drop string
}

func (l *dropListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &dropConn{Conn: c, drop: l.drop}, nil
}

// dropConn watches what the client sends: at QUIT it closes the
// connection unanswered ("quit"); after the end of the message it lets the
// server's reply out, then closes ("accepted").
type dropConn struct {
	net.Conn
	drop    string
	mu      gosync.Mutex
	seen    []byte
	dataEnd bool
}

func (c *dropConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, p[:n]...)
	if len(c.seen) > 8192 {
		c.seen = c.seen[len(c.seen)-16:]
	}
	if c.drop == "quit" && bytes.Contains(c.seen, []byte("QUIT\r\n")) {
		_ = c.Conn.Close()
		return 0, io.EOF
	}
	if c.drop == "accepted" && bytes.Contains(c.seen, []byte("\r\n.\r\n")) {
		c.dataEnd = true
	}
	return n, err
}

func (c *dropConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dataEnd && bytes.HasPrefix(p, []byte("250")) {
		_ = c.Conn.Close()
	}
	return n, err
}

var (
	errGreylisted = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}
	errMailbox    = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
)

func faultSender(t *testing.T, fs *faultServer) (*SMTPSender, *[]time.Duration) {
	t.Helper()
	return sender(t, SMTPConfig{Host: "127.0.0.1", Port: fs.port, TLS: TLSNone})
}

func TestSMTPFaults(t *testing.T) {
	const a, b = "secretariat@example.org", "cochairs@example.org"
	for _, tc := range []struct {
		name string
		drop string
		rcpt func(to string, try int) error
		// want: messages accepted per recipient; refused: the index of
		// each refused recipient in notify.to.
		want     map[string]int
		refused  []int
		sessions int
		waits    int
	}{
		{name: "dropped at QUIT", drop: "quit", want: map[string]int{a: 1, b: 1}, sessions: 1},
		{name: "dropped right after accepting", drop: "accepted", want: map[string]int{a: 1, b: 1}, sessions: 1},
		{name: "one recipient refused", rcpt: func(to string, _ int) error {
			if to == b {
				return errMailbox
			}
			return nil
		}, want: map[string]int{a: 1}, refused: []int{1}, sessions: 1},
		{name: "greylisted, then accepted", rcpt: func(_ string, try int) error {
			if try == 1 {
				return errGreylisted
			}
			return nil
		}, want: map[string]int{a: 1, b: 1}, sessions: 2, waits: 1},
		{name: "one recipient greylisted", rcpt: func(to string, try int) error {
			if to == b && try == 1 {
				return errGreylisted
			}
			return nil
		}, want: map[string]int{a: 1, b: 1}, sessions: 2, waits: 1},
		{name: "greylisted and dropped at QUIT", drop: "quit", rcpt: func(_ string, try int) error {
			if try == 1 {
				return errGreylisted
			}
			return nil
		}, want: map[string]int{a: 1, b: 1}, sessions: 2, waits: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := startFaultServer(t, tc.drop, tc.rcpt)
			s, waits := faultSender(t, fs)
			var logs bytes.Buffer
			s.log = slog.New(slog.NewTextHandler(&logs, nil))
			e := testEmail(t)
			d, err := s.Send(context.Background(), e)
			if tc.drop != "" && !strings.Contains(logs.String(), "did not close the session cleanly") {
				t.Errorf("the connection was not cut at %s: %s", tc.drop, logs.String())
			}
			got, ids, sessions := fs.counts()
			if len(got) != len(tc.want) {
				t.Errorf("messages per recipient %v, want %v", got, tc.want)
			}
			for to, n := range tc.want {
				if got[to] != n {
					t.Errorf("%s received %d messages, want %d", to, got[to], n)
				}
			}
			if sessions != tc.sessions || len(*waits) != tc.waits {
				t.Errorf("%d sessions and %d waits, want %d and %d", sessions, len(*waits), tc.sessions, tc.waits)
			}
			for _, id := range ids {
				if id != ids[0] {
					t.Errorf("the retries sent different Message-IDs: %v", ids)
				}
			}
			var refused []int
			for _, r := range d.Refused {
				refused = append(refused, r.Index)
			}
			if len(refused) != len(tc.refused) || (len(refused) > 0 && refused[0] != tc.refused[0]) {
				t.Errorf("refused %v, want %v", refused, tc.refused)
			}
			if len(tc.refused) == 0 {
				if err != nil {
					t.Fatalf("delivered to everyone, yet: %v", err)
				}
				if len(d.Accepted) != 2 {
					t.Errorf("accepted %v, want both recipients", d.Accepted)
				}
				return
			}
			var se *SMTPError
			if !errors.As(err, &se) || !errors.Is(err, ErrUndelivered) {
				t.Fatalf("error %v, want an *SMTPError", err)
			}
			if se.Delivered != 1 || se.Recipients != 2 || !se.Permanent || se.Code != 550 {
				t.Errorf("delivered %d of %d, permanent %v, code %d; want 1 of 2, a permanent 550", se.Delivered, se.Recipients, se.Permanent, se.Code)
			}
			for _, want := range []string{"delivered to 1 of 2 recipients", "550", "mailbox unavailable"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if d.Refused[0].Reply == "" || !d.Refused[0].Permanent {
				t.Errorf("refusal %+v lacks the server's reply", d.Refused[0])
			}
		})
	}
}

// TestSMTPRetriesWithinDeadline: with less time left before the context's
// deadline than the next wait, Send stops at once and says so, rather than
// sleeping past the deadline.
func TestSMTPRetriesWithinDeadline(t *testing.T) {
	fs := startFaultServer(t, "", func(string, int) error { return errGreylisted })
	s, waits := faultSender(t, fs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := s.Send(ctx, testEmail(t))
	var se *SMTPError
	if !errors.As(err, &se) || se.Permanent || se.Attempts != 1 || len(*waits) != 0 {
		t.Fatalf("error %v after %d waits; want one transient failure and no wait past the deadline", err, len(*waits))
	}
	if len(d.Refused) != 2 || d.Refused[0].Code != 451 {
		t.Errorf("refused %+v, want both recipients with the 451", d.Refused)
	}
}

// TestSMTPHungServerWithinDeadline: a server that accepts the connection
// and never answers holds Send no longer than its context's deadline, not
// the 30 s of each attempt times five.
func TestSMTPHungServerWithinDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // never a word
		}
	}()
	for _, mode := range []string{TLSNone, TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			s, err := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: mode}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			d, err := s.Send(ctx, testEmail(t))
			took := time.Since(start)
			if err == nil || len(d.Refused) != 2 || len(d.Accepted) != 0 {
				t.Fatalf("delivery %+v, error %v; want both recipients without the message", d, err)
			}
			// The deadline is 2 s; the bound is generous for a loaded machine.
			if took > 10*time.Second {
				t.Errorf("Send took %s past its 2 s deadline", took)
			}
		})
	}
}
