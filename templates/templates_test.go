package templates

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"copsync/validate"
)

// TestEveryMessageHasBothLanguages fails when a catalogue entry lacks its
// English or French text, or has a text in another language.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	keys := cat.Keys()
	if len(keys) < 10 {
		t.Fatalf("catalogue has only %d entries", len(keys))
	}
	for _, k := range keys {
		for _, lang := range []string{"en", "fr"} {
			forms := cat.Forms(lang, k)
			if len(forms) == 0 {
				t.Errorf("%s: no %s text", k, lang)
			}
			for _, f := range forms {
				if strings.TrimSpace(f) == "" {
					t.Errorf("%s: an empty %s text", k, lang)
				}
			}
		}
	}
	// The languages, read by encoding/json: the catalogue keeps any.
	for _, f := range embeddedFiles(t) {
		var m map[string]map[string]json.RawMessage
		if err := json.Unmarshal(f.Data, &m); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for k, v := range m {
			for lang := range v {
				if lang != "en" && lang != "fr" {
					t.Errorf("%s: %s: unexpected language %q", f.Name, k, lang)
				}
			}
		}
	}
}

// TestCatalogueRefusesAMissingTranslation removes a French text from the
// embedded catalogue and expects Catalogue's parsing to name it.
func TestCatalogueRefusesAMissingTranslation(t *testing.T) {
	files := embeddedFiles(t)
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(files[0].Data, &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	delete(m[keys[0]], "fr")
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	files[0].Data = data
	_, err = validate.ParseCatalogueFiles(files...)
	if err == nil || !strings.Contains(err.Error(), keys[0]+" (fr)") {
		t.Fatalf("without the French text of %s: got error %v", keys[0], err)
	}
}

// TestCatalogueRefusesAKeyInTwoFiles defines a key of one file in another.
func TestCatalogueRefusesAKeyInTwoFiles(t *testing.T) {
	files := embeddedFiles(t)
	if len(files) < 2 {
		t.Skip("the catalogue is in one file")
	}
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(files[0].Data, &m); err != nil {
		t.Fatal(err)
	}
	var key string
	for k := range m {
		key = k
		break
	}
	entry, err := json.Marshal(map[string]any{key: m[key]})
	if err != nil {
		t.Fatal(err)
	}
	files[1].Data = entry
	_, err = validate.ParseCatalogueFiles(files...)
	want := fmt.Sprintf("key %q is defined in both %s and %s", key, files[0].Name, files[1].Name)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got error %v, want one that says %s", err, want)
	}
}

// embeddedFiles returns the embedded catalogue's files as Catalogue reads
// them.
func embeddedFiles(t *testing.T) []validate.CatalogueFile {
	t.Helper()
	names, err := fs.Glob(catalogue, "messages*.json")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var files []validate.CatalogueFile
	for _, n := range names {
		data, err := catalogue.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, validate.CatalogueFile{Name: "templates/" + n, Data: data})
	}
	return files
}

// BenchmarkCatalogue loads the whole embedded catalogue, as every run of
// copsync does.
func BenchmarkCatalogue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Catalogue(); err != nil {
			b.Fatal(err)
		}
	}
}
