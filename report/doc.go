// Package report writes the report workbook that the co-chairs open: the
// community's report to its council (summary, activities, membership,
// provinces and territories not represented, issues), the coverage of the
// provinces and territories with a chart, copies of the source sheets
// (issues, activities, membership; one register sheet for each sheet read,
// see registers.go) with their problems marked, and every finding with a
// link to its copy inside the workbook, in English, French or both. It also
// writes the blank starter workbooks of copsync init.
//
// The workbook is meant to be opened and printed as it is: every style is in
// Calibri, column widths and row heights are measured from the text (see
// measure.go and layout.go), and each sheet has its own print setup (Letter
// paper, a scale that never prints body text under 9 points, repeated
// header rows, page breaks that keep tables and the chart whole).
//
// The row-heavy sheets (the copies of the sources and the findings) are
// written through excelize's stream writer (stream.go): their rows are
// gone through twice, once to measure the widths from a bounded sample and
// the running maxima, once to write them in order with the heights they
// need, so that their memory does not grow with the rows. Their hyperlinks
// are added as the package is saved (zip.go), a link into the workbook
// without a relationship, and Write sends the package to its file as it is
// made. The tables kept for the registers hold their rows compactly
// (validate.RowStore), decoded one at a time as the sheets are written.
//
// The workbook is built deterministically from its input and run date, and
// written to a temporary file renamed into place, so that a failure never
// leaves a half-written report. No cell written from spreadsheet data is
// ever a formula.
//
// The package imports validate and templates, never sync, notify or the
// command packages.
package report
