// Package sync reads copsync's sources into the table model of package
// validate: local .xlsx workbooks (with excelize's row iterator) and, as
// they land, Google Sheets; it also keeps the nightly snapshots of the
// sources. It imports validate, never report or notify.
//
// The sources are opened read-only and never written.
package sync
