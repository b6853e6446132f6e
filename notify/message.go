package notify

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/wneessen/go-mail"
)

// XLSXType is the media type of an .xlsx workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Email is a rendered message: a plain-text part, its HTML alternative, and
// attachments.
type Email struct {
	From    string
	To      []string
	Subject string
	Text    string
	HTML    string
	Date    time.Time
	// Attachments are sent in this order.
	Attachments []Attachment
}

// Attachment is a file attached to an Email.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Msg builds the MIME message: multipart/mixed holding a
// multipart/alternative (text/plain, then text/html) and the attachments.
func (e *Email) Msg() (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	m.SetUserAgent("copsync")
	if err := m.From(e.From); err != nil {
		return nil, fmt.Errorf("from address %q: %w", e.From, err)
	}
	if len(e.To) > 0 {
		if err := m.To(e.To...); err != nil {
			return nil, fmt.Errorf("to addresses: %w", err)
		}
	}
	m.Subject(e.Subject)
	if e.Date.IsZero() {
		m.SetDate()
	} else {
		m.SetDateWithValue(e.Date)
	}
	m.SetMessageID()
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, e.HTML)
	}
	for _, a := range e.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(ct))); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// WriteTo writes the message in RFC 5322 form, as a .eml file holds it.
func (e *Email) WriteTo(w io.Writer) (int64, error) {
	m, err := e.Msg()
	if err != nil {
		return 0, err
	}
	return m.WriteTo(w)
}
