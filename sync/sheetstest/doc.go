// Package sheetstest is a fake of the Google Sheets API v4 for tests: an
// in-process HTTP server that answers spreadsheets.get with the JSON the
// real API sends (field masks, grid data with effectiveValue,
// formattedValue and effectiveFormat.numberFormat, merges), Google-style
// error bodies, and a service-account token endpoint. Switches inject
// throttling (429), server errors, refusals, slow replies and dropped
// connections; a counter records every request, so tests can check retries
// and the read quota. The real client library (sheets.NewService with
// option.WithEndpoint) talks to it.
//
// Its content is built with Book and Tab, or loaded from an .xlsx workbook
// with FromXLSX, so that the same data can be read through both readers.
//
// It imports the Sheets client's types and excelize; nothing of copsync.
package sheetstest
