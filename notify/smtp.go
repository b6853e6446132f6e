package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/wneessen/go-mail"
	smtpc "github.com/wneessen/go-mail/smtp"

	"copsync/retry"
	"copsync/validate"
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

// SMTPError is an e-mail the server did not take for every recipient.
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
	// Delivered and Recipients count the recipients who accepted the
	// message and all of them: 0 of 2 when nobody received it.
	Delivered, Recipients int
	Err                   error
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
	part := ""
	if e.Delivered > 0 {
		part = fmt.Sprintf("delivered to %d of %d recipients, ", e.Delivered, e.Recipients)
	}
	return fmt.Sprintf("send e-mail via %s: %s%s after %d %s: %s", e.Server, part, kind, e.Attempts, n, validate.OneLine(e.Err.Error()))
}

// Unwrap returns ErrUndelivered and the cause.
func (e *SMTPError) Unwrap() []error { return []error{ErrUndelivered, e.Err} }

// minAttempt is the least time worth starting an SMTP attempt with: with
// less left before the context's deadline, Send stops retrying.
const minAttempt = 2 * time.Second

// Send delivers e to each of its recipients once. It drives the SMTP
// transaction itself (go-mail dials, secures and authenticates): a
// recipient the server refuses does not stop the others, and once the
// server has answered 250 to the message, the recipients it accepted have
// it — a failure at QUIT afterwards is logged, never retried. Transient
// failures (a 4xx reply, a connection that fails or drops before the 250)
// are retried for the recipients still waiting, with backoff, within ctx's
// deadline.
//
// The error, an *SMTPError, says how many recipients have the message;
// the Delivery lists who accepted it and who did not, and why.
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
	d := Delivery{Via: "smtp", Where: server}
	// A configuration go-mail refuses fails at once; each attempt makes
	// its own client, bound to the attempt's time.
	if _, err := s.client(ctx, 0); err != nil {
		return d, &SMTPError{Server: server, Permanent: true, Recipients: len(e.To), Err: err}
	}
	// The message is rendered once: every attempt sends the same bytes,
	// Message-ID included.
	msg, err := e.Msg()
	if err != nil {
		return d, &SMTPError{Server: server, Permanent: true, Recipients: len(e.To), Err: err}
	}
	from, err := msg.GetSender(false)
	if err != nil {
		return d, &SMTPError{Server: server, Permanent: true, Recipients: len(e.To), Err: err}
	}
	var body bytes.Buffer
	if _, err := msg.WriteTo(&body); err != nil {
		return d, &SMTPError{Server: server, Permanent: true, Recipients: len(e.To), Err: fmt.Errorf("render message: %w", err)}
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return d, &SMTPError{Server: server, Permanent: true, Recipients: len(e.To), Err: err}
	}
	pending := make([]Recipient, len(rcpts))
	for i, r := range rcpts {
		pending[i] = Recipient{Index: i, Address: r}
	}
	var last *attemptResult
	policy := retry.Policy{
		Attempts: attempts,
		Backoff:  backoff,
		Reserve:  minAttempt,
		Sleep:    s.Sleep,
		OnRetry: func(n int, wait time.Duration) {
			s.log.Warn("SMTP failure, will retry", "server", server, "attempt", n, "of", attempts,
				"recipients_waiting", len(pending), "retry_in", wait.String(), "err", validate.OneLine(last.err.Error()))
		},
	}
	n, why := policy.Do(ctx, func(n int) bool {
		d.Attempts = n
		res := s.attempt(ctx, from, pending, body.Bytes())
		last = res
		d.Accepted = append(d.Accepted, res.accepted...)
		if res.reply != "" {
			d.Reply = res.reply
		}
		d.Refused = append(d.Refused, res.refused...)
		pending = res.retry
		if len(res.accepted) > 0 {
			s.log.Info("e-mail sent", "server", server, "attempt", n, "recipients", len(res.accepted), "reply", res.reply)
		}
		return len(pending) > 0
	})
	if errors.Is(why, retry.ErrNoTime) {
		s.log.Warn("SMTP failure: no time left to retry before the run's deadline", "server", server,
			"attempt", n, "recipients_waiting", len(pending), "err", validate.OneLine(last.err.Error()))
	}
	// What is still pending failed transiently: it is refused too.
	for _, r := range pending {
		r.Code, r.Reply = last.code, validate.OneLine(last.err.Error())
		if ctx.Err() != nil {
			r.Reply = fmt.Sprintf("%v (%s)", ctx.Err(), r.Reply)
		}
		d.Refused = append(d.Refused, r)
	}
	slices.SortFunc(d.Refused, func(a, b Recipient) int { return a.Index - b.Index })
	for _, r := range d.Refused {
		s.log.Error("recipient did not receive the e-mail", "server", server, "recipient", r.Address,
			"to_index", r.Index, "permanent", r.Permanent, "reply", r.Reply)
	}
	if len(d.Refused) == 0 {
		return d, nil
	}
	first := d.Refused[0]
	fail := &SMTPError{Server: server, Attempts: d.Attempts, Permanent: true, Code: first.Code,
		Delivered: len(d.Accepted), Recipients: len(rcpts), Err: errors.New(first.Reply)}
	for _, r := range d.Refused {
		if !r.Permanent {
			fail.Permanent = false
		}
	}
	if len(pending) > 0 && last.err != nil {
		fail.Err = last.err
		if ctx.Err() != nil {
			fail.Err = fmt.Errorf("%w (%v)", ctx.Err(), last.err)
		}
	}
	return d, fail
}

// attemptResult is what one SMTP session did.
type attemptResult struct {
	accepted []Recipient // the server answered 250 to the message for them
	refused  []Recipient // refused for good
	retry    []Recipient // to try again
	reply    string      // the server's reply to the message
	code     int         // the reply code of the failure, if any
	err      error       // the failure that left recipients to retry
}

// attempt runs one SMTP session: dial, secure, authenticate, MAIL, one
// RCPT per pending recipient, DATA, then QUIT, whose failure no longer
// matters once the message is accepted.
func (s *SMTPSender) attempt(ctx context.Context, from string, pending []Recipient, body []byte) *attemptResult {
	res := &attemptResult{}
	timeout := s.cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// fail sets the session's failure for the recipients not yet settled.
	fail := func(err error, rest []Recipient) *attemptResult {
		if actx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no answer within %s: %w", timeout.Round(time.Second), err)
		}
		code, temporary := classify(err)
		res.code, res.err = code, err
		for _, r := range rest {
			r.Code, r.Reply, r.Permanent = code, validate.OneLine(err.Error()), !temporary
			if temporary && ctx.Err() == nil {
				res.retry = append(res.retry, r)
			} else {
				res.refused = append(res.refused, r)
			}
		}
		return res
	}
	client, err := s.client(actx, timeout)
	if err != nil {
		return fail(err, pending)
	}
	c, err := dial(actx, client)
	if err != nil {
		return fail(err, pending)
	}
	// A cancelled or expired context closes the connection, which ends any
	// read or write under way at once.
	stop := context.AfterFunc(actx, func() { _ = c.Close() })
	defer stop()
	// The session's own deadline follows the attempt's.
	_ = c.UpdateDeadline(timeout)
	accepted := false
	defer func() {
		if err := c.Quit(); err != nil {
			if accepted {
				s.log.Warn("the server did not close the session cleanly after accepting the e-mail; it is delivered",
					"err", validate.OneLine(err.Error()))
			}
			_ = c.Close()
		}
	}()
	if err := c.Mail(from); err != nil {
		return fail(err, pending)
	}
	var ok []Recipient
	for i, r := range pending {
		err := c.Rcpt(r.Address)
		if err == nil {
			ok = append(ok, r)
			continue
		}
		var te *textproto.Error
		if !errors.As(err, &te) {
			// The session broke: these and the rest wait for the next try.
			return fail(err, append(ok, pending[i:]...))
		}
		r.Code, r.Reply = te.Code, validate.OneLine(err.Error())
		if te.Code >= 400 && te.Code < 500 {
			res.retry = append(res.retry, r)
			res.code, res.err = te.Code, err
		} else {
			r.Permanent = true
			res.refused = append(res.refused, r)
		}
	}
	if len(ok) == 0 {
		_ = c.Reset()
		return res
	}
	w, err := c.Data()
	if err != nil {
		return fail(err, ok)
	}
	if _, err := w.Write(body); err != nil {
		return fail(err, ok)
	}
	if err := w.Close(); err != nil {
		return fail(err, ok)
	}
	accepted = true
	if dc, isDC := w.(*smtpc.DataCloser); isDC {
		res.reply = validate.OneLine(dc.ServerResponse())
	}
	res.accepted = ok
	return res
}

// dial connects, secures and authenticates, returning as soon as ctx is
// done even where go-mail waits without a context (the greeting over
// implicit TLS): the session then given up is closed when it answers or
// times out.
func dial(ctx context.Context, client *mail.Client) (*smtpc.Client, error) {
	type dialed struct {
		c   *smtpc.Client
		err error
	}
	ch := make(chan dialed, 1)
	go func() {
		c, err := client.DialToSMTPClientWithContext(ctx)
		ch <- dialed{c, err}
	}()
	select {
	case d := <-ch:
		return d.c, d.err
	case <-ctx.Done():
		go func() {
			if d := <-ch; d.c != nil {
				_ = d.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// client returns a go-mail client for the configuration whose every read
// and write waits at most timeout (0: the configured timeout). Unless TLS
// is implicit, the connection is closed as soon as ctx is done, which ends
// at once a session waiting on a server that does not answer (go-mail
// reads the greeting without a context); with implicit TLS, go-mail's own
// dialer is kept (it must know the connection is encrypted to offer the
// password) and timeout bounds the wait.
func (s *SMTPSender) client(ctx context.Context, timeout time.Duration) (*mail.Client, error) {
	tc := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: s.cfg.RootCAs}
	if timeout <= 0 {
		timeout = s.cfg.Timeout
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []mail.Option{
		mail.WithPort(s.cfg.port()),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(tc),
	}
	if s.cfg.TLS != TLSImplicit {
		opts = append(opts, mail.WithDialContextFunc(func(dctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			conn, err := d.DialContext(dctx, network, addr)
			if err == nil {
				context.AfterFunc(ctx, func() { _ = conn.Close() })
			}
			return conn, err
		}))
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
var defaultBackoff = retry.Exponential(30*time.Second, 4*time.Minute, false)
