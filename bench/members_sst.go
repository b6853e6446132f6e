package bench

import (
	"archive/zip"
	"bufio"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

// WriteMembersSST writes the membership workbook WriteMembers writes (the
// same members for the same seed), with its texts as shared strings, as
// Excel writes them, rather than the inline strings of excelize's
// StreamWriter; the peers' readers are compared on it. It writes the zip
// package directly, in memory bounded by the shared strings.
func WriteMembersSST(path string, rows int, seed uint64) (err error) {
	rng := rand.New(rand.NewPCG(seed, 0x636f7073796e63))
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(out)
	add := func(name, data string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(data))
		return err
	}
	const (
		nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
		nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
		nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
		head   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	)
	fixed := []struct{ name, data string }{
		{"[Content_Types].xml", head + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", head + `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", head + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets><sheet name="Membres" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", head + `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/><Relationship Id="rId3" Type="` + nsRel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", head + `<styleSheet xmlns="` + nsMain + `"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`},
	}
	for _, p := range fixed {
		if err := add(p.name, p.data); err != nil {
			return err
		}
	}
	index := map[string]int{}
	var strs []string
	refs := 0
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(head + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><dimension ref="A1:H` + strconv.Itoa(rows+4) + `"/><sheetData>`)
	var buf []byte
	writeRow := func(num int, row []any) error {
		buf = append(buf[:0], `<row r="`...)
		buf = strconv.AppendInt(buf, int64(num), 10)
		buf = append(buf, `" spans="1:8">`...)
		for i, v := range row {
			ref := string(rune('A'+i)) + strconv.Itoa(num)
			switch v := v.(type) {
			case nil:
			case string:
				n, ok := index[v]
				if !ok {
					n = len(strs)
					index[v] = n
					strs = append(strs, v)
				}
				refs++
				buf = fmt.Appendf(buf, `<c r="%s" t="s"><v>%d</v></c>`, ref, n)
			case time.Time:
				serial := v.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
				buf = fmt.Appendf(buf, `<c r="%s" s="1"><v>%s</v></c>`, ref, strconv.FormatFloat(serial, 'f', -1, 64))
			default:
				return fmt.Errorf("cell %s: unexpected %T", ref, v)
			}
		}
		buf = append(buf, `</row>`...)
		_, err := bw.Write(buf)
		return err
	}
	if err := writeRow(1, []any{"Communauté de pratique du centre de services — liste des membres"}); err != nil {
		return err
	}
	if err := writeRow(2, []any{fmt.Sprintf("%d membres", rows)}); err != nil {
		return err
	}
	if err := writeRow(4, MembersHeader); err != nil {
		return err
	}
	if err := memberRows(rows, rng, writeRow); err != nil {
		return err
	}
	bw.WriteString(`</sheetData><mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	w, err = zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw = bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, head+`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, refs, len(strs))
	for _, s := range strs {
		bw.WriteString(`<si><t xml:space="preserve">`)
		bw.WriteString(html.EscapeString(s))
		bw.WriteString(`</t></si>`)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
