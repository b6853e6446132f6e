package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/renameio/v2"
	"github.com/xuri/excelize/v2"
	"google.golang.org/api/sheets/v4"

	"copsync/validate"
)

// The defaults of the nightly snapshot.
const (
	// DefaultSnapshotDir is the folder the dated snapshots are kept in.
	DefaultSnapshotDir = "snapshots"
	// DefaultSnapshotKeep is how many days of snapshots are kept.
	DefaultSnapshotKeep = 30
	// SnapshotDateLayout names a snapshot's folder: 2026-11-29.
	SnapshotDateLayout = "2006-01-02"
)

// ErrNoSnapshot is the failure to find a snapshot of the date asked for.
var ErrNoSnapshot = errors.New("no snapshot")

// Snapshot copies every source, as read, into dir/YYYY-MM-DD/<source>.xlsx,
// the date being date's day in date's location: an .xlsx source byte for
// byte, a Google Sheets source as a workbook of its tab (of all its tabs
// when none is configured) that reads back to the same table. Each file is
// written to a temporary file and renamed, so a snapshot is whole or
// absent, and a second snapshot the same day replaces the first. The
// sources are only read.
//
// A source that cannot be copied does not stop the others: Snapshot returns
// the paths written and the failures joined, each a *SourceError.
func Snapshot(ctx context.Context, sources []Source, dir string, date time.Time) ([]string, error) {
	if _, ok := ctx.Value(gsheetsKey{}).(*GSheets); !ok {
		ctx = WithGSheets(ctx, NewGSheets(nil, sources))
	}
	day := filepath.Join(dir, date.Format(SnapshotDateLayout))
	if err := os.MkdirAll(day, 0o750); err != nil {
		return nil, fmt.Errorf("create the snapshot folder: %w", err)
	}
	var written []string
	var errs []error
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		path := filepath.Join(day, src.Name+".xlsx")
		var err error
		switch {
		case !validSourceName(src.Name):
			err = &SourceError{Source: src.Name, File: src.Path, Err: fmt.Errorf("the source name %q cannot name a snapshot file", src.Name)}
		case src.Kind == "" || src.Kind == "xlsx":
			err = copyFile(src, path)
		case src.Kind == "gsheets":
			err = snapshotGSheets(ctx, src, path)
		default:
			err = &SourceError{Source: src.Name, File: src.Path, Err: fmt.Errorf("%w %q", ErrUnsupported, src.Kind)}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		written = append(written, path)
	}
	return written, errors.Join(errs...)
}

// validSourceName reports whether a source's name can name its snapshot
// file.
func validSourceName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\:*?"<>|`) && !strings.HasPrefix(name, ".")
}

// writeAtomic writes path through write, to a temporary file renamed over
// path once complete; on failure path is untouched and the temporary file
// removed. The file is readable by its owner only: snapshots hold personal
// data.
func writeAtomic(path string, write func(io.Writer) error) error {
	pf, err := renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path)), renameio.WithPermissions(0o600))
	if err != nil {
		return err
	}
	defer pf.Cleanup()
	if err := write(pf); err != nil {
		return err
	}
	return pf.CloseAtomicallyReplace()
}

// copyFile copies an .xlsx source byte for byte.
func copyFile(src Source, path string) error {
	fail := func(err error) error { return &SourceError{Source: src.Name, File: src.Path, Err: err} }
	in, err := os.Open(src.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fail(ErrNotFound)
		}
		return fail(err)
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil {
		return fail(err)
	} else if !st.Mode().IsRegular() {
		return fail(fmt.Errorf("%w: it is not a regular file", ErrNotXLSX))
	}
	if err := writeAtomic(path, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	}); err != nil {
		return fail(fmt.Errorf("write snapshot %s: %w", path, err))
	}
	return nil
}

// snapshotGSheets writes a Google Sheets source as an .xlsx workbook.
func snapshotGSheets(ctx context.Context, src Source, path string) error {
	book, fail, err := gsheetsFrom(ctx).book(ctx, src)
	if err != nil {
		return err
	}
	tabs := book.tabs
	if src.Sheet != "" {
		t, err := book.find(src.Sheet)
		if err != nil {
			return fail(src.Sheet, err)
		}
		tabs = []*gsTab{t}
	}
	if err := writeAtomic(path, func(w io.Writer) error { return writeBook(w, book, tabs) }); err != nil {
		return fail(src.Sheet, fmt.Errorf("write snapshot %s: %w", path, err))
	}
	return nil
}

// writeBook writes tabs as an .xlsx workbook: every value with its type
// (numbers, dates as date-formatted serial numbers, booleans, text, errors
// as their text) and the merged cells. Numbers are written with every digit
// (not rounded to Excel's 15), so that they read back the same. Text reads
// back the same too, but for the control characters XML 1.0 cannot hold
// (all but tab and line breaks), which become U+FFFD, and what is beyond
// the 32,767 characters an .xlsx cell holds (a Google cell holds 50,000).
func writeBook(w io.Writer, book *gsBook, tabs []*gsTab) (err error) {
	defer guard(&err)
	f := excelize.NewFile()
	defer f.Close()
	titles := make([]string, len(tabs))
	for i, t := range tabs {
		titles[i] = t.title
	}
	names := excelSheetNames(titles)
	styles := map[string]int{}
	for i, t := range tabs {
		name := names[i]
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for _, r := range t.rows {
			for j, c := range r.cells {
				if err := writeCell(f, styles, name, validate.CellRef(j, r.num), c); err != nil {
					return fmt.Errorf("sheet %q, cell %s: %w", t.title, validate.CellRef(j, r.num), err)
				}
			}
		}
		for _, m := range t.merges {
			if m == nil || m.EndRowIndex <= m.StartRowIndex || m.EndColumnIndex <= m.StartColumnIndex {
				continue
			}
			from := validate.CellRef(int(m.StartColumnIndex), int(m.StartRowIndex)+1)
			to := validate.CellRef(int(m.EndColumnIndex)-1, int(m.EndRowIndex))
			if err := f.MergeCell(name, from, to); err != nil {
				return fmt.Errorf("sheet %q, merge %s:%s: %w", t.title, from, to, err)
			}
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       book.title,
		Description: "Snapshot of " + SpreadsheetURL(book.id),
		Creator:     "copsync",
	}); err != nil {
		return err
	}
	return f.Write(w)
}

// writeCell writes one Google Sheets cell into a workbook.
func writeCell(f *excelize.File, styles map[string]int, sheet, ref string, c *sheets.CellData) error {
	raw, v := rawValue(c)
	switch v := v.(type) {
	case nil:
		return nil
	case float64:
		// SetCellDefault stores the text of a number as is; the other
		// setters round it to 15 significant digits.
		if err := f.SetCellDefault(sheet, ref, raw); err != nil {
			return err
		}
		if c.EffectiveFormat == nil || c.EffectiveFormat.NumberFormat == nil {
			return nil
		}
		id, err := numberStyle(f, styles, c.EffectiveFormat.NumberFormat.Type, c.EffectiveFormat.NumberFormat.Pattern)
		if err != nil || id == 0 {
			return err
		}
		return f.SetCellStyle(sheet, ref, ref, id)
	case bool:
		return f.SetCellBool(sheet, ref, v)
	case string:
		return f.SetCellStr(sheet, ref, v)
	}
	return nil
}

// numberStyle returns the style of a Google number format (0 for none),
// so that dates in a snapshot show as dates.
func numberStyle(f *excelize.File, styles map[string]int, typ, pattern string) (int, error) {
	switch typ {
	case "DATE", "TIME", "DATE_TIME", "NUMBER", "PERCENT", "CURRENCY", "SCIENTIFIC":
	default:
		return 0, nil
	}
	if pattern == "" {
		switch typ {
		case "DATE":
			pattern = "yyyy-mm-dd"
		case "TIME":
			pattern = "hh:mm:ss"
		case "DATE_TIME":
			pattern = "yyyy-mm-dd hh:mm:ss"
		default:
			return 0, nil
		}
	}
	if id, ok := styles[pattern]; ok {
		return id, nil
	}
	p := pattern
	id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &p})
	if err != nil {
		// A pattern Excel does not take: the value keeps the general
		// format, which changes nothing of what is read back.
		id = 0
	}
	styles[pattern] = id
	return id, nil
}

// excelSheetNames returns names Excel accepts for tab titles: at most 31
// characters, none of : \ / ? * [ ], not starting or ending with an
// apostrophe, unique regardless of case.
func excelSheetNames(titles []string) []string {
	out := make([]string, len(titles))
	used := map[string]bool{}
	for i, t := range titles {
		base := excelSheetName(t)
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = truncateRunes(base, 31-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

var sheetNameReplacer = strings.NewReplacer(":", "_", `\`, "_", "/", "_", "?", "_", "*", "_", "[", "(", "]", ")")

// excelSheetName returns the name Excel accepts closest to a tab title.
func excelSheetName(title string) string {
	s := strings.Trim(sheetNameReplacer.Replace(title), "'")
	s = strings.Trim(truncateRunes(s, 31), "'")
	if strings.TrimSpace(s) == "" {
		return "Sheet"
	}
	return s
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

var dateDirRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// parseDateDir returns the date a folder name stands for.
func parseDateDir(name string) (time.Time, bool) {
	if !dateDirRe.MatchString(name) {
		return time.Time{}, false
	}
	t, err := time.Parse(SnapshotDateLayout, name)
	return t, err == nil
}

// Snapshots returns the dates (YYYY-MM-DD) that dir holds a snapshot of,
// oldest first; none when dir does not exist.
func Snapshots(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	var dates []string
	for _, e := range entries {
		if _, ok := parseDateDir(e.Name()); ok && e.IsDir() {
			dates = append(dates, e.Name())
		}
	}
	sort.Strings(dates)
	return dates, nil
}

// snapshotFileRe matches the files a snapshot folder holds: the sources'
// workbooks, and temporary files left by an interrupted write.
var snapshotFileRe = regexp.MustCompile(`^(?:[^.].*\.xlsx|\..+\.xlsx\d+)$`)

// Prune removes old snapshots, keeping every snapshot that any of three
// measures keeps — so that neither a wrong run date nor a wrong clock can
// empty the history:
//
//   - by count: the newest keep snapshots;
//   - by age from the newest snapshot: those of the keep days up to the
//     newest snapshot's date;
//   - by age from the wall clock: those of the keep days up to now's date
//     (and any dated later).
//
// It removes only dated folders (YYYY-MM-DD) and in them only the
// workbooks a snapshot writes; a folder that still holds anything else is
// kept. Nothing else in dir is touched. It returns the folders removed.
func Prune(dir string, keep int, now time.Time) ([]string, error) {
	if keep < 1 {
		return nil, fmt.Errorf("prune snapshots: keep must be at least 1 day, not %d", keep)
	}
	dates, err := Snapshots(dir)
	if err != nil {
		return nil, err
	}
	if len(dates) == 0 {
		return nil, nil
	}
	y, m, d := now.Date()
	byClock := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(keep - 1))
	newest, _ := parseDateDir(dates[len(dates)-1])
	byNewest := newest.AddDate(0, 0, -(keep - 1))
	byCount := len(dates) - keep // dates[byCount:] are the newest keep
	var removed []string
	var errs []error
	for i, name := range dates {
		t, _ := parseDateDir(name)
		if i >= byCount || !t.Before(byNewest) || !t.Before(byClock) {
			continue
		}
		folder := filepath.Join(dir, name)
		if err := removeSnapshot(folder); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Remove(folder); err != nil {
			if !isNotEmpty(folder) {
				errs = append(errs, fmt.Errorf("remove snapshot %s: %w", folder, err))
			}
			continue // it holds files of someone else's: keep them
		}
		removed = append(removed, folder)
	}
	return removed, errors.Join(errs...)
}

// removeSnapshot removes the workbooks of a snapshot folder.
func removeSnapshot(folder string) error {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return fmt.Errorf("remove snapshot %s: %w", folder, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !snapshotFileRe.MatchString(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(folder, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove snapshot %s: %w", folder, err)
		}
	}
	return nil
}

func isNotEmpty(folder string) bool {
	entries, err := os.ReadDir(folder)
	return err == nil && len(entries) > 0
}

// FromSnapshot returns the sources as they were on date (YYYY-MM-DD): each
// configured source becomes the .xlsx workbook of that day's snapshot, to be
// validated or reported on like any other. When dir holds no snapshot of
// that date it fails with a *SourceError wrapping ErrNoSnapshot that names
// the dates available.
func FromSnapshot(dir, date string, sources []Source) ([]Source, error) {
	t, ok := parseDateDir(strings.TrimSpace(date))
	if !ok {
		return nil, fmt.Errorf("snapshot date %q: write it as YYYY-MM-DD, e.g. 2026-11-24", date)
	}
	day := t.Format(SnapshotDateLayout)
	folder := filepath.Join(dir, day)
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		dates, lerr := Snapshots(dir)
		if lerr != nil {
			return nil, lerr
		}
		return nil, &SourceError{Source: "snapshot", File: dir, Err: fmt.Errorf("%w of %s (%s)", ErrNoSnapshot, day, availableDates(dates))}
	}
	out := make([]Source, len(sources))
	for i, src := range sources {
		sheet := src.Sheet
		if src.Kind == "gsheets" && sheet != "" {
			sheet = excelSheetName(sheet)
		}
		sheets := append([]string(nil), src.Sheets...)
		if src.Kind == "gsheets" {
			for j, s := range sheets {
				if !strings.ContainsAny(s, "*?[") {
					sheets[j] = excelSheetName(s)
				}
			}
		}
		out[i] = Source{Name: src.Name, Kind: "xlsx", Path: filepath.Join(folder, src.Name+".xlsx"), Sheet: sheet, Sheets: sheets, ExcludeSheets: src.ExcludeSheets, Limits: src.Limits}
	}
	return out, nil
}

// availableDates says which snapshots exist, the latest ten at most.
func availableDates(dates []string) string {
	switch n := len(dates); {
	case n == 0:
		return "there are no snapshots yet; copsync sync makes them"
	case n == 1:
		return "the only snapshot is of " + dates[0]
	case n > 10:
		return fmt.Sprintf("snapshots exist of %s … %s (%d days); the latest: %s", dates[0], dates[n-1], n, strings.Join(dates[n-10:], ", "))
	}
	return "snapshots exist of " + strings.Join(dates, ", ")
}
