// Package sync reads copsync's sources into the table model of package
// validate: local .xlsx workbooks (with excelize's row iterator, and their
// merged ranges found by a streaming pass over the worksheet part) and
// Google Sheets (the grid data and its merges), each delivered as a
// validate.Book to the layout engine, validate.ReadSource; it also keeps
// the nightly snapshots of the sources. It imports validate, never report
// or notify.
//
// The sources are opened read-only and never written.
package sync
