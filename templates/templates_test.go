package templates

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryMessageHasBothLanguages fails when a catalogue entry lacks its
// English or French text.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	data, err := Messages()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m) < 10 {
		t.Fatalf("catalogue has only %d entries", len(m))
	}
	for k, v := range m {
		for _, lang := range []string{"en", "fr"} {
			if len(v[lang]) == 0 || strings.TrimSpace(strings.Trim(string(v[lang]), `"`)) == "" {
				t.Errorf("%s: no %s text", k, lang)
			}
		}
		for lang := range v {
			if lang != "en" && lang != "fr" {
				t.Errorf("%s: unexpected language %q", k, lang)
			}
		}
	}
}
