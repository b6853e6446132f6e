// Package job is one pass of the nightly job: a Runner, given its parts
// (the sources reader, the validator, the report writer, the notifier and
// its sender, the state store, the snapshots, the clock and the logger),
// snapshots the sources, reads and validates them, writes the report
// workbook, compares the findings with the last run's and e-mails the
// result, within the run's deadline. Each part is a small interface, with
// the implementation the command uses beside it and fakes in the tests.
//
// job imports validate, sync and notify; it never decides an
// exit code: its errors say what went wrong (UsageError, DeliveryError, a
// *sync.SourceError, notify.ErrLocked, an interruption) and cmd/copsync
// maps them to codes in one switch. It must not import report, viper or
// cobra: the command gives it the report writer.
package job
