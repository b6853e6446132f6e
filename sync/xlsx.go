package sync

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// The errors only a workbook can fail with, for errors.Is (the others are
// in source.go).
var (
	ErrLockFile    = errors.New("the file is a lock file, not a workbook")
	ErrXLSB        = errors.New("the file is a binary .xlsb workbook, which copsync cannot read")
	ErrEmpty       = errors.New("the workbook is empty")
	ErrDamaged     = errors.New("the file is damaged or incomplete")
	ErrCellTooLong = errors.New("a cell holds more characters than a spreadsheet cell can")
)

// MaxCellChars is the most characters a spreadsheet cell can hold; a longer
// value means the file was not written by a spreadsheet program, and is
// reported rather than cut.
const MaxCellChars = 32767

// progressEvery is how many sheet rows pass between two progress reports
// (and two checks of the context).
const progressEvery = 4096

const saveAsXLSX = "save it as Excel Workbook (.xlsx)"

// sniff reads the first bytes of path and says what kind of file it is, so
// that an encrypted workbook, a legacy .xls, a lock file or a CSV renamed
// .xlsx gets a precise message instead of a zip error.
func sniff(name string) error {
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ErrNotFound
		}
		return fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("%w: it is a folder", ErrNotXLSX)
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	base := filepath.Base(name)
	switch {
	case n == 0:
		return fmt.Errorf("%w: the file is empty (0 bytes)", ErrNotXLSX)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return nil
	case strings.HasPrefix(base, "~$"):
		return fmt.Errorf("%w (Excel leaves %q beside a workbook while someone has it open); read %q instead",
			ErrLockFile, base, strings.TrimPrefix(base, "~$"))
	case strings.HasPrefix(base, ".~lock."):
		return fmt.Errorf("%w (LibreOffice leaves %q beside a workbook while someone has it open); read %q instead",
			ErrLockFile, base, strings.TrimSuffix(strings.TrimPrefix(base, ".~lock."), "#"))
	case excelOwnerFile(head):
		return fmt.Errorf("%w (its content is that of the \"~$\" file Excel leaves beside a workbook while someone has it open); read the workbook itself", ErrLockFile)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE compound file: either an encrypted OOXML package or a
		// legacy BIFF workbook. The encrypted one holds an EncryptionInfo
		// stream, named in UTF-16 in the directory.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, 64<<20))
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if bytes.Contains(data, utf16("EncryptionInfo")) || bytes.Contains(data, utf16("EncryptedPackage")) {
			return fmt.Errorf("%w; save a copy without a password", ErrEncrypted)
		}
		return fmt.Errorf("%w; %s", ErrLegacyXLS, saveAsXLSX)
	case bytes.HasPrefix(head, []byte("PK")):
		return fmt.Errorf("%w: the zip package is cut short or damaged (it does not start with a zip entry); copy or download it again", ErrDamaged)
	}
	return fmt.Errorf("%w: %s", ErrNotXLSX, describeContent(head))
}

// excelOwnerFile reports whether b is an Excel owner file ("~$name.xlsx"):
// the length of the user's name in one byte, the name padded with spaces
// to 54 bytes, the length again, a zero byte, then the name in UTF-16.
func excelOwnerFile(b []byte) bool {
	if len(b) < 57 {
		return false
	}
	n := int(b[0])
	if n == 0 || n > 54 || b[55] != byte(n) || b[56] != 0 || len(b) < 57+2*n {
		return false
	}
	for i := 1; i <= 54; i++ {
		c := b[i]
		if i <= n && c < 0x20 || i > n && c != ' ' && c != 0 {
			return false
		}
	}
	for i := 0; i < n; i++ {
		if b[57+2*i] < 0x20 && b[58+2*i] == 0 {
			return false
		}
	}
	return true
}

// describeContent names what a file that is not a zip package seems to be.
func describeContent(head []byte) string {
	lower := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	switch {
	case bytes.HasPrefix(lower, []byte("%pdf")):
		return "it is a PDF document"
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
		return "it is a web page (HTML), perhaps an export renamed .xlsx; " + saveAsXLSX
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "it is an XML file (perhaps an Excel 2003 XML spreadsheet renamed .xlsx); " + saveAsXLSX
	case isText(head):
		return "it is a text file (perhaps a CSV file renamed .xlsx); open it and " + saveAsXLSX
	}
	return "it is not a zip package"
}

// isText reports whether b looks like text in UTF-8 or a single-byte
// encoding such as Windows-1252: no control bytes other than white space.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			return false
		}
	}
	return true
}

func utf16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// limitsOf returns the limits with defaults filled in.
func limitsOf(lim Limits) Limits {
	if lim.UnzipSize <= 0 {
		lim.UnzipSize = DefaultUnzipSize
	}
	if lim.UnzipXMLSize <= 0 {
		lim.UnzipXMLSize = DefaultUnzipXMLSize
	}
	if lim.UnzipXMLSize > lim.UnzipSize {
		lim.UnzipXMLSize = lim.UnzipSize
	}
	return lim
}

// byteSize writes n bytes for a person: 3.0 GiB, 512 KiB, 12 bytes.
func byteSize(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " bytes"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// inspectPackage checks the zip package before the spreadsheet library
// reads it: the size it inflates to (from the zip directory, before
// inflating anything), what kind of package it is (an .xlsx, or an .xlsb,
// a Word document, an OpenDocument file…), and that no XML part declares a
// DOCTYPE (entity bombs, external entities). It inflates only the first
// bytes of each part; verifyParts checks the rest.
func inspectPackage(name string, lim Limits) error {
	zr, err := zip.OpenReader(name)
	if err != nil && zr == nil {
		return fmt.Errorf("%w: the zip package is cut short or damaged (%v); copy or download it again", ErrDamaged, err)
	}
	defer zr.Close()
	if len(zr.File) == 0 {
		return fmt.Errorf("%w: it is an empty zip archive", ErrNotXLSX)
	}
	var total uint64
	parts := make(map[string]*zip.File, len(zr.File))
	for i, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > uint64(lim.UnzipSize) || total > uint64(lim.UnzipSize) {
			for _, g := range zr.File[i+1:] {
				total += g.UncompressedSize64
			}
			return fmt.Errorf("%w: it would inflate to %s, more than the %s allowed",
				ErrTooLarge, byteSize(total), byteSize(uint64(lim.UnzipSize)))
		}
		parts[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	if err := packageKind(parts); err != nil {
		return err
	}
	head := make([]byte, 4<<10)
	for _, f := range zr.File {
		if err := checkDoctype(f, head); err != nil {
			return err
		}
	}
	return nil
}

// packageKind makes sure the zip package is a workbook: it names the
// other kinds of zip-based files people save as .xlsx by mistake.
func packageKind(parts map[string]*zip.File) error {
	switch {
	case parts["xl/workbook.bin"] != nil:
		return fmt.Errorf("%w; %s", ErrXLSB, saveAsXLSX)
	case parts["word/document.xml"] != nil:
		return fmt.Errorf("%w: it is a Word document (.docx)", ErrNotXLSX)
	case parts["ppt/presentation.xml"] != nil:
		return fmt.Errorf("%w: it is a PowerPoint presentation (.pptx)", ErrNotXLSX)
	case parts["mimetype"] != nil && parts["content.xml"] != nil:
		return fmt.Errorf("%w: it is an OpenDocument file (such as .ods); %s", ErrNotXLSX, saveAsXLSX)
	}
	rels := parts["_rels/.rels"]
	if rels == nil {
		return fmt.Errorf("%w: it is a zip archive, not an Office Open XML package (it has no _rels/.rels part)", ErrNotXLSX)
	}
	target, err := officeDocument(rels)
	if err != nil {
		return fmt.Errorf("%w: part %q: %v", ErrMalformed, rels.Name, err)
	}
	if target == "" {
		return fmt.Errorf("%w: part %q names no workbook", ErrMalformed, rels.Name)
	}
	target = strings.ToLower(strings.TrimPrefix(path.Clean("/"+target), "/"))
	switch {
	case strings.HasSuffix(target, ".bin"):
		return fmt.Errorf("%w; %s", ErrXLSB, saveAsXLSX)
	case parts[target] == nil:
		return fmt.Errorf("%w: the workbook part %q named by _rels/.rels is missing", ErrMalformed, target)
	}
	// The workbook's own relationships say where its sheets are.
	wbRels := path.Join(path.Dir(target), "_rels", path.Base(target)+".rels")
	wr := parts[wbRels]
	if wr == nil {
		return fmt.Errorf("%w: part %q is missing, so the workbook's sheets cannot be found", ErrMalformed, wbRels)
	}
	if _, err := officeDocument(wr); err != nil {
		return fmt.Errorf("%w: part %q: %v", ErrMalformed, wr.Name, err)
	}
	return nil
}

// officeDocument returns the target of the package's main relationship.
func officeDocument(f *zip.File) (string, error) {
	if f.UncompressedSize64 > 1<<20 {
		return "", errors.New("too large for a relationships part")
	}
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var rels struct {
		XMLName xml.Name
		Rel     []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&rels); err != nil {
		return "", fmt.Errorf("not valid XML (%v)", err)
	}
	if rels.XMLName.Local != "Relationships" {
		return "", fmt.Errorf("holds <%s>, not <Relationships>", rels.XMLName.Local)
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			return r.Target, nil
		}
	}
	return "", nil
}

// damagedPart is the error of a part that does not inflate as its zip
// entry says it should.
func damagedPart(f *zip.File, err error) error {
	return fmt.Errorf("%w: part %q is corrupt (%v); copy or download the file again", ErrDamaged, f.Name, err)
}

// checkDoctype refuses an XML part whose start declares a DOCTYPE.
func checkDoctype(f *zip.File, buf []byte) error {
	lower := strings.ToLower(f.Name)
	if f.FileInfo().IsDir() || !strings.HasSuffix(lower, ".xml") && !strings.HasSuffix(lower, ".rels") {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return damagedPart(f, err)
	}
	defer rc.Close()
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return damagedPart(f, err)
	}
	if hasDoctype(buf[:n]) {
		return fmt.Errorf("%w: part %q declares a DOCTYPE, which spreadsheet programs never write (an XML entity bomb?)", ErrMalformed, f.Name)
	}
	return nil
}

// verifyParts inflates every part of the package once, into a small
// buffer, and checks its size and checksum: the spreadsheet library
// ignores a part that fails them and reads what it got, so a truncated or
// corrupted file would otherwise be read short without a word.
func verifyParts(ctx context.Context, name string) error {
	return verifyAndFindMerges(ctx, name, nil)
}

// verifyAndFindMerges verifies every part as verifyParts does and, when
// merges is not nil, records the merged ranges of each worksheet part as it
// inflates it: one pass over the package serves both.
func verifyAndFindMerges(ctx context.Context, name string, merges map[string][]validate.Merge) error {
	zr, err := zip.OpenReader(name)
	if err != nil && zr == nil {
		return fmt.Errorf("%w: the zip package is cut short or damaged (%v); copy or download it again", ErrDamaged, err)
	}
	defer zr.Close()
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		if merges != nil && isWorksheetPart(f.Name) {
			m, err := verifyWorksheet(ctx, f)
			if err != nil {
				return err
			}
			merges[f.Name] = m
			continue
		}
		if err := verifyPart(ctx, f, buf); err != nil {
			return err
		}
	}
	return nil
}

// isWorksheetPart reports whether a part name is a worksheet's.
func isWorksheetPart(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	return strings.Contains(n, "worksheets/") && strings.HasSuffix(n, ".xml")
}

// verifyWorksheet inflates a worksheet part to its end (which checks its
// checksum) and returns its merged ranges.
func verifyWorksheet(ctx context.Context, f *zip.File) ([]validate.Merge, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damagedPart(f, err)
	}
	defer rc.Close()
	m, err := findMerges(ctxReader{ctx, rc})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, damagedPart(f, err)
	}
	return m, nil
}

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func verifyPart(ctx context.Context, f *zip.File, buf []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.FileInfo().IsDir() {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return damagedPart(f, err)
	}
	defer rc.Close()
	for i := 1; err == nil; i++ {
		if i%256 == 0 {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
		}
		_, err = io.ReadFull(rc, buf)
	}
	if err != io.EOF && err != io.ErrUnexpectedEOF {
		return damagedPart(f, err)
	}
	return nil
}

// hasDoctype reports whether the start of an XML document declares a
// document type; only comments, processing instructions and white space
// may come before it.
func hasDoctype(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return false
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b, []byte("-->"))
			if i < 0 {
				return false
			}
			b = b[i+3:]
		default:
			return bytes.HasPrefix(b, []byte("<!DOCTYPE")) || bytes.HasPrefix(b, []byte("<!doctype"))
		}
	}
}

// checkFile checks a workbook file before the spreadsheet library opens
// it: what kind of file it is, then its zip package.
func checkFile(name string, lim Limits) error {
	if err := sniff(name); err != nil {
		return err
	}
	return inspectPackage(name, lim)
}

// openXLSX checks a workbook file, verifies its parts, and opens it.
func openXLSX(ctx context.Context, name string, lim Limits) (*excelize.File, error) {
	lim = limitsOf(lim)
	if err := checkFile(name, lim); err != nil {
		return nil, err
	}
	if err := verifyParts(ctx, name); err != nil {
		return nil, err
	}
	return openWorkbook(name, lim)
}

// openWorkbook opens a checked workbook read-only with the spreadsheet
// library, turning its failures into the package's errors.
func openWorkbook(name string, lim Limits) (f *excelize.File, err error) {
	defer guard(&err)
	f, err = excelize.OpenFile(name, excelize.Options{UnzipSizeLimit: lim.UnzipSize, UnzipXMLSizeLimit: lim.UnzipXMLSize})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, libraryError(err)
	}
	return f, nil
}

// guard turns a panic inside the spreadsheet library into ErrMalformed.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %s", ErrMalformed, oneLine(fmt.Sprint(r)))
	}
}

// libraryError turns an error of the spreadsheet library into the
// package's errors; where, when not empty, says where it happened ("row
// 12").
func libraryError(err error, where ...string) error {
	msg := oneLine(err.Error())
	if len(where) > 0 && where[0] != "" {
		msg = where[0] + ": " + msg
	}
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword), errors.Is(err, excelize.ErrWorkbookFileFormat) && strings.Contains(msg, "encrypt"):
		return fmt.Errorf("%w; save a copy without a password", ErrEncrypted)
	case strings.Contains(msg, "unzip size exceeds") || strings.Contains(msg, "size limit"):
		return fmt.Errorf("%w: %s", ErrTooLarge, msg)
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %s", ErrNotXLSX, msg)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm):
		return fmt.Errorf("%w: %s", ErrDamaged, msg)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: a part ends too early", ErrMalformed)
	}
	return fmt.Errorf("%w: %s", ErrMalformed, msg)
}

// worksheets returns the names of the workbook's sheets that can be read,
// in order. A workbook that lists sheets whose parts are missing is
// damaged.
func worksheets(f *excelize.File) (out []string, err error) {
	defer guard(&err)
	listed := f.GetSheetList()
	for _, name := range listed {
		if _, err := f.GetSheetDimension(name); err != nil {
			continue
		}
		out = append(out, name)
	}
	if len(listed) == 0 {
		return nil, fmt.Errorf("%w: it has no sheets", ErrEmpty)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the workbook lists %s but holds none of them", ErrMalformed, quoteList(listed))
	}
	return out, nil
}

// worksheetsHoldValues reports whether any worksheet part of the package
// holds a cell value, by looking for value elements in its XML; it tells a
// truly empty workbook from one whose cells the library could not read.
func worksheetsHoldValues(name string) (bool, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return false, err
	}
	defer zr.Close()
	marks := [][]byte{[]byte("<v>"), []byte(":v>"), []byte("<is>"), []byte(":is>")}
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		n := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.Contains(n, "worksheets/") || !strings.HasSuffix(n, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false, err
		}
		keep := 0
		for {
			m, rerr := io.ReadFull(rc, buf[keep:])
			chunk := buf[:keep+m]
			for _, mark := range marks {
				if bytes.Contains(chunk, mark) {
					rc.Close()
					return true, nil
				}
			}
			if rerr != nil {
				break
			}
			keep = copy(buf, chunk[len(chunk)-8:])
		}
		rc.Close()
	}
	return false, nil
}

// rowRefs builds the A1 addresses of a row's cells in one allocation, with
// the column letters computed once per column.
type rowRefs struct {
	cols []string // column letters by 0-based column
	buf  []byte
	s    string
	off  []int // where each cell's address ends in s
}

func (r *rowRefs) row(num, cells int) {
	for len(r.cols) < cells {
		r.cols = append(r.cols, validate.ColumnName(len(r.cols)))
	}
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(num), 10)
	r.buf, r.off = r.buf[:0], r.off[:0]
	for i := 0; i < cells; i++ {
		r.buf = append(append(r.buf, r.cols[i]...), d...)
		r.off = append(r.off, len(r.buf))
	}
	r.s = string(r.buf)
}

func (r *rowRefs) ref(i int) string {
	start := 0
	if i > 0 {
		start = r.off[i-1]
	}
	return r.s[start:r.off[i]]
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no sheets"
	}
	if len(names) > 12 {
		names = append(names[:12:12], fmt.Sprintf("and %d more", len(names)-12))
		return "sheets " + strings.Join(quoteStrings(names[:12]), ", ") + " " + names[12]
	}
	return "sheets " + strings.Join(quoteStrings(names), ", ")
}

func quoteStrings(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		if v == "…" {
			out[i] = v
			continue
		}
		out[i] = strconv.Quote(v)
	}
	return out
}
