// Package report writes the report workbook that the co-chairs open: the
// community's report to its council (summary, activities, membership,
// provinces and territories not represented, issues), the coverage of the
// provinces and territories with a chart, the issues register and the
// membership as read with their problems marked, and every finding with a
// link to its source cell, in English, French or both. It also writes the
// blank starter workbooks of copsync init.
//
// The workbook is built deterministically from its input and run date, and
// written to a temporary file renamed into place, so that a failure never
// leaves a half-written report. No cell written from spreadsheet data is
// ever a formula.
//
// The package imports validate and templates, never sync, notify or the
// command packages.
package report
