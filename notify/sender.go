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
}

// ErrUndelivered is wrapped by every error of a Sender: the e-mail did not
// reach its destination.
var ErrUndelivered = errors.New("the e-mail could not be delivered")
