package validate

import "testing"

func TestFrench(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"colon", "Ligne 4 : texte", "Ligne 4\u00a0: texte"},
		{"colon without space", "Constats: 3", "Constats\u00a0: 3"},
		{"question after placeholder", "vouliez-vous dire {x}?)", "vouliez-vous dire {x}\u00a0?)"},
		{"semicolon and bang", "a ; b !", "a\u00a0; b\u00a0!"},
		{"guillemets", "la feuille « Membres »", "la feuille «\u00a0Membres\u00a0»"},
		{"guillemets tight", "«Membres»", "«\u00a0Membres\u00a0»"},
		{"apostrophe", "l'Île n'est pas", "l’Île n’est pas"},
		{"time", "à 10:30", "à 10:30"},
		{"url", "voir https://example.ca/x", "voir https://example.ca/x"},
		{"cell reference", "'Feuille'!A1 et Feuille!B2", "'Feuille'!A1 et Feuille!B2"},
		{"already set", "Ligne 4\u00a0: «\u00a0x\u00a0»", "Ligne 4\u00a0: «\u00a0x\u00a0»"},
		{"narrow space", "a\u202f; b", "a\u00a0; b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := French(tt.in)
			if got != tt.want {
				t.Errorf("French(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := French(got); again != got {
				t.Errorf("French is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestPluralForms(t *testing.T) {
	cat, err := ParseCatalogue([]byte(`{"n": {"en": {"one": "{count} error", "other": "{count} errors"}, "fr": {"one": "{count} erreur", "other": "{count} erreurs"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, count, want string
	}{
		{"en", "0", "0 errors"}, {"en", "1", "1 error"}, {"en", "2", "2 errors"},
		{"fr", "0", "0 erreur"}, {"fr", "1", "1 erreur"}, {"fr", "2", "2 erreurs"},
	}
	for _, tt := range tests {
		if got := cat.T(tt.lang, "n", map[string]string{"count": tt.count}); got != tt.want {
			t.Errorf("%s %s: got %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
	if !cat.Plural("n") {
		t.Error("Plural(n) = false")
	}
}

func TestCatalogueRefuses(t *testing.T) {
	tests := []struct{ name, json string }{
		{"missing form", `{"n": {"en": {"one": "x", "other": "xs"}, "fr": {"one": "x"}}}`},
		{"shortcut plural", `{"n": {"en": "finding(s)", "fr": "constat"}}`},
		{"missing language", `{"n": {"en": "x"}}`},
		{"unknown form", `{"n": {"en": {"one": "x", "few": "y", "other": "z"}, "fr": "x"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCatalogue([]byte(tt.json)); err == nil {
				t.Error("parsed without an error")
			}
		})
	}
}
