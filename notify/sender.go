package notify

import (
	"context"
	"errors"
)

// Sender delivers an e-mail: SMTPSender to a mail server, Outbox to a
// folder of .eml files (the default without a server, and every dry run).
type Sender interface {
	// Send delivers e and says where it went.
	Send(ctx context.Context, e *Email) (Delivery, error)
}

// Delivery says where an e-mail went.
type Delivery struct {
	// Via is "smtp" or "outbox".
	Via string
	// Where is the server (host:port) or the .eml file's path.
	Where string
	// Attempts counts the SMTP attempts.
	Attempts int
	// Reply is the server's reply to the message.
	Reply string
	// Accepted are the recipients who have the message.
	Accepted []Recipient
	// Refused are the recipients who do not, each with the reason.
	Refused []Recipient
}

// Recipient is one recipient of an e-mail and, when it was refused, why.
type Recipient struct {
	// Index is the recipient's place in notify.to, from 0.
	Index int
	// Address is the recipient's address; it is logged, never written
	// into the state or an e-mail.
	Address string
	// Code is the server's reply code for a refusal (0 for a failure that
	// was not a reply), and Reply its text.
	Code  int
	Reply string
	// Permanent reports a refusal that retrying cannot fix.
	Permanent bool
}

// ErrUndelivered is wrapped by every error of a Sender: the e-mail did not
// reach its destination.
var ErrUndelivered = errors.New("the e-mail could not be delivered")
