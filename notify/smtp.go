package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wneessen/go-mail"
)

// DefaultAttempts is how many times SMTPSender tries a transient failure.
const DefaultAttempts = 5

// SMTPSender delivers e-mails to a mail server with go-mail. Transient
// failures (a 4xx reply, a connection that fails or drops) are retried with
// exponential backoff; permanent ones (a 5xx reply, a certificate that does
// not verify) are not.
type SMTPSender struct {
	cfg SMTPConfig
	log *slog.Logger

	// Attempts bounds the attempts; 0 means DefaultAttempts.
	Attempts int
	// Backoff returns the wait after the n-th failed attempt; nil means
	// 30 s, 1 min, 2 min, 4 min.
	Backoff func(n int) time.Duration
	// Sleep waits d or until ctx is done; nil means a timer. Tests replace
	// it so that retries take no time.
	Sleep func(ctx context.Context, d time.Duration) error
}

var _ Sender = (*SMTPSender)(nil)

// NewSMTPSender returns a sender to the server of cfg.
func NewSMTPSender(cfg SMTPConfig, log *slog.Logger) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("notify.smtp.host is empty")
	}
	if cfg.TLS == TLSNone && !IsLoopback(cfg.Host) {
		return nil, fmt.Errorf("notify.smtp.tls: none is allowed only for localhost, not %q", cfg.Host)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SMTPSender{cfg: cfg, log: log}, nil
}

// SMTPError is an e-mail the server did not take.
type SMTPError struct {
	// Server is host:port.
	Server string
	// Attempts counts the attempts made.
	Attempts int
	// Permanent reports a failure that retrying cannot fix.
	Permanent bool
	// Code is the server's reply code (e.g. 550), or 0 when the failure
	// was not a reply.
	Code int
	Err  error
}

// Error returns one line with the server's reply.
func (e *SMTPError) Error() string {
	kind := "failed"
	if e.Permanent {
		kind = "failed permanently"
	}
	n := "attempt"
	if e.Attempts != 1 {
		n = "attempts"
	}
	return fmt.Sprintf("send e-mail via %s: %s after %d %s: %s", e.Server, kind, e.Attempts, n, oneLine(e.Err.Error()))
}

// Unwrap returns ErrUndelivered and the cause.
func (e *SMTPError) Unwrap() []error { return []error{ErrUndelivered, e.Err} }

// Send delivers e, retrying transient failures.
func (s *SMTPSender) Send(ctx context.Context, e *Email) (Delivery, error) {
	server := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.port()))
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	backoff := s.Backoff
	if backoff == nil {
		backoff = defaultBackoff
	}
	sleep := s.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	client, err := s.client()
	if err != nil {
		return Delivery{}, &SMTPError{Server: server, Permanent: true, Err: err}
	}
	for n := 1; ; n++ {
		msg, err := e.Msg()
		if err != nil {
			return Delivery{}, &SMTPError{Server: server, Attempts: n - 1, Permanent: true, Err: err}
		}
		err = client.DialAndSendWithContext(ctx, msg)
		if err == nil {
			reply := oneLine(msg.ServerResponse())
			s.log.Info("e-mail sent", "server", server, "attempts", n, "recipients", len(e.To), "reply", reply)
			return Delivery{Via: "smtp", Where: server, Attempts: n, Reply: reply}, nil
		}
		code, temporary := classify(err)
		fail := &SMTPError{Server: server, Attempts: n, Permanent: !temporary, Code: code, Err: err}
		if ctx.Err() != nil {
			fail.Permanent = false
			fail.Err = fmt.Errorf("%w (%v)", ctx.Err(), err)
			return Delivery{}, fail
		}
		if !temporary || n >= attempts {
			return Delivery{}, fail
		}
		wait := backoff(n)
		s.log.Warn("SMTP failure, will retry", "server", server, "attempt", n, "of", attempts,
			"retry_in", wait.String(), "err", oneLine(err.Error()))
		if err := sleep(ctx, wait); err != nil {
			fail.Err = fmt.Errorf("%w (%v)", err, fail.Err)
			return Delivery{}, fail
		}
	}
}

// client returns a go-mail client for the configuration.
func (s *SMTPSender) client() (*mail.Client, error) {
	tc := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: s.cfg.RootCAs}
	timeout := s.cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []mail.Option{
		mail.WithPort(s.cfg.port()),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(tc),
	}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
		if s.cfg.TLS == TLSNone {
			// In clear, which is allowed only on this machine: PLAIN or
			// LOGIN, which go-mail would otherwise keep for TLS.
			opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc))
		} else {
			// The strongest mechanism the server offers over TLS.
			opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
		}
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("configure SMTP client: %w", err)
	}
	return c, nil
}

// classify returns the server's reply code in err, if any, and whether the
// failure is worth retrying.
func classify(err error) (code int, temporary bool) {
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	if errors.As(err, &cve) || errors.As(err, &uae) || errors.As(err, &hne) || errors.As(err, &cie) {
		return 0, false
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		code = se.ErrorCode()
		switch {
		case se.IsTemp():
			return code, true
		case code >= 500:
			return code, false
		}
		switch se.Reason {
		case mail.ErrConnCheck, mail.ErrSMTPData, mail.ErrWriteContent, mail.ErrSMTPDataClose:
			return code, true
		}
		return code, false
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code, te.Code >= 400 && te.Code < 500
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return 0, true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return 0, true
	}
	return 0, false
}

// defaultBackoff waits 30 s after the first failure, then doubles, up to
// 4 minutes: about 7.5 minutes over five attempts, enough for greylisting.
func defaultBackoff(n int) time.Duration {
	if n > 4 {
		return 4 * time.Minute
	}
	return min(30*time.Second<<(n-1), 4*time.Minute)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// oneLine joins the lines of s.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
