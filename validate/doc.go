// Package validate is copsync's domain core: the table model that every
// source is read into, the reference data (the 13 provinces and territories
// of Canada, the orders of government), the layout engine (ReadSource: the
// sheets of a source, header blocks, values merged down over rows, notes
// and totals set aside under a table), the checks and
// declarative rules, the membership summary, and the findings they produce,
// with their messages in English and French from one catalogue. It also
// holds what every package shares about people's languages (Lang, and the
// one parser of language settings, ParseLangs) and about text on one line
// (OneLine, Capitalize).
//
// Findings are data: a check returns findings, and an error means that a
// check could not run. The package imports only the standard library; the
// readers (package sync), the report and the notifier depend on it, never the
// reverse.
package validate
