package job

// UsageError is a run that cannot start as asked or configured: a run date
// refused, a template that does not render. Nothing was written.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// DeliveryError is a report workbook, snapshot or e-mail that could not be
// delivered, while the sources were read.
type DeliveryError struct{ Err error }

func (e *DeliveryError) Error() string { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error { return e.Err }
