package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"

	"cloud.google.com/go/auth"
	"google.golang.org/api/googleapi"

	"copsync/retry"
	"copsync/validate"
)

// retryError is a transient failure that lasted through every attempt
// allowed.
type retryError struct {
	attempts int
	timeout  time.Duration // each attempt's timeout, when the last one ran out
	err      error
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// retry calls op until it succeeds or fails for good: transient failures are
// retried after a jittered, doubling pause, at most g.MaxAttempts times in
// all and never past ctx's deadline (the policy the SMTP sender shares,
// package retry).
func (g *GSheets) retry(ctx context.Context, op func(context.Context) error) error {
	attempts := g.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultGSheetsAttempts
	}
	base := g.Backoff
	if base <= 0 {
		base = DefaultGSheetsBackoff
	}
	limit := g.AttemptTimeout
	if limit <= 0 {
		limit = DefaultGSheetsAttemptTimeout
	}
	var last error // the last attempt's failure, nil on success
	policy := retry.Policy{
		Attempts: attempts,
		Backoff:  retry.Exponential(base, 0, true),
		OnRetry: func(n int, d time.Duration) {
			g.logger.Warn("google sheets: transient failure, retrying",
				"attempt", n, "max_attempts", attempts, "retry_in", d.Round(time.Millisecond), "reason", reason(last))
		},
	}
	n, err := policy.Do(ctx, func(n int) bool {
		actx, cancel := context.WithTimeout(ctx, limit)
		err := op(actx)
		timedOut := err != nil && actx.Err() != nil && ctx.Err() == nil
		cancel()
		switch {
		case err == nil:
			last = nil
			return false
		case ctx.Err() != nil:
			last = &retryError{attempts: n, err: ctx.Err()}
			return false
		case !timedOut && !transient(err):
			last = err
			return false
		}
		fail := &retryError{attempts: n, err: err}
		if timedOut {
			fail.timeout = limit
		}
		last = fail
		return true
	})
	if err != nil && !errors.Is(err, retry.ErrAttempts) && !errors.Is(err, retry.ErrNoTime) {
		// The run ended while waiting to try again.
		return &retryError{attempts: n, err: err}
	}
	return last
}

// transientStatus reports whether an HTTP status is worth retrying.
func transientStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transient reports whether a failed request may succeed if sent again:
// throttling, a server error, or a connection reset or dropped before the
// reply.
func transient(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return transientStatus(ge.Code)
	}
	var ae *auth.Error
	if errors.As(err, &ae) && ae.Response != nil {
		return transientStatus(ae.Response.StatusCode)
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	return strings.Contains(err.Error(), "connection reset")
}

// reason says in a few words why a request failed, for logs and messages;
// it never holds the reply's body.
func reason(err error) string {
	var re *retryError
	if errors.As(err, &re) && re.timeout > 0 {
		return fmt.Sprintf("no reply within %s", re.timeout)
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return fmt.Sprintf("HTTP %d %s", ge.Code, http.StatusText(ge.Code))
	}
	var ae *auth.Error
	if errors.As(err, &ae) && ae.Response != nil {
		return fmt.Sprintf("token request: HTTP %d %s", ae.Response.StatusCode, http.StatusText(ae.Response.StatusCode))
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "the run's deadline passed"
	case errors.Is(err, context.Canceled):
		return "the run was cancelled"
	case errors.Is(err, syscall.ECONNRESET), strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed before the reply"
	}
	return oneLine(err.Error())
}

// isRangeError reports whether the API refused a range, which it does when
// a tab of that title does not exist.
func isRangeError(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusBadRequest && strings.Contains(ge.Message, "Unable to parse range")
}

// explain turns a failed request into the one-line error a person can act
// on.
func explain(err error, key *serviceKey) error {
	attempts := 1
	var re *retryError
	if errors.As(err, &re) {
		attempts = re.attempts
	}
	after := ""
	if attempts > 1 {
		after = fmt.Sprintf(" after %d attempts", attempts)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		if re != nil && re.timeout > 0 {
			return fmt.Errorf("%w: no reply within %s%s", ErrUnavailable, re.timeout, after)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("the run's time ran out while reading the spreadsheet%s: %w", after, context.DeadlineExceeded)
		}
		return fmt.Errorf("reading the spreadsheet was cancelled: %w", context.Canceled)
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		msg := oneLine(ge.Message)
		switch ge.Code {
		case http.StatusBadRequest:
			if msg == "" {
				msg = "HTTP 400"
			}
			return fmt.Errorf("%w: %s", ErrBadRequest, msg)
		case http.StatusUnauthorized:
			return fmt.Errorf("%w: Google refused them (HTTP 401%s)", ErrCredentials, colon(msg))
		case http.StatusForbidden:
			if serviceDisabled(ge) {
				return fmt.Errorf("%w: the Google Sheets API is not enabled in the service account's Google Cloud project: enable sheets.googleapis.com there", ErrPermissionDenied)
			}
			if key != nil && key.clientEmail != "" {
				return fmt.Errorf("%w: share the spreadsheet with the service account %s (Viewer is enough)", ErrPermissionDenied, key.clientEmail)
			}
			return fmt.Errorf("%w: set credentials_file to a service-account key and share the spreadsheet with its client_email (Viewer is enough)", ErrPermissionDenied)
		case http.StatusNotFound:
			return fmt.Errorf("%w: no spreadsheet has this id; check spreadsheet_id", ErrSpreadsheetNotFound)
		case http.StatusTooManyRequests:
			return fmt.Errorf("%w: HTTP 429%s; Google allows 60 reads a minute per user, try again later", ErrQuotaExhausted, after)
		}
		if transientStatus(ge.Code) {
			return fmt.Errorf("%w: HTTP %d %s%s", ErrUnavailable, ge.Code, http.StatusText(ge.Code), after)
		}
		return fmt.Errorf("%w: HTTP %d%s", ErrBadRequest, ge.Code, colon(msg))
	}
	var ae *auth.Error
	if errors.As(err, &ae) && ae.Response != nil {
		if transientStatus(ae.Response.StatusCode) {
			return fmt.Errorf("%w: %s%s", ErrUnavailable, reason(err), after)
		}
		file := ""
		if key != nil {
			file = key.file + ": "
		}
		return fmt.Errorf("%w: %sGoogle refused the service-account key (%s)", ErrCredentials, file, reason(err))
	}
	if transient(err) || re != nil && re.timeout > 0 {
		return fmt.Errorf("%w: %s%s", ErrUnavailable, reason(err), after)
	}
	return fmt.Errorf("read the spreadsheet: %s", reason(err))
}

// serviceDisabled reports whether a 403 says the API is not enabled in the
// caller's project rather than that the spreadsheet is not shared.
func serviceDisabled(ge *googleapi.Error) bool {
	for _, e := range ge.Errors {
		if e.Reason == "accessNotConfigured" || e.Reason == "SERVICE_DISABLED" {
			return true
		}
	}
	return strings.Contains(ge.Message, "has not been used in project") || strings.Contains(ge.Message, "SERVICE_DISABLED")
}

func colon(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// oneLine keeps a message on one line and short (validate.OneLineMax).
func oneLine(s string) string { return validate.OneLineMax(s, 300) }
