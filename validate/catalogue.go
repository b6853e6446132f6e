package validate

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Languages are the languages every message exists in.
var Languages = []string{"en", "fr"}

// Catalogue holds every text that a person reads, in English and French,
// keyed by a namespaced name ("finding.issue.incomplete", "report.heading.
// coverage"). Texts may hold {placeholders}. French texts are set in French
// typography (see French) when the catalogue is parsed.
type Catalogue struct {
	keys  map[string]entry
	texts []message // every key's texts, entry by entry
}

// entry locates a key's texts in Catalogue.texts, and remembers where the
// key was defined, for errors.
type entry struct {
	first, n int32 // texts[first : first+n], one per language
	file     int32 // index of the file among those parsed
	off      int32 // byte offset of the key in its file
}

// message is one text in one language: a single form, or the singular and
// plural forms chosen by the parameter "count".
type message struct {
	lang       string
	one, other string
	plural     bool
}

// of returns the texts of key, one per language, and whether key exists.
func (c *Catalogue) of(key string) ([]message, bool) {
	e, ok := c.keys[key]
	if !ok {
		return nil, false
	}
	return c.texts[e.first : e.first+e.n], true
}

// lookup returns the text in lang among texts.
func lookup(texts []message, lang string) (message, bool) {
	for _, t := range texts {
		if t.lang == lang {
			return t, true
		}
	}
	return message{}, false
}

// CatalogueFile is one file of the message catalogue: its name, which
// errors give, and its content, a JSON object as ParseCatalogueFiles reads.
type CatalogueFile struct {
	Name string // as errors give it: "templates/messages.json"
	Data []byte // the file's content, which is not changed
}

// ParseCatalogue parses a catalogue held in one file; see
// ParseCatalogueFiles. Its errors name the file "catalogue".
func ParseCatalogue(data []byte) (*Catalogue, error) {
	return ParseCatalogueFiles(CatalogueFile{Name: "catalogue", Data: data})
}

// ParseCatalogueFiles parses the files of a catalogue and merges them. Each
// file is a JSON object of the form {"key": {"en": "…", "fr": "…"}}. A text
// may instead be an object of plural forms, {"one": "…", "other": "…"},
// chosen by the parameter "count": in English "one" is for 1 only, in French
// for 0 and 1. Nothing else is accepted: no other kind of value, no key twice
// in an object, no key in two files, nothing after the object; an error names
// the file, the line and column, and what was expected there.
//
// Every entry must have a non-empty text, and every form of it, in every
// language of Languages; a text may not write a plural as "(s)". The error
// lists, sorted, every entry that breaks these rules.
func ParseCatalogueFiles(files ...CatalogueFile) (*Catalogue, error) {
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	if size > math.MaxInt32 {
		return nil, fmt.Errorf("parse message catalogue: %d bytes is too large", size)
	}
	c := newCatalogue(size)
	for i := range files {
		if err := c.read(files, i); err != nil {
			return nil, fmt.Errorf("parse message catalogue: %w", err)
		}
	}
	var missing []string
	for k, e := range c.keys {
		texts := c.texts[e.first : e.first+e.n]
		for _, l := range Languages {
			tx, ok := lookup(texts, l)
			switch {
			case !ok || strings.TrimSpace(tx.one) == "" && strings.TrimSpace(tx.other) == "":
				missing = append(missing, k+" ("+l+")")
			case tx.plural && strings.TrimSpace(tx.one) == "":
				missing = append(missing, k+" ("+l+", form one)")
			case tx.plural && strings.TrimSpace(tx.other) == "":
				missing = append(missing, k+" ("+l+", form other)")
			case strings.Contains(tx.one, "(s)") || strings.Contains(tx.other, "(s)"):
				missing = append(missing, k+" ("+l+": a plural written \"(s)\")")
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("message catalogue lacks translations: %s", strings.Join(missing, ", "))
	}
	for i := range c.texts {
		if t := &c.texts[i]; t.lang == "fr" {
			t.one = French(t.one)
			if t.plural {
				t.other = French(t.other)
			} else {
				t.other = t.one
			}
		}
	}
	return c, nil
}

// newCatalogue returns an empty catalogue with room for size bytes of
// files: copsync's have about 130 bytes a key, and two texts each.
func newCatalogue(size int) *Catalogue {
	return &Catalogue{
		keys:  make(map[string]entry, size/128+1),
		texts: make([]message, 0, size/64+2),
	}
}

// Has reports whether key is in the catalogue.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.keys[key]
	return ok
}

// Plural reports whether key's texts have singular and plural forms.
func (c *Catalogue) Plural(key string) bool {
	texts, _ := c.of(key)
	for _, t := range texts {
		if t.plural {
			return true
		}
	}
	return false
}

// Keys returns every key, sorted.
func (c *Catalogue) Keys() []string {
	keys := make([]string, 0, len(c.keys))
	for k := range c.keys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Forms returns the texts of key in lang, before their placeholders are
// replaced: one form, or the singular and the plural.
func (c *Catalogue) Forms(lang, key string) []string {
	texts, _ := c.of(key)
	t, ok := lookup(texts, lang)
	if !ok {
		return nil
	}
	if t.plural {
		return []string{t.one, t.other}
	}
	return []string{t.one}
}

// singular reports whether count takes the singular form in lang: 1 in
// English, 0 and 1 in French.
func singular(lang, count string) bool {
	n, err := strconv.ParseFloat(strings.TrimSpace(count), 64)
	if err != nil {
		return false
	}
	if lang == "fr" {
		return n >= 0 && n < 2
	}
	return n == 1
}

// T returns the text of key in lang with its {placeholders} replaced by
// params; for a text with plural forms, params["count"] chooses the form. A
// missing key returns "!key!", so that the omission shows and a test can
// catch it.
func (c *Catalogue) T(lang, key string, params map[string]string) string {
	t, ok := c.of(key)
	if !ok {
		return "!" + key + "!"
	}
	tx, ok := lookup(t, lang)
	if !ok {
		tx, _ = lookup(t, "en")
	}
	s := tx.other
	if tx.plural {
		if singular(lang, params["count"]) {
			s = tx.one
		}
	}
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := params[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}

// Both returns the text of key in English and in French.
func (c *Catalogue) Both(key string, params map[string]string) (en, fr string) {
	return c.T("en", key, params), c.T("fr", key, params)
}

// NBSP is the non-breaking space French typography puts before a colon,
// semicolon, question or exclamation mark, and inside guillemets.
const NBSP = '\u00a0'

// French sets s in French typography: a non-breaking space before : ; ? !
// and inside « », in place of an ordinary space or where there is none, and
// the typographic apostrophe ’ between letters. It leaves alone what is not
// prose: a colon between digits (10:30) or before "//" (https://), a mark
// directly after another mark (?!), and an exclamation mark directly before
// a cell reference's letter ('Feuille'!A1). It is idempotent.
func French(s string) string {
	if !hasFrenchMarks(s) {
		return s
	}
	var stack [512]byte // most texts fit: no allocation but the result's
	out := stack[:0]
	changed := false
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf && !frenchASCII[b] {
			out = append(out, b) // the commonest case: nothing to do
			i++
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 && c == utf8.RuneError {
			changed = true // invalid UTF-8 becomes U+FFFD
		}
		i += size
		prev, prevSize := utf8.DecodeLastRune(out)
		if prevSize == 0 {
			prev = 0
		}
		next := rune(0)
		if i < len(s) {
			next, _ = utf8.DecodeRuneInString(s[i:])
		}
		switch c {
		case ':', ';', '?', '!':
			if frenchSpaceBefore(c, prev, next) {
				if prev == ' ' || prev == '\u202f' {
					out = utf8.AppendRune(out[:len(out)-prevSize], NBSP)
					changed = true
				} else if prev != NBSP {
					out = utf8.AppendRune(out, NBSP)
					changed = true
				}
			}
			out = utf8.AppendRune(out, c)
		case '«':
			out = utf8.AppendRune(utf8.AppendRune(out, c), NBSP)
			changed = true
		case '»':
			if prev == ' ' || prev == '\u202f' {
				out = utf8.AppendRune(out[:len(out)-prevSize], NBSP)
				changed = true
			} else if prev != NBSP {
				out = utf8.AppendRune(out, NBSP)
				changed = true
			}
			out = utf8.AppendRune(out, c)
		case ' ', NBSP, '\u202f':
			if prev == NBSP {
				if before, _ := utf8.DecodeLastRune(out[:len(out)-prevSize]); before == '«' {
					changed = true
					continue // the space inside « is already there
				}
			}
			out = utf8.AppendRune(out, c)
		case '\'':
			if unicode.IsLetter(prev) && unicode.IsLetter(next) {
				out = utf8.AppendRune(out, '’')
				changed = true
			} else {
				out = append(out, '\'')
			}
		default:
			out = utf8.AppendRune(out, c)
		}
	}
	if !changed {
		return s
	}
	return string(out)
}

// hasFrenchMarks reports whether s holds one of : ; ? ! « » or a straight
// apostrophe, which French may change.
func hasFrenchMarks(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':', ';', '?', '!', '\'':
			return true
		case 0xc2: // « is C2 AB in UTF-8, » C2 BB
			if i+1 < len(s) && (s[i+1] == 0xab || s[i+1] == 0xbb) {
				return true
			}
		}
	}
	return false
}

// frenchSpaceBefore reports whether the mark c, between prev and next,
// is prose punctuation that takes a non-breaking space before it.
func frenchSpaceBefore(c, prev, next rune) bool {
	if prev == 0 || prev == '\n' || strings.ContainsRune(":;?!", prev) {
		return false
	}
	if c == ':' && (unicode.IsDigit(prev) && unicode.IsDigit(next) || next == '/') {
		return false
	}
	if c == '!' && prev == '\'' {
		return false // 'Feuille'!A1
	}
	if next != 0 && !unicode.IsSpace(next) && !strings.ContainsRune(")»\"’.,…", next) {
		// Not at the end of a word: part of a reference, a URL or code.
		return false
	}
	return true
}

// errDuplicateKey marks the error of a key given twice in one object or in
// two files.
var errDuplicateKey = errors.New("duplicate key")

// catalogueReader reads one file of the catalogue: a JSON object of keys,
// each an object of languages, each a string or an object of plural forms.
// It reads nothing else, in one pass, straight into the Catalogue. Strings
// follow encoding/json, except that invalid UTF-8 is refused rather than
// replaced.
type catalogueReader struct {
	c     *Catalogue
	files []CatalogueFile
	file  int32
	s     string // the file's content; texts without escapes are cut from it
	i     int    // the offset read up to
	buf   []byte // a string with escapes, being unescaped

	// Where the reader is, for errors.
	key, lang, form string
}

// want names what the reader expects next, for an error; the reader's key,
// language and form complete it (see describe).
type want int

const (
	wantOpen want = iota
	wantKey
	wantKeyColon
	wantTexts
	wantLang
	wantLangColon
	wantText
	wantTextsEnd
	wantForm
	wantFormColon
	wantFormText
	wantFormsEnd
	wantEnd
)

// describe says what w is, where the reader is.
func (r *catalogueReader) describe(w want) string {
	switch w {
	case wantOpen:
		return `the catalogue's opening "{"`
	case wantKey:
		return "a key in quotes"
	case wantKeyColon:
		return fmt.Sprintf(`":" after the key %q`, r.key)
	case wantTexts:
		return fmt.Sprintf(`the texts of %q, an object {"en": …, "fr": …}`, r.key)
	case wantLang:
		return fmt.Sprintf("a language in quotes in the texts of %q", r.key)
	case wantLangColon:
		return fmt.Sprintf(`":" after %q in the texts of %q`, r.lang, r.key)
	case wantText:
		return fmt.Sprintf(`the %q text of %q, in quotes or as plural forms {"one": …, "other": …}`, r.lang, r.key)
	case wantTextsEnd:
		return fmt.Sprintf(`"," or the "}" that closes the texts of %q`, r.key)
	case wantForm:
		return fmt.Sprintf(`a plural form, "one" or "other", of the %q text of %q`, r.lang, r.key)
	case wantFormColon:
		return fmt.Sprintf(`":" after the form %q of the %q text of %q`, r.form, r.lang, r.key)
	case wantFormText:
		return fmt.Sprintf(`the form %q of the %q text of %q, in quotes`, r.form, r.lang, r.key)
	case wantFormsEnd:
		return fmt.Sprintf(`"," or the "}" that closes the plural forms of the %q text of %q`, r.lang, r.key)
	}
	return `"," or the catalogue's closing "}"`
}

// read reads files[file] into c; all the files together hold fewer than
// 2³¹ bytes.
func (c *Catalogue) read(files []CatalogueFile, file int) error {
	r := &catalogueReader{c: c, files: files, file: int32(file), s: string(files[file].Data)}
	return r.document()
}

// document reads the whole file.
func (r *catalogueReader) document() error {
	r.space()
	if err := r.expect('{', wantOpen); err != nil {
		return err
	}
	if err := r.object(wantEnd, r.entry); err != nil {
		return err
	}
	r.space()
	if r.i < len(r.s) {
		return r.errorf(r.i, "want the end of the file after the catalogue's closing \"}\", found %s", r.found())
	}
	return nil
}

// entry reads a key and its texts: "key": {"en": …, "fr": …}.
func (r *catalogueReader) entry() error {
	off := r.i
	key, err := r.str(wantKey)
	if err != nil {
		return err
	}
	r.key = key
	r.space()
	if err := r.expect(':', wantKeyColon); err != nil {
		return err
	}
	r.space()
	if err := r.expect('{', wantTexts); err != nil {
		return err
	}
	c := r.c
	first := len(c.texts)
	if err := r.object(wantTextsEnd, func() error { return r.text(first) }); err != nil {
		return err
	}
	if old, dup := c.keys[key]; dup {
		if old.file == r.file {
			line, col := position(r.s, int(old.off))
			return fmt.Errorf("%s: key %q is defined twice, first at line %d, column %d: %w",
				r.at(off), key, line, col, errDuplicateKey)
		}
		return fmt.Errorf("%s: key %q is defined in both %s and %s: %w",
			r.at(off), key, r.files[old.file].Name, r.files[r.file].Name, errDuplicateKey)
	}
	c.keys[key] = entry{first: int32(first), n: int32(len(c.texts) - first), file: r.file, off: int32(off)}
	return nil
}

// text reads one language's text of the key: "fr": "…" or "fr": {"one":
// …, "other": …}. The key's texts so far start at c.texts[first].
func (r *catalogueReader) text(first int) error {
	off := r.i
	lang, err := r.str(wantLang)
	if err != nil {
		return err
	}
	r.lang = lang
	for _, t := range r.c.texts[first:] {
		if t.lang == lang {
			return fmt.Errorf("%s: %q has two texts in %q: %w", r.at(off), r.key, lang, errDuplicateKey)
		}
	}
	r.space()
	if err := r.expect(':', wantLangColon); err != nil {
		return err
	}
	r.space()
	t := message{lang: lang}
	switch r.peek() {
	case '"':
		s, err := r.str(wantText)
		if err != nil {
			return err
		}
		t.one, t.other = s, s
	case '{':
		r.i++
		t.plural = true
		if err := r.forms(&t); err != nil {
			return err
		}
	default:
		return r.errorf(r.i, "want %s, found %s", r.describe(wantText), r.found())
	}
	r.c.texts = append(r.c.texts, t)
	return nil
}

// forms reads the plural forms of a text into t, after their "{".
func (r *catalogueReader) forms(t *message) error {
	var seenOne, seenOther bool
	return r.object(wantFormsEnd, func() error {
		off := r.i
		form, err := r.str(wantForm)
		if err != nil {
			return err
		}
		r.form = form
		var dst *string
		var seen *bool
		switch form {
		case "one":
			dst, seen = &t.one, &seenOne
		case "other":
			dst, seen = &t.other, &seenOther
		default:
			return r.errorf(off, `unknown plural form %q in the %q text of %q (want "one" and "other")`, form, r.lang, r.key)
		}
		if *seen {
			return fmt.Errorf("%s: the %q text of %q has form %q twice: %w", r.at(off), r.lang, r.key, form, errDuplicateKey)
		}
		*seen = true
		r.space()
		if err := r.expect(':', wantFormColon); err != nil {
			return err
		}
		r.space()
		*dst, err = r.str(wantFormText)
		return err
	})
}

// object reads the members of an object, after its "{", each with member,
// up to its "}"; w names what may follow a member.
func (r *catalogueReader) object(w want, member func() error) error {
	r.space()
	if r.peek() == '}' {
		r.i++
		return nil
	}
	for {
		if err := member(); err != nil {
			return err
		}
		r.space()
		done, err := r.next(w)
		if err != nil || done {
			return err
		}
		r.space()
	}
}

// next reads the "," before the next member of an object, or the "}" that
// closes it, and reports which; w names both. A "}" right after a "," is an
// error.
func (r *catalogueReader) next(w want) (closed bool, err error) {
	switch r.peek() {
	case ',':
		r.i++
		r.space()
		if r.peek() == '}' {
			return false, r.errorf(r.i, `want a key in quotes after ",", found "}" (a "," may not come before "}")`)
		}
		return false, nil
	case '}':
		r.i++
		return true, nil
	}
	return false, r.errorf(r.i, "want %s, found %s", r.describe(w), r.found())
}

// space skips JSON's white space: space, tab, line feed, carriage return.
func (r *catalogueReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the byte at the offset, or 0 at the end of the file.
func (r *catalogueReader) peek() byte {
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

// expect reads the byte b, which w describes.
func (r *catalogueReader) expect(b byte, w want) error {
	if r.peek() != b {
		return r.errorf(r.i, "want %s, found %s", r.describe(w), r.found())
	}
	r.i++
	return nil
}

// str reads a JSON string, which w describes. A string without a backslash
// is cut from the file without a copy.
func (r *catalogueReader) str(w want) (string, error) {
	if r.peek() != '"' {
		return "", r.errorf(r.i, "want %s, found %s", r.describe(w), r.found())
	}
	start := r.i + 1
	s := r.s
	for i := start; i < len(s); {
		for i < len(s) && !strSpecial[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		switch {
		case c == '"':
			r.i = i + 1
			return s[start:i], nil
		case c == '\\':
			return r.unescape(start, i)
		case c < 0x20:
			return "", r.errorf(i, "a control character (%U) in a string; write it as an escape such as \\n", rune(c))
		case c < utf8.RuneSelf:
			i++
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			if ru == utf8.RuneError && size == 1 {
				return "", r.errorf(i, "invalid UTF-8 (byte %#x) in a string", c)
			}
			i += size
		}
	}
	return "", r.errorf(start-1, "a string that is never closed (no \" before the end of the file)")
}

// unescape reads the rest of a string that has a backslash at offset i,
// its text starting at offset start. Escapes decode as encoding/json decodes
// them: a \u escape of half a surrogate pair that is not followed by the
// other half becomes U+FFFD.
func (r *catalogueReader) unescape(start, i int) (string, error) {
	s := r.s
	b := append(r.buf[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			r.i = i + 1
			r.buf = b
			return string(b), nil
		case c == '\\':
			if i+1 >= len(s) {
				return "", r.errorf(start-1, "a string that is never closed (no \" before the end of the file)")
			}
			e := s[i+1]
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				ru, ok := hex4(s, i+2)
				if !ok {
					return "", r.errorf(i, `an escape \u not followed by four hexadecimal digits`)
				}
				i += 6
				if utf16.IsSurrogate(ru) {
					// encoding/json pairs it with a \u escape right after, or
					// writes U+FFFD and reads that escape on its own.
					if s2, ok := hex4(s, i+2); ok && s[i] == '\\' && s[i+1] == 'u' {
						if pair := utf16.DecodeRune(ru, s2); pair != utf8.RuneError {
							b = utf8.AppendRune(b, pair)
							i += 6
							continue
						}
					}
					ru = utf8.RuneError
				}
				b = utf8.AppendRune(b, ru)
				continue
			default:
				return "", r.errorf(i, "an unknown escape \\%s in a string (want one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", r.char(i+1))
			}
			i += 2
		case c < 0x20:
			return "", r.errorf(i, "a control character (%U) in a string; write it as an escape such as \\n", rune(c))
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			if ru == utf8.RuneError && size == 1 {
				return "", r.errorf(i, "invalid UTF-8 (byte %#x) in a string", c)
			}
			b = append(b, s[i:i+size]...)
			i += size
		}
	}
	return "", r.errorf(start-1, "a string that is never closed (no \" before the end of the file)")
}

// hex4 decodes the four hexadecimal digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// found describes what is at the offset, for an error.
func (r *catalogueReader) found() string {
	if r.i >= len(r.s) {
		return "the end of the file"
	}
	rest := r.s[r.i:]
	switch c := rest[0]; {
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	case c == '[':
		return `an array ("[")`
	}
	for _, word := range []string{"true", "false", "null"} {
		if strings.HasPrefix(rest, word) {
			return word
		}
	}
	return r.char(r.i)
}

// char quotes the character at offset i, for an error.
func (r *catalogueReader) char(i int) string {
	ru, size := utf8.DecodeRuneInString(r.s[i:])
	if ru == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("the byte %#x", r.s[i])
	}
	return strconv.QuoteRune(ru)
}

// at names the file and the line and column of offset off: "name:3:15".
func (r *catalogueReader) at(off int) string {
	line, col := position(r.s, off)
	return fmt.Sprintf("%s:%d:%d", r.files[r.file].Name, line, col)
}

// errorf returns an error at offset off of the file.
func (r *catalogueReader) errorf(off int, format string, args ...any) error {
	return fmt.Errorf("%s: %s", r.at(off), fmt.Sprintf(format, args...))
}

// position returns the line and column, both from 1, of offset off of s;
// the column counts characters.
func position(s string, off int) (line, col int) {
	before := s[:min(off, len(s))]
	line = 1 + strings.Count(before, "\n")
	col = 1 + utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	return line, col
}

// strSpecial marks the bytes a string's fast path stops at: the closing
// quote, a backslash, control characters and the bytes of non-ASCII
// characters.
var strSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}
	return t
}()

// frenchASCII marks the ASCII characters French may change or look at.
var frenchASCII = [utf8.RuneSelf]bool{':': true, ';': true, '?': true, '!': true, '\'': true, ' ': true}
