package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// readOne reads data, named name, with the catalogue's reader alone: no
// rules, no French typography.
func readOne(name string, data []byte) (*Catalogue, error) {
	c := newCatalogue(len(data))
	if err := c.read([]CatalogueFile{{Name: name, Data: data}}, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// texts returns what c holds, key by key and language by language.
func texts(c *Catalogue) map[string]map[string]message {
	m := make(map[string]map[string]message, len(c.keys))
	for k := range c.keys {
		ts, _ := c.of(k)
		m[k] = make(map[string]message, len(ts))
		for _, t := range ts {
			m[k][t.lang] = t
		}
	}
	return m
}

// jsonTexts decodes data with encoding/json, as the catalogue was read
// before it had a reader of its own, and reports whether it has the
// catalogue's shape: an object of objects of strings or of objects of the
// forms "one" and "other", strings.
func jsonTexts(data []byte) (map[string]map[string]message, bool) {
	var m map[string]map[string]any
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, false
	}
	out := make(map[string]map[string]message, len(m))
	for k, langs := range m {
		if langs == nil {
			return nil, false
		}
		out[k] = make(map[string]message, len(langs))
		for lang, v := range langs {
			t := message{lang: lang}
			switch v := v.(type) {
			case string:
				t.one, t.other = v, v
			case map[string]any:
				t.plural = true
				for form, s := range v {
					s, ok := s.(string)
					if !ok {
						return nil, false
					}
					switch form {
					case "one":
						t.one = s
					case "other":
						t.other = s
					default:
						return nil, false
					}
				}
			default:
				return nil, false
			}
			out[k][lang] = t
		}
	}
	return out, true
}

// hasDuplicateKeys reports whether an object of the JSON document data has
// a key twice, as encoding/json's tokens say; encoding/json keeps the last.
func hasDuplicateKeys(data []byte) bool {
	type frame struct {
		keys    map[string]bool // nil in an array
		wantKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false // the end, or not JSON, which has no such keys
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			if tok == json.Delim('}') {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			k, _ := tok.(string)
			if stack[n-1].keys[k] {
				return true
			}
			stack[n-1].keys[k] = true
			stack[n-1].wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'), json.Delim('}'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// TestCatalogueReaderMatchesEncodingJSON reads every file of the embedded
// catalogue with the reader and with encoding/json: the texts must be the
// same.
func TestCatalogueReaderMatchesEncodingJSON(t *testing.T) {
	names, err := filepath.Glob("../templates/messages*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no ../templates/messages*.json")
	}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := jsonTexts(data)
			if !ok {
				t.Fatal("encoding/json does not read it as a catalogue")
			}
			if hasDuplicateKeys(data) {
				t.Fatal("encoding/json finds a key twice in an object")
			}
			c, err := readOne(name, data)
			if err != nil {
				t.Fatal(err)
			}
			got := texts(c)
			if len(got) != len(want) {
				t.Errorf("%d keys, encoding/json reads %d", len(got), len(want))
			}
			for k, w := range want {
				if g := got[k]; !reflect.DeepEqual(g, w) {
					t.Errorf("%s: got %+v, encoding/json reads %+v", k, g, w)
				}
			}
		})
	}
}

// TestCatalogueFilesMerge parses two files into one catalogue.
func TestCatalogueFilesMerge(t *testing.T) {
	cat, err := ParseCatalogueFiles(
		CatalogueFile{Name: "a.json", Data: []byte(`{"a": {"en": "Sheet: {n}", "fr": "Feuille: {n}"}}`)},
		CatalogueFile{Name: "b.json", Data: []byte(`{"b": {"en": {"one": "{count} row", "other": "{count} rows"}, "fr": {"one": "{count} ligne", "other": "{count} lignes"}}}`)},
		CatalogueFile{Name: "c.json", Data: []byte(` {} `)},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cat.Keys(), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if got, want := cat.T("fr", "a", map[string]string{"n": "Membres"}), "Feuille\u00a0: Membres"; got != want {
		t.Errorf("fr a = %q, want %q (in French typography)", got, want)
	}
	if got, want := cat.T("fr", "b", map[string]string{"count": "0"}), "0 ligne"; got != want {
		t.Errorf("fr b = %q, want %q", got, want)
	}
	if got, want := cat.T("en", "b", map[string]string{"count": "3"}), "3 rows"; got != want {
		t.Errorf("en b = %q, want %q", got, want)
	}
}

// TestCatalogueReaderErrors checks that each error names the file, the
// line and column, and what was wrong.
func TestCatalogueReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string // the whole error after "parse message catalogue: "
	}{
		{"empty file", ``,
			`t.json:1:1: want the catalogue's opening "{", found the end of the file`},
		{"byte order mark", "\ufeff{}",
			`t.json:1:1: want the catalogue's opening "{", found '\ufeff'`},
		{"top level array", `["x"]`,
			`t.json:1:1: want the catalogue's opening "{", found an array ("[")`},
		{"unquoted key", `{k: {}}`,
			`t.json:1:2: want a key in quotes, found 'k'`},
		{"no colon", `{"k" {}}`,
			`t.json:1:6: want ":" after the key "k", found '{'`},
		{"texts not an object", `{"k": "x"}`,
			`t.json:1:7: want the texts of "k", an object {"en": …, "fr": …}, found '"'`},
		{"texts an array", `{"k": ["x"]}`,
			`t.json:1:7: want the texts of "k", an object {"en": …, "fr": …}, found an array ("[")`},
		{"number", `{"k": {"en": 1}}`,
			`t.json:1:14: want the "en" text of "k", in quotes or as plural forms {"one": …, "other": …}, found a number`},
		{"null", `{"k": {"en": null}}`,
			`t.json:1:14: want the "en" text of "k", in quotes or as plural forms {"one": …, "other": …}, found null`},
		{"true on line 3", "{\n  \"k\": {\n    \"en\": true\n  }\n}",
			`t.json:3:11: want the "en" text of "k", in quotes or as plural forms {"one": …, "other": …}, found true`},
		{"column in characters", `{"clé": {"en": [1]}}`,
			`t.json:1:16: want the "en" text of "clé", in quotes or as plural forms {"one": …, "other": …}, found an array ("[")`},
		{"trailing comma at the top", `{"k": {"en": "x"},}`,
			`t.json:1:19: want a key in quotes after ",", found "}" (a "," may not come before "}")`},
		{"trailing comma in the texts", `{"k": {"en": "x",}}`,
			`t.json:1:18: want a key in quotes after ",", found "}" (a "," may not come before "}")`},
		{"trailing comma in the forms", `{"k": {"en": {"one": "x",}}}`,
			`t.json:1:26: want a key in quotes after ",", found "}" (a "," may not come before "}")`},
		{"missing comma", `{"k": {"en": "x" "fr": "y"}}`,
			`t.json:1:18: want "," or the "}" that closes the texts of "k", found '"'`},
		{"missing closing brace", `{"k": {"en": "x"}`,
			`t.json:1:18: want "," or the catalogue's closing "}", found the end of the file`},
		{"garbage after", `{"k": {"en": "x"}} x`,
			`t.json:1:20: want the end of the file after the catalogue's closing "}", found 'x'`},
		{"a second object", "{}\n{}",
			`t.json:2:1: want the end of the file after the catalogue's closing "}", found '{'`},
		{"duplicate key", "{\"k\": {\"en\": \"x\"},\n \"k\": {\"en\": \"y\"}}",
			`t.json:2:2: key "k" is defined twice, first at line 1, column 2: duplicate key`},
		{"duplicate key by an escape", `{"k": {}, "\u006b": {}}`,
			`t.json:1:11: key "k" is defined twice, first at line 1, column 2: duplicate key`},
		{"duplicate language", `{"k": {"en": "x", "en": "y"}}`,
			`t.json:1:19: "k" has two texts in "en": duplicate key`},
		{"duplicate form", `{"k": {"en": {"one": "x", "one": "y"}}}`,
			`t.json:1:27: the "en" text of "k" has form "one" twice: duplicate key`},
		{"unknown plural form", `{"k": {"en": {"one": "x", "few": "y", "other": "z"}}}`,
			`t.json:1:27: unknown plural form "few" in the "en" text of "k" (want "one" and "other")`},
		{"form not a string", `{"k": {"en": {"one": 1}}}`,
			`t.json:1:22: want the form "one" of the "en" text of "k", in quotes, found a number`},
		{"form without a colon", `{"k": {"en": {"one" "x"}}}`,
			`t.json:1:21: want ":" after the form "one" of the "en" text of "k", found '"'`},
		{"nested plural forms", `{"k": {"en": {"one": {"x": "y"}}}}`,
			`t.json:1:22: want the form "one" of the "en" text of "k", in quotes, found '{'`},
		{"unterminated string", `{"k": {"en": "x}}`,
			`t.json:1:14: a string that is never closed (no " before the end of the file)`},
		{"unterminated string after an escape", `{"k": {"en": "x\"}}`,
			`t.json:1:14: a string that is never closed (no " before the end of the file)`},
		{"backslash at the end", `{"k": {"en": "x\`,
			`t.json:1:14: a string that is never closed (no " before the end of the file)`},
		{"unknown escape", `{"k": {"en": "a\x41"}}`,
			`t.json:1:16: an unknown escape \'x' in a string (want one of \" \\ \/ \b \f \n \r \t \uXXXX)`},
		{"short \\u escape", `{"k": {"en": "a\u41"}}`,
			`t.json:1:16: an escape \u not followed by four hexadecimal digits`},
		{"\\u escape not hexadecimal", `{"k": {"en": "a\u00g9"}}`,
			`t.json:1:16: an escape \u not followed by four hexadecimal digits`},
		{"raw line feed", "{\"k\": {\"en\": \"a\nb\"}}",
			`t.json:1:16: a control character (U+000A) in a string; write it as an escape such as \n`},
		{"raw tab after an escape", "{\"k\": {\"en\": \"\\\"\tb\"}}",
			`t.json:1:17: a control character (U+0009) in a string; write it as an escape such as \n`},
		{"invalid UTF-8", "{\"k\": {\"en\": \"caf\xe9\"}}",
			`t.json:1:18: invalid UTF-8 (byte 0xe9) in a string`},
		{"invalid UTF-8 in a key", "{\"\xff\": {}}",
			`t.json:1:3: invalid UTF-8 (byte 0xff) in a string`},
		{"invalid UTF-8 after an escape", "{\"k\": {\"en\": \"\\n\xc3\"}}",
			`t.json:1:17: invalid UTF-8 (byte 0xc3) in a string`},
		{"surrogate written in UTF-8", "{\"k\": {\"en\": \"\xed\xa0\x80\"}}",
			`t.json:1:15: invalid UTF-8 (byte 0xed) in a string`},
		{"invalid UTF-8 outside a string", "{\"k\": \xff}",
			`t.json:1:7: want the texts of "k", an object {"en": …, "fr": …}, found the byte 0xff`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCatalogueFiles(CatalogueFile{Name: "t.json", Data: []byte(tt.json)})
			if err == nil {
				t.Fatal("parsed without an error")
			}
			if got, want := err.Error(), "parse message catalogue: "+tt.want; got != want {
				t.Errorf("error\n got: %s\nwant: %s", got, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is not one line: %q", err)
			}
			if _, ok := jsonTexts([]byte(tt.json)); ok && utf8.ValidString(tt.json) && !hasDuplicateKeys([]byte(tt.json)) {
				t.Errorf("encoding/json reads it as a catalogue")
			}
		})
	}
}

// TestCatalogueKeyInTwoFiles checks that a key defined in two files is an
// error naming both.
func TestCatalogueKeyInTwoFiles(t *testing.T) {
	_, err := ParseCatalogueFiles(
		CatalogueFile{Name: "messages.json", Data: []byte(`{"a": {"en": "x", "fr": "x"}, "k": {"en": "x", "fr": "x"}}`)},
		CatalogueFile{Name: "messages_cli.json", Data: []byte("{\n  \"k\": {\"en\": \"y\", \"fr\": \"y\"}}")},
	)
	want := `parse message catalogue: messages_cli.json:2:3: key "k" is defined in both messages.json and messages_cli.json: duplicate key`
	if err == nil || err.Error() != want {
		t.Fatalf("got error %v, want %s", err, want)
	}
	if !errors.Is(err, errDuplicateKey) {
		t.Errorf("errors.Is(err, errDuplicateKey) = false")
	}
}

// TestCatalogueStrings reads texts with escapes, as encoding/json does.
func TestCatalogueStrings(t *testing.T) {
	tests := []struct {
		name, literal, want string
	}{
		{"plain", `"Sheet"`, "Sheet"},
		{"UTF-8", `"Île-du-Prince-Édouard « x » ’ 😀"`, "Île-du-Prince-Édouard « x » ’ 😀"},
		{"empty", `""`, ""},
		{"quote", `"say \"hi\""`, `say "hi"`},
		{"backslash and solidus", `"a\\b\/c"`, `a\b/c`},
		{"control escapes", `"\b\f\n\r\t"`, "\b\f\n\r\t"},
		{"\\u escapes", `"caf\u00e9 caf\u00E9 \u0041"`, "café café A"},
		{"\\u0000", `"a\u0000b"`, "a\x00b"},
		{"escape then UTF-8", `"\"Île\""`, `"Île"`},
		{"surrogate pair", `"\ud83d\ude00!"`, "😀!"},
		{"surrogate pair in capitals", `"\uD83D\uDE00"`, "😀"},
		{"lone high surrogate", `"\ud83d"`, "\ufffd"},
		{"lone low surrogate", `"\ude00x"`, "\ufffdx"},
		{"high surrogate then a letter", `"\ud83dx"`, "\ufffdx"},
		{"high surrogate then a \\u letter", `"\ud83d\u0041"`, "\ufffdA"},
		{"two high surrogates then a low one", `"\ud83d\ud83d\ude00"`, "\ufffd😀"},
		{"high surrogate then \\n", `"\ud83d\n"`, "\ufffd\n"},
		{"high surrogate then a short \\u", `"\ud83d\u12"`, ""}, // refused, as by encoding/json
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(`{"k": {"en": ` + tt.literal + `, "fr": {"one": ` + tt.literal + `, "other": "x"}}}`)
			var std string
			stdErr := json.Unmarshal([]byte(tt.literal), &std)
			c, err := readOne("t.json", doc)
			if stdErr != nil {
				if err == nil {
					t.Fatalf("read %s, which encoding/json refuses (%v)", tt.literal, stdErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if std != tt.want {
				t.Fatalf("the test is wrong: encoding/json reads %q", std)
			}
			en, _ := c.of("k")
			if got := en[0].one; got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
			if got := en[1].one; got != tt.want {
				t.Errorf("form one = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCatalogueKeepsItsRules checks that ParseCatalogueFiles lists, sorted,
// what every file lacks.
func TestCatalogueKeepsItsRules(t *testing.T) {
	_, err := ParseCatalogueFiles(
		CatalogueFile{Name: "a.json", Data: []byte(`{"z": {"en": "x"}, "b": {"en": "row(s)", "fr": "ligne"}}`)},
		CatalogueFile{Name: "b.json", Data: []byte(`{"a": {"en": {"one": "x", "other": " "}, "fr": {}}}`)},
	)
	want := `message catalogue lacks translations: a (en, form other), a (fr), b (en: a plural written "(s)"), z (fr)`
	if err == nil || err.Error() != want {
		t.Fatalf("got error %v\nwant %s", err, want)
	}
}

// FuzzCatalogueReader compares the reader with encoding/json. Whenever
// encoding/json reads a document of the catalogue's shape, in valid UTF-8
// and without a key twice in an object (which encoding/json takes, keeping
// the last), the reader reads the same texts; whenever the reader reads a
// document, encoding/json reads it too, with the same texts; and the
// reader's errors name the file and a line and column.
func FuzzCatalogueReader(f *testing.F) {
	for _, s := range []string{
		`{}`,
		` {"k": {"en": "x", "fr": "y"}} `,
		`{"k": {"en": {"one": "{count} row", "other": "{count} rows"}, "fr": {}}}`,
		`{"a": {"en": "tab\tquote\" \u00e9 \ud83d\ude00 \ud800"}, "b": {}}`,
		"{\n\t\"clé\": {\r\n\"fr\": \"Feuille « Membres » : l’an\"}}",
		`{"k": {"en": "x",}}`,
		`{"k": {"en": 1}}`,
		`{"k": {"en": "x"}, "k": {"en": "y"}}`,
		`{"k": {"en": {"few": "x"}}}`,
		`{"k": {"en": "x"}} []`,
		"{\"k\": {\"en\": \"\xff\"}}",
		`{"k": {"en": "\u12"}}`,
		`null`,
		`{"k": null}`,
		`caf\u00e9 \"\ud83d\ude00\" \ud83d\u0041 \/\b\f\n\r\t\\`,
		"Île « x » ’",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareWithEncodingJSON(t, data)
		// The same bytes as a text, for the strings' escapes and UTF-8.
		compareWithEncodingJSON(t, []byte(`{"k": {"en": "`+string(data)+`", "fr": {"one": "x", "other": "`+string(data)+`"}}}`))
	})
}

// errorPosition matches the start of an error of the reader on fuzz.json.
var errorPosition = regexp.MustCompile(`^fuzz\.json:\d+:\d+: `)

// compareWithEncodingJSON checks that the reader and encoding/json read
// data alike (see FuzzCatalogueReader).
func compareWithEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	c, err := readOne("fuzz.json", data)
	want, shaped := jsonTexts(data)
	if err != nil {
		if !errorPosition.MatchString(err.Error()) {
			t.Errorf("the error does not name the file and a position: %v", err)
		}
		if shaped && utf8.Valid(data) && !hasDuplicateKeys(data) {
			t.Fatalf("refused %q, which encoding/json reads: %v", data, err)
		}
		return
	}
	if !shaped {
		t.Fatalf("read %q, which encoding/json does not read as a catalogue", data)
	}
	if !utf8.Valid(data) {
		t.Fatalf("read %q, which is not valid UTF-8", data)
	}
	if got := texts(c); !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: read %s, encoding/json reads %s", data, dump(got), dump(want))
	}
}

// dump prints texts in a stable order, for a failure.
func dump(m map[string]map[string]message) string {
	var b strings.Builder
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%q: %+v; ", k, m[k])
	}
	return b.String()
}
