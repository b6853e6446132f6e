// Package schedule runs copsync's nightly job in the foreground: it computes
// the next run time from a cron expression in a named time zone (the zone
// database is embedded, so it works in minimal containers), waits for it on
// an injectable clock, runs the job, and starts over. Runs never overlap, a
// failing or panicking run is logged and the loop goes on, and cancelling the
// context stops the loop cleanly.
//
// It imports only the standard library and github.com/robfig/cron/v3, never
// the other copsync packages: the job is a function.
package schedule
