package validate

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// fuzzWords are seeds for the normalisers: the reference names, aliases and
// header titles, and values people write.
func fuzzWords() []string {
	words := []string{"", " ", "\u00a0Québec\u00a0", "QC", "qc", "C.-B.", "Î.-P.-É.", "Terre-Neuve-et-Labrador",
		"Albreta", "Nunavut ", "T.N.-O.", "Prov.", "Fédéral", "municipalité", "ß", "İstanbul", "ǅ", "\xff\xfe",
		"l’Île", "P&E", "..", "'", "a\tb\nc", "Ontario & Québec", "ﬁ", strings.Repeat("é", 100)}
	for _, j := range Jurisdictions {
		words = append(words, j.Code, j.EN, j.FR, j.FRArticle)
		words = append(words, j.Aliases...)
	}
	for _, o := range DefaultOrders {
		words = append(words, o.Code, o.EN, o.FR)
		words = append(words, o.Aliases...)
	}
	for _, s := range DefaultSchemas() {
		for _, f := range s.Fields {
			words = append(words, f.Aliases...)
		}
	}
	return words
}

// foldReference is Fold as first written, without its ASCII fast path:
// the fast path must not change a result.
func foldReference(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		r = unicode.ToLower(r)
		if rep, ok := foldRunes[r]; ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(rep)
			continue
		}
		if r == '&' {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '’' || r == '`' || r == '.' {
			continue
		}
		space = true
	}
	return b.String()
}

func FuzzFoldKey(f *testing.F) {
	for _, w := range fuzzWords() {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fold, key := Fold(s), Key(s)
		if ref := foldReference(s); fold != ref {
			t.Errorf("Fold(%q) = %q, want %q", s, fold, ref)
		}
		if Fold(fold) != fold {
			t.Errorf("Fold(%q) = %q, not idempotent: %q", s, fold, Fold(fold))
		}
		if Key(key) != key {
			t.Errorf("Key(%q) = %q, not idempotent: %q", s, key, Key(key))
		}
		if strings.Contains(key, " ") || key != strings.ReplaceAll(fold, " ", "") {
			t.Errorf("Key(%q) = %q, Fold = %q", s, key, fold)
		}
		if fold != strings.TrimSpace(fold) || strings.Contains(fold, "  ") {
			t.Errorf("Fold(%q) = %q has stray spaces", s, fold)
		}
		if utf8.ValidString(s) && !utf8.ValidString(fold) {
			t.Errorf("Fold(%q) = %q is not valid UTF-8", s, fold)
		}
		if Key(" "+s+"\u00a0 ") != key || Key(strings.ReplaceAll(s, " ", "  ")) != key {
			t.Errorf("Key(%q) depends on spacing", s)
		}
	})
}

func FuzzJurisdiction(f *testing.F) {
	for _, w := range fuzzWords() {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, ok := LookupJurisdiction(s)
		if ok {
			if _, known := JurisdictionByCode(j.Code); !known {
				t.Fatalf("%q found %+v, not a known code", s, j)
			}
			// A jurisdiction found is found again by each of its names.
			names := append([]string{j.Code, j.EN, j.FR, j.FRArticle, strings.ToLower(j.EN)}, j.Aliases...)
			if !strings.Contains(Fold(s), " ") {
				// One word keyed is the same word. Several words are
				// matched word by word ("Bri C": the beginnings of
				// British Columbia's words), which their key run
				// together ("bric") is not.
				names = append(names, Key(s))
			}
			for _, name := range names {
				if k, ok := LookupJurisdiction(name); !ok || k.Code != j.Code {
					t.Errorf("%q found %s, but its name %q finds %s (%v)", s, j.Code, name, k.Code, ok)
				}
			}
			return
		}
		if Key(s) != "" {
			if _, ok := LookupJurisdiction(Key(s)); ok {
				t.Errorf("%q is unknown, but its key %q is known", s, Key(s))
			}
		}
		sg := SuggestJurisdiction(s)
		if k, ok := LookupJurisdiction(sg.EN); !ok || k.Code != sg.Code {
			t.Errorf("suggestion %+v for %q is not a jurisdiction", sg, s)
		}
	})
}

func FuzzOrders(f *testing.F) {
	for _, w := range fuzzWords() {
		f.Add(w, "")
	}
	f.Add("Autochtone", "Gouvernement autochtone")
	f.Fuzz(func(t *testing.T, s, extraAlias string) {
		orders := NewOrders([]Order{{Code: "indigenous", EN: "Indigenous", FR: "Autochtone", Aliases: []string{extraAlias}}})
		o, ok := orders.Lookup(s)
		if ok {
			if byCode, known := orders.ByCode(o.Code); !known || byCode.Code != o.Code {
				t.Fatalf("%q found %+v, not a known order", s, o)
			}
			names := []string{o.Code, o.EN, o.FR}
			if _, byKey := orders.byKey[Key(s)]; byKey {
				// Found whole, not word by word: its letters run together
				// find it too.
				names = append(names, Key(s))
			}
			for _, name := range names {
				if name == "" {
					continue
				}
				if p, ok := orders.Lookup(name); !ok {
					t.Errorf("%q found %s, but its name %q finds nothing", s, o.Code, name)
				} else if p.Code != o.Code && Key(name) != Key(extraAlias) {
					t.Errorf("%q found %s, but its name %q finds %s", s, o.Code, name, p.Code)
				}
			}
			return
		}
		sg := orders.Suggest(s)
		if _, known := orders.ByCode(sg.Code); !known {
			t.Errorf("suggestion %+v for %q is not an order", sg, s)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2022-10-15", "2022/10/15", "15 octobre 2022", "le 1er février 2023", "October 15, 2022",
		"10/11/2022", "31 février 2023", "2024-02-29", "0001-01-01", "9999-12-31T23:59:59Z", "le le 1er", "15 15 2022"} {
		f.Add(s, 0.0, uint8(String), false)
	}
	for _, n := range []float64{1, 59, 60, 61, 44849, 2958465, 2958466, -1, 0.5, math.NaN(), math.Inf(1), 1e300} {
		f.Add("", n, uint8(Number), false)
		f.Add("", n, uint8(Number), true)
	}
	f.Fuzz(func(t *testing.T, s string, num float64, kind uint8, date1904 bool) {
		v := Value{Kind: Kind(kind % 6), Text: s, Num: num}
		d, ok := ParseDate(v, date1904)
		if !ok {
			if !d.IsZero() {
				t.Errorf("ParseDate(%+v) failed but returned %v", v, d)
			}
			return
		}
		if d.Location() != time.UTC || d.Year() < 1899 || d.Year() > 9999 {
			t.Errorf("ParseDate(%+v) = %v", v, d)
		}
		switch v.Kind {
		case String:
			if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Errorf("ParseDate(%q) = %v, not a day", s, d)
			}
			// A date read from text is read again from its ISO form.
			if e, ok := ParseDate(Value{Kind: String, Text: d.Format("2006-01-02")}, date1904); !ok || !e.Equal(d) {
				t.Errorf("ParseDate(%q) = %v, but its ISO form reads %v (%v)", s, d, e, ok)
			}
		case Number:
			// The serial number of the day found is the number's whole
			// part (the 1900 system's phantom 29 February aside).
			base, days := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), 0.0
			if date1904 {
				base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			days = float64((time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Unix() - base.Unix()) / 86400)
			if !date1904 && days >= 60 {
				days++
			}
			whole := math.Floor(num)
			frac := num - whole
			if math.Round(frac*86400) == 86400 {
				whole++ // rounded up to the next day
			}
			if days != whole && !(!date1904 && whole == 60) {
				t.Errorf("serial %v (1904: %v) read as %v, whose serial is %v", num, date1904, d, days)
			}
		}
	})
}

// validEmailReference is ValidEmail as first written (splitting the
// domain into its labels): the faster one must agree with it.
func validEmailReference(s string) bool {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if r <= ' ' || r >= 0x7f && r < 0xa0 || strings.ContainsRune("@<>()[]\\,;:\"", r) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f) {
				return false
			}
		}
		if i == len(labels)-1 {
			for _, r := range l {
				if r >= '0' && r <= '9' {
					return false
				}
			}
			if len(l) < 2 {
				return false
			}
		}
	}
	return true
}

func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"ann.lee@gov.mb.ca", "Marie.Tremblay@MCN.gouv.qc.ca", "a@b.c", "a@b.ca", "@gov.ca", "ann@", "ann lee@gov.ca",
		"ann..lee@gov.ca", "ann@gov..ca", "ann@-gov.ca", "\"ann\"@gov.ca", "ann@gov.ca ", "Ann <ann@gov.ca>", "anné@québec.ca", "a@b@c.ca",
		"ann@gov.c1", "ann@gov.ca-", "ann@gov.", "ann@.gov.ca", "ann@gov", "a\x80@b.ca", "a@b\xff.ca", "a@\xc3\xa9.c\xc3\xa9", "a\u0085b@gov.ca", "ann@gov-.ca"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidEmail(s), validEmailReference(s); got != want {
			t.Fatalf("ValidEmail(%q) = %v, the reference says %v", s, got, want)
		}
		if !ValidEmail(s) {
			return
		}
		trimmed := strings.TrimSpace(s)
		at := strings.LastIndexByte(trimmed, '@')
		if at <= 0 || len(trimmed) > 254 || strings.ContainsAny(trimmed, " \t\r\n<>,;\"") {
			t.Errorf("ValidEmail(%q) is true", s)
		}
		if !strings.Contains(trimmed[at+1:], ".") {
			t.Errorf("ValidEmail(%q) is true without a dot in the domain", s)
		}
		// Upper-case the ASCII letters byte by byte (strings.Map would
		// also rewrite invalid UTF-8).
		b := []byte(s)
		for i, c := range b {
			if c >= 'a' && c <= 'z' {
				b[i] = c - 'a' + 'A'
			}
		}
		upper := string(b)
		if !ValidEmail(upper) || !ValidEmail(" "+s+"\t") {
			t.Errorf("ValidEmail(%q) depends on case or surrounding space", s)
		}
	})
}

func FuzzDetectHeader(f *testing.F) {
	f.Add("Communauté de pratique\n\nNom\tCourriel\tStatut\nAnn\tann@gov.mb.ca\tActif")
	f.Add("Issue\tCriticality\tIncidence\tAction plan\nNo NU\t\t\tAsk")
	f.Add("  Nom  \tCOURRIEL\u00a0\tNom\n")
	f.Add(strings.Repeat("\n", 19) + "Name\tEmail")
	f.Add(strings.Repeat("\n", 20) + "Name\tEmail")
	schemas := DefaultSchemas()
	f.Fuzz(func(t *testing.T, data string) {
		var rows [][]string
		for _, line := range strings.SplitN(data, "\n", 30) {
			rows = append(rows, strings.Split(line, "\t"))
		}
		for _, s := range schemas {
			h, err := DetectHeader(rows, s)
			if err != nil {
				he, ok := err.(*HeaderError)
				if !ok || strings.Contains(err.Error(), "\n") {
					t.Fatalf("%s: error %q (%T)", s.Source, err, err)
				}
				if he.Source != s.Source {
					t.Errorf("error for %q names %q", s.Source, he.Source)
				}
				continue
			}
			if h.Row < 1 || h.Row > HeaderRows || h.Row > len(rows) {
				t.Fatalf("%s: header row %d of %d", s.Source, h.Row, len(rows))
			}
			row := rows[h.Row-1]
			if HeaderScore(row, s) < 2 {
				t.Errorf("%s: header row %d scores %d", s.Source, h.Row, HeaderScore(row, s))
			}
			used := map[string]bool{}
			anchor := false
			for _, c := range h.Columns {
				if c.Index < 0 || c.Index >= len(row) || c.Title == "" || c.Title != strings.TrimSpace(c.Title) {
					t.Errorf("%s: column %+v of row %q", s.Source, c, row)
				}
				if c.Field == "" {
					continue
				}
				if used[c.Field] {
					t.Errorf("%s: field %s mapped twice", s.Source, c.Field)
				}
				used[c.Field] = true
				if h.Col(c.Field) != c.Index {
					t.Errorf("%s: Col(%s) = %d, want %d", s.Source, c.Field, h.Col(c.Field), c.Index)
				}
				for _, a := range s.Anchors {
					anchor = anchor || a == c.Field
				}
			}
			if !anchor {
				t.Errorf("%s: header %+v has no anchor field", s.Source, h)
			}
		}
	})
}
