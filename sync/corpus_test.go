package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copsync/validate"
)

// corpusDir holds third-party workbooks (see its SOURCES.md), in the
// project's shared workspace only: a user's own clone has none.
const corpusDir = "../../shared/corpus/xlsx"

// corpusFiles returns the corpus's files, or skips the test when the corpus
// is absent.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("the third-party workbook corpus %s is absent (it exists only beside the project's shared workspace): %v", corpusDir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || strings.EqualFold(filepath.Ext(e.Name()), ".md") {
			continue
		}
		out = append(out, filepath.Join(corpusDir, e.Name()))
	}
	if len(out) == 0 {
		t.Skipf("the corpus %s holds no files", corpusDir)
	}
	return out
}

// corpusTimeout bounds the reading of one corpus file, so that a hang fails
// the test instead of stalling it. The largest file reads in well under a
// second.
const corpusTimeout = 60 * time.Second

// withTimeout runs fn in a goroutine under a context with a deadline; it
// reports a panic or a hang as a test error.
func withTimeout(t *testing.T, what string, fn func(ctx context.Context) error) (err error, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), corpusTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- fn(ctx)
	}()
	select {
	case err := <-done:
		if err != nil && strings.HasPrefix(err.Error(), "panic: ") {
			t.Errorf("%s: %v", what, err)
			return err, false
		}
		return err, true
	case <-time.After(corpusTimeout + 5*time.Second):
		t.Errorf("%s: still reading after %v", what, corpusTimeout)
		return nil, false
	}
}

// readEverySheet reads every row of every sheet of a workbook, header or
// not, so that the corpus exercises the row reader on all its cells. It
// returns the first non-blank cell read, as "A1 text".
func readEverySheet(ctx context.Context, path string) (first string, err error) {
	f, err := openXLSX(ctx, path, Limits{})
	if err != nil {
		return "", &SourceError{Source: "corpus", File: path, Err: err}
	}
	defer f.Close()
	sheets, err := worksheets(f)
	if err != nil {
		return "", &SourceError{Source: "corpus", File: path, Err: err}
	}
	for _, s := range sheets {
		err := scan(ctx, f, s, 0, func(r validate.Row) {
			for i, c := range r.Cells {
				if c.Ref != validate.CellRef(i, r.Num) {
					panic(fmt.Sprintf("cell %d of row %d has the address %q", i, r.Num, c.Ref))
				}
				if first == "" && !c.Value.IsBlank() {
					first = c.Ref + " " + c.Value.Text
				}
			}
		}, func(int, bool) {})
		if err != nil {
			return first, &SourceError{Source: "corpus", File: path, Sheet: s, Err: err}
		}
	}
	return first, nil
}

// corpusExpect is what reading a corpus file must give: an error wrapping
// err, whose message holds text; or, with err nil, every sheet read and the
// first text read equal to first (when not empty).
type corpusExpect struct {
	err   error
	text  string
	first string
}

// corpusExpected are the corpus files with something to recognise, by name
// (see SOURCES.md); every other file must read without error.
var corpusExpected = map[string]corpusExpect{
	"excelize__encryptAES.xlsx":                                {err: ErrEncrypted, text: "password"},
	"excelize__encryptSHA512.xlsx":                             {err: ErrEncrypted, text: "password"},
	"calamine__pass_protected.xlsx":                            {err: ErrEncrypted, text: "password"},
	"poi__protected_passtika.xlsx":                             {err: ErrEncrypted, text: "password"},
	"poi__crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx": {err: ErrEncrypted, text: "password"},
	"poi__SampleSS.xls":                                        {err: ErrLegacyXLS, text: "97-2003"},
	"poi__Simple.xlsb":                                         {err: ErrXLSB, text: ".xlsb"},
	"exceljs__~$fibonacci.xlsx":                                {err: ErrLockFile, text: "lock file"},
	"poi__clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx": {err: ErrDamaged, text: "cut short"},
	"poi__clusterfuzz-testcase-minimized-POIXSSFFuzzer-5185049589579776.xlsx":  {err: ErrDamaged, text: "cut short"},
	"excelize__BrokenFile.SaveAsEmptyStruct.xlsx":                              {err: ErrNotXLSX, text: "empty zip"},
	"exceljs__missing-bits.xlsx":                                               {err: ErrNotXLSX, text: "_rels/.rels"},
	"poi__xlsx-corrupted.xlsx":                                                 {err: ErrMalformed, text: `"_rels/.rels"`},
	"excelize__CorruptedRel.xlsx":                                              {err: ErrMalformed, text: "workbook.xml.rels"},
	"excelize__WorkbookWithoutRel.xlsx":                                        {err: ErrMalformed, text: "workbook.xml.rels"},
	"tealeg__badfile_noWorksheets.xlsx":                                        {err: ErrMalformed, text: "holds none of them"},
	"poi__poc-xmlbomb.xlsx":                                                    {err: ErrMalformed, text: "DOCTYPE"},
	"poi__poc-shared-strings.xlsx":                                             {err: ErrMalformed, text: `cell "A0"`},
	"excelize__BadWorkbook.xlsx":                                               {err: ErrEmpty, text: "no sheets"},
	"calamine__strict_iso_paths.xlsx":                                          {first: "A1 Item"},
	"poi__SampleSS.strict.xlsx":                                                {first: "A1 Test spreadsheet"},
	"xlsxwriter__macro01.xlsm":                                                 {first: "A1 123"},
	"xlsxwriter__utf8_03.xlsx":                                                 {first: "A1 Café"},
	"calamine__header-row.xlsx":                                                {first: "C3 Note 1"},
}

// corpusWhenValidated are the errors the corpus files give when validated
// as a source, beyond the header not being found.
var corpusWhenValidated = map[string]error{
	"excelize__EmptyWorkbook.xlsx": ErrEmpty,
	"exceljs__test-issue-99.xlsx":  ErrEmpty,
	"poi__57893-many-merges.xlsx":  ErrEmpty,
	"tealeg__testlargefile.xlsx":   ErrEmpty,
}

// TestCorpus reads every file of the third-party corpus, as the membership
// and as the issues source with a validator, and sheet by sheet: each
// gives a result or a one-line *SourceError — never a panic, never a hang.
func TestCorpus(t *testing.T) {
	cat := catalogue(t)
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, listed := corpusExpected[name]
			start := time.Now()
			first, err := func() (string, error) {
				var first string
				err, _ := withTimeout(t, "every sheet", func(ctx context.Context) error {
					var err error
					first, err = readEverySheet(ctx, path)
					return err
				})
				return first, err
			}()
			switch {
			case want.err != nil:
				se := checkSourceError(t, err, path, "", want.err)
				if !strings.Contains(se.Error(), want.text) {
					t.Errorf("message %q lacks %q", se.Error(), want.text)
				}
			case err != nil:
				t.Errorf("every sheet: %v", err)
			case want.first != "" && first != want.first:
				t.Errorf("first text %q, want %q", first, want.first)
			}
			t.Logf("every sheet in %v: first %q, %v", time.Since(start).Round(time.Millisecond), first, err)

			for _, source := range []string{validate.SourceMembers, validate.SourceIssues} {
				v := validate.New(validate.DefaultRules(), cat)
				err, ok := withTimeout(t, source, func(ctx context.Context) error {
					return Read(ctx, Source{Name: source, Path: path}, v.Schema(source), v.Table)
				})
				if !ok {
					continue
				}
				if err == nil {
					res := v.Result()
					t.Logf("%s: %d findings", source, len(res.Findings))
					continue
				}
				se := checkSourceError(t, err, path, "", nil)
				switch {
				case listed && want.err != nil:
					if !errors.Is(err, want.err) {
						t.Errorf("%s: %v, want %v", source, err, want.err)
					}
				case corpusWhenValidated[name] != nil:
					if !errors.Is(err, corpusWhenValidated[name]) {
						t.Errorf("%s: %v, want %v", source, err, corpusWhenValidated[name])
					}
				case !errors.Is(err, ErrHeaderNotFound):
					t.Errorf("%s: %v, want a result or the header not found", source, err)
				}
				t.Logf("%s: %s", source, se.Error())
			}
		})
	}
}

// TestCorpusRefusedCheaply checks that the lock file and the XML entity
// bomb are refused before the spreadsheet library parses anything: reading
// them allocates next to nothing.
func TestCorpusRefusedCheaply(t *testing.T) {
	corpusFiles(t)
	for _, name := range []string{"exceljs__~$fibonacci.xlsx", "poi__poc-xmlbomb.xlsx"} {
		path := filepath.Join(corpusDir, name)
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var err error
		alloc := allocated(func() { _, err = readTable(t, path, validate.SourceMembers, "") })
		checkSourceError(t, err, path, "", nil)
		if alloc > 4<<20 {
			t.Errorf("%s: refusing it allocated %d bytes", name, alloc)
		}
	}
}
