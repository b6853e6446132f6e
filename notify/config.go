package notify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"slices"
	"strings"
	"time"

	"copsync/validate"
)

// The TLS modes of the SMTP connection.
const (
	// TLSStartTLS upgrades the connection with STARTTLS, and fails when the
	// server does not offer it. The default.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit = "tls"
	// TLSNone sends in clear; allowed only for a server on this machine.
	TLSNone = "none"
)

// When the e-mail goes out.
const (
	// WhenAlways sends after every run.
	WhenAlways = "always"
	// WhenFindings sends when there are findings, or when the last ones
	// were resolved. The default.
	WhenFindings = "findings"
	// WhenChanges sends only when a finding is new or resolved (and on the
	// first run).
	WhenChanges = "changes"
)

// The names of the e-mail templates.
const (
	TemplateSubject = "email.default.subject"
	TemplateText    = "email.default.text"
	TemplateHTML    = "email.default.html"
)

// TemplateNames lists the templates a configuration may override.
var TemplateNames = []string{TemplateSubject, TemplateText, TemplateHTML}

// DefaultMaxFindings is how many findings an e-mail lists at most; the
// report workbook has them all.
const DefaultMaxFindings = 200

// DefaultMaxAttachment is the largest report, in bytes, that an e-mail
// attaches (10 MB, as many mail servers refuse larger messages); a larger
// one stays where it was written, and the e-mail says where.
const DefaultMaxAttachment = 10_000_000

// Config configures the e-mail. The command fills it from the notify.*
// keys.
type Config struct {
	From string
	To   []string
	// Subject is the prefix of the subject line, e.g. "[copsync]".
	Subject string
	// When is WhenAlways, WhenFindings or WhenChanges.
	When string
	// Languages are the languages of the message, in order ("en", "fr").
	Languages []string
	// IncludePersonalData lets the e-mail show the values of findings that
	// are members' personal data.
	IncludePersonalData bool
	// Templates maps a template name (TemplateNames) to a file that
	// replaces the embedded default.
	Templates map[string]string
	// Outbox is the folder of the .eml files.
	Outbox string
	// CommunityEN and CommunityFR name the community in the title.
	CommunityEN, CommunityFR string
	// MaxFindings bounds the findings listed; 0 means DefaultMaxFindings.
	MaxFindings int
	// MaxAttachment is the largest report attached, in bytes; 0 means
	// DefaultMaxAttachment.
	MaxAttachment int64
	SMTP          SMTPConfig
}

// SMTPConfig configures the mail server.
type SMTPConfig struct {
	// Host is the server; empty means the e-mail goes to the outbox.
	Host     string
	Port     int
	Username string
	Password string
	// TLS is TLSStartTLS, TLSImplicit or TLSNone.
	TLS string
	// RootCAs verifies the server's certificate; nil uses the system's.
	RootCAs *x509.CertPool
	// Timeout bounds each connection; 0 means 30 seconds.
	Timeout time.Duration
}

// ParseLanguages reads the notify.language setting with the one parser of
// language settings (validate.ParseLangs): "both" or "en-fr" (English then
// French), "fr-en" (French then English), "en" or "fr"; an empty setting
// is "both".
func ParseLanguages(s string) ([]string, error) {
	langs, err := validate.ParseLangs(s)
	if err != nil {
		return nil, fmt.Errorf("notify.language: must be en, fr, both or en-fr (English first) or fr-en (French first), not %q", s)
	}
	return validate.LangCodes(langs), nil
}

// ConfigError is an invalid e-mail configuration: each problem is one
// line that starts with the key at fault ("notify.smtp.tls: …").
type ConfigError struct {
	Problems []string
}

// Error returns the problems on one line.
func (e *ConfigError) Error() string {
	return "invalid notify configuration: " + strings.Join(e.Problems, "; ")
}

// Validate checks the configuration and returns a *ConfigError naming the
// key of every problem. A line break in an address or the subject is
// refused: it would let a value add headers to the message. It is the one
// check of the notify.* keys: the command's configuration check calls it.
func (c *Config) Validate() error {
	var p []string
	bad := func(key, format string, a ...any) { p = append(p, key+": "+fmt.Sprintf(format, a...)) }
	if strings.ContainsAny(c.Subject, "\r\n") {
		bad("notify.subject", "must not contain line breaks")
	}
	switch c.When {
	case "", WhenAlways, WhenFindings, WhenChanges:
	default:
		bad("notify.when", "must be always, findings or changes, not %q", c.When)
	}
	for _, l := range c.Languages {
		if l != "en" && l != "fr" {
			bad("notify.language", "unknown language %q", l)
		}
	}
	if c.From != "" {
		if err := CheckAddress(c.From); err != nil {
			bad("notify.from", "%v", err)
		}
	}
	for i, to := range c.To {
		if err := CheckAddress(to); err != nil {
			bad(fmt.Sprintf("notify.to[%d]", i), "%v", err)
		}
	}
	for name := range c.Templates {
		if !slices.Contains(TemplateNames, name) {
			bad("notify.templates."+name, "unknown template (want one of %s)%s", strings.Join(TemplateNames, ", "), didYouMean(name, TemplateNames))
		}
	}
	if c.MaxFindings < 0 {
		bad("notify.max_findings", "must not be negative")
	}
	if c.MaxAttachment < 0 {
		bad("notify.max_attachment", "must not be negative")
	}
	s := c.SMTP
	if s.Host != "" {
		if c.From == "" {
			bad("notify.from", "required when notify.smtp.host is set")
		}
		if len(c.To) == 0 {
			bad("notify.to", "required when notify.smtp.host is set")
		}
		if s.Port < 0 || s.Port > 65535 {
			bad("notify.smtp.port", "must be 1-65535, not %d", s.Port)
		}
		if strings.ContainsAny(s.Host+s.Username, "\r\n") {
			bad("notify.smtp", "host and username must not contain line breaks")
		}
		switch s.TLS {
		case "", TLSStartTLS, TLSImplicit:
		case TLSNone:
			if !IsLoopback(s.Host) {
				bad("notify.smtp.tls", "none is allowed only for a server on this machine (localhost), not %q", s.Host)
			}
		default:
			bad("notify.smtp.tls", "must be starttls, tls or none, not %q", s.TLS)
		}
		if s.Password != "" && s.Username == "" {
			bad("notify.smtp.username", "required when a password is given")
		}
	}
	if len(p) > 0 {
		return &ConfigError{Problems: p}
	}
	return nil
}

// CheckAddress accepts one address, "Name <a@b.ca>" or "a@b.ca", whose
// address part is a plain e-mail address (validate.ValidEmail). It is the
// one address check of the configuration.
func CheckAddress(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("must not contain line breaks")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !validate.ValidEmail(a.Address) {
		return fmt.Errorf("%q is not an e-mail address", s)
	}
	return nil
}

// didYouMean returns " (did you mean X?)" for the candidate closest to s,
// or "" when none is close.
func didYouMean(s string, candidates []string) string {
	if m := validate.Closest(s, candidates); m != "" {
		return " (did you mean " + m + "?)"
	}
	return ""
}

// IsLoopback reports whether host names this machine: localhost, a name
// under .localhost, or a loopback address. It is the one such check: the
// configuration and the SMTP sender both use it.
func IsLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// port returns the configured port, or the usual one for the TLS mode.
func (s SMTPConfig) port() int {
	if s.Port > 0 {
		return s.Port
	}
	switch s.TLS {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}
