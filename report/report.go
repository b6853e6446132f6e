package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// Community names the community of practice and the council it reports to,
// and its co-chairs, as the report's summary shows them. Empty names take
// the defaults of the message catalogue.
type Community struct {
	NameEN, NameFR       string
	CouncilEN, CouncilFR string
	CoChairs             []CoChair
}

// CoChair is one co-chair of the community: a name and a title in each
// language ("Co-chair, Government of British Columbia").
type CoChair struct {
	Name    string
	TitleEN string
	TitleFR string
}

// Input is everything the report shows.
type Input struct {
	// Result is the validation: summary, findings, issues, activities.
	Result *validate.Result
	// Issues, Members and Activities are the sheets of each source as
	// read, one table per sheet in the order read; each gets a register
	// sheet of its own, at its source row numbers (see register). A source
	// without a table (or whose tables have no header columns) was not
	// read: the Issues and Members sheets say so, and the Activities
	// sheet is left out.
	Issues, Members, Activities []validate.Table
	// OmitMembers leaves the membership list out
	// (report.include_members: false), for it holds personal data: the
	// Members sheet says so.
	OmitMembers bool
	// Catalogue holds every heading and label in English and French.
	Catalogue *validate.Catalogue
	// Orders names the orders of government; nil means the default three.
	Orders *validate.Orders
	// Lang is "en", "fr" or "both" (also when empty).
	Lang string
	// RunDate is the documented run date: the only date the workbook takes
	// from the clock. Only its year, month and day are used.
	RunDate time.Time
	// PeriodStart and PeriodEnd bound the reporting period; zero values
	// take the six months before the run date. NextStart and NextEnd bound
	// the next period; zero values take the six months after the period.
	PeriodStart, PeriodEnd time.Time
	NextStart, NextEnd     time.Time
	Community              Community
	// WithoutPersonalData builds the variant of the report that may leave
	// the secretariat (the e-mail's attachment): no Members sheet, every
	// finding worded without its personal values and its value left out
	// when personal, and the cells of PersonalFields blanked in the copies
	// of the other sheets.
	WithoutPersonalData bool
	// PersonalFields are the fields, by source, whose values are personal
	// data (validate.Rules.PersonalFields); nil means
	// validate.DefaultPersonalFields.
	PersonalFields map[string][]string
}

// disclosure returns what the report may show of personal values.
func (in *Input) disclosure() validate.Disclosure {
	if in.WithoutPersonalData {
		return validate.Withhold
	}
	return validate.Disclose
}

// ErrLanguage is returned for a report language setting that
// validate.ParseLangs does not read.
var ErrLanguage = errors.New("unknown report language (want en, fr, both, en-fr or fr-en)")

// Languages returns the languages of a report language setting, read by
// the one parser of language settings (validate.ParseLangs): ["en"],
// ["fr"], ["en", "fr"] for "both", "en-fr" and an empty setting, ["fr",
// "en"] for "fr-en".
func Languages(lang string) ([]string, error) {
	l, err := validate.ParseLangs(lang)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrLanguage, lang)
	}
	return validate.LangCodes(l), nil
}

// DefaultPeriod returns the default reporting period for a run date: the
// six months before it, the run date included, and the next period: the
// six months after.
func DefaultPeriod(run time.Time) (start, end, nextStart, nextEnd time.Time) {
	end = day(run)
	start = addMonths(end, -6).AddDate(0, 0, 1)
	nextStart = end.AddDate(0, 0, 1)
	nextEnd = addMonths(end, 6)
	return start, end, nextStart, nextEnd
}

// day returns t's calendar day at midnight UTC.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// addMonths adds n months to a day, keeping to the last day of a shorter
// month (31 August less six months is 28 or 29 February, not 3 March).
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
}

// periods fills in the default reporting periods.
func (in *Input) periods() {
	s, e, _, _ := DefaultPeriod(in.RunDate)
	if in.PeriodStart.IsZero() {
		in.PeriodStart = s
	}
	if in.PeriodEnd.IsZero() {
		in.PeriodEnd = e
	}
	in.PeriodStart, in.PeriodEnd = day(in.PeriodStart), day(in.PeriodEnd)
	if in.NextStart.IsZero() {
		in.NextStart = in.PeriodEnd.AddDate(0, 0, 1)
	}
	if in.NextEnd.IsZero() {
		in.NextEnd = addMonths(in.PeriodEnd, 6)
	}
	in.NextStart, in.NextEnd = day(in.NextStart), day(in.NextEnd)
}

// Build builds the report workbook. The same input and run date always give
// the same workbook.
func Build(in Input) (*excelize.File, error) {
	return BuildContext(context.Background(), in)
}

// BuildContext is Build stopping soon after ctx is done, with its error.
func BuildContext(ctx context.Context, in Input) (*excelize.File, error) {
	b, err := buildBook(ctx, in)
	if err != nil {
		return nil, err
	}
	return b.f, nil
}

// buildBook builds the report workbook and returns its book.
func buildBook(ctx context.Context, in Input) (*book, error) {
	langs, err := Languages(in.Lang)
	if err != nil {
		return nil, err
	}
	if in.Catalogue == nil {
		return nil, errors.New("build report: no message catalogue")
	}
	if in.RunDate.IsZero() {
		return nil, errors.New("build report: no run date")
	}
	if in.Result == nil {
		in.Result = &validate.Result{}
	}
	if in.Orders == nil {
		in.Orders = validate.NewOrders(nil)
	}
	in.RunDate = day(in.RunDate)
	in.periods()
	if in.WithoutPersonalData {
		in.withoutPersonalData()
	}
	if in.PeriodEnd.Before(in.PeriodStart) {
		return nil, fmt.Errorf("build report: the reporting period ends (%s) before it starts (%s)",
			in.PeriodEnd.Format(dateLayout), in.PeriodStart.Format(dateLayout))
	}
	b := newBook(in, langs)
	b.ctx = ctx
	defer func() {
		if b.err != nil {
			_ = b.f.Close()
		}
	}()
	b.summary()
	b.coverage()
	// The Summary opens first. Set before the streamed sheets exist: the
	// library would otherwise parse each of them back from its stream to
	// unselect its tab.
	b.f.SetActiveSheet(0)
	b.issues()
	b.activitiesSheet()
	b.findings()
	if !in.WithoutPersonalData {
		b.members()
	}
	b.finish()
	if b.err != nil {
		return nil, fmt.Errorf("build report: %w", b.err)
	}
	b.f.SetZipWriter(b.zipWriter())
	return b, nil
}
