package validate

import (
	"strings"
	"testing"
)

// TestFindingWordedWhereShown checks that a finding is worded with its
// personal values where they are allowed (Disclose) and without them
// elsewhere (Withhold), in both languages, and that a finding stripped for
// the state (Withheld) never gets them back.
func TestFindingWordedWhereShown(t *testing.T) {
	cat := testCatalogue(t)
	const secret = "Jane Doe personal consulting"
	orgRule := func(personal bool) Rule {
		return Rule{Name: "org-allowed", Source: SourceMembers, Field: FieldOrganization, Personal: personal,
			Allowed: Choices{{Value: "Health Canada"}}, Severity: Error}
	}
	rows := [][]string{
		{"Jane Doe", "jane@example.org", secret, "Federal", "", "Actif"},
		{"À déterminer", "jane@example.org", "Health Canada", "Federal", "Ontaro", "Actif"},
	}
	tests := []struct {
		name     string
		rules    func(r *Rules)
		code     string
		disclose []string // in the text under Disclose (en, fr)
		withhold []string // in the text under Withhold (en, fr)
		personal bool     // Key is personal
	}{
		{
			name:     "custom rule on a field marked personal",
			rules:    func(r *Rules) { r.Custom = []Rule{orgRule(true)} },
			code:     CodeRuleValueInvalid,
			disclose: []string{`Row 3: "` + secret + `" is not an allowed organization`, "«\u00a0" + secret + "\u00a0»"},
			withhold: []string{"Row 3: the organization is not an allowed value (allowed: Health Canada; rule org-allowed)",
				"Ligne 3\u00a0: le champ organisation n’a pas une valeur permise"},
			personal: true,
		},
		{
			name:     "custom rule on a field not personal",
			rules:    func(r *Rules) { r.Custom = []Rule{orgRule(false)} },
			code:     CodeRuleValueInvalid,
			disclose: []string{`"` + secret + `" is not an allowed organization`, secret},
			withhold: []string{`"` + secret + `" is not an allowed organization`, secret},
		},
		{
			name:     "field made personal in rules.personal_fields",
			rules:    func(r *Rules) { r.PersonalFields = map[string][]string{SourceMembers: {FieldJurisdiction}} },
			code:     CodeMemberJurisdictionUnknown,
			disclose: []string{`unknown province or territory "Ontaro" (did you mean Ontario?)`, "«\u00a0Ontaro\u00a0»"},
			withhold: []string{"Row 4: unknown province or territory (did you mean Ontario?)", "vouliez-vous dire Ontario\u00a0?"},
			personal: true,
		},
		{
			name:     "a member's e-mail address, personal by default",
			code:     CodeMemberEmailDuplicate,
			disclose: []string{"Row 4: same e-mail address as row 3", "Ligne 4"},
			withhold: []string{"Row 4: same e-mail address as row 3", "Ligne 4"},
			personal: true,
		},
		{
			name:     "a placeholder in a personal field is quoted",
			code:     CodeMemberFieldMissing,
			disclose: []string{`the name is not given yet (it says "À déterminer")`, "«\u00a0À déterminer\u00a0»"},
			withhold: []string{`the name is not given yet (it says "À déterminer")`, "«\u00a0À déterminer\u00a0»"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRules()
			if tt.rules != nil {
				tt.rules(&r)
			}
			res := Check(r, cat, table(SourceMembers, 2, memberHeader, rows...))
			var f Finding
			for _, x := range res.Findings {
				if x.Code == tt.code {
					f = x
				}
			}
			if f.Code == "" {
				t.Fatalf("no %s finding among %v", tt.code, summarize(res.Findings))
			}
			if f.Personal != tt.personal {
				t.Errorf("Personal = %v, want %v (key %q)", f.Personal, tt.personal, f.Key)
			}
			check := func(d Disclosure, f Finding, want []string, label string) {
				t.Helper()
				en, fr := f.Text(cat, "en", d), f.Text(cat, "fr", d)
				if !strings.Contains(en, want[0]) || !strings.Contains(fr, want[1]) {
					t.Errorf("%s:\n en %q, want it to hold %q\n fr %q, want it to hold %q", label, en, want[0], fr, want[1])
				}
				if strings.Contains(en+fr, "{") || strings.Contains(en+fr, "!finding.") {
					t.Errorf("%s: a placeholder or a key is left: %q / %q", label, en, fr)
				}
			}
			check(Disclose, f, tt.disclose, "disclose")
			check(Withhold, f, tt.withhold, "withhold")
			kept := f.Withheld()
			check(Disclose, kept, tt.withhold, "withheld, then disclose")
			if tt.personal {
				if f.Value(Withhold) != "" || kept.Key != "" || f.Value(Disclose) != f.Key {
					t.Errorf("value: withhold %q, kept %q, disclose %q (key %q)", f.Value(Withhold), kept.Key, f.Value(Disclose), f.Key)
				}
				for _, l := range []string{"en", "fr"} {
					if s := f.Text(cat, l, Withhold) + kept.Text(cat, l, Disclose); strings.Contains(s, f.Key) {
						t.Errorf("%s: the personal value %q is in %q", l, f.Key, s)
					}
				}
			}
		})
	}
}

// TestEveryValueMessageHasAWithheldVariant checks that each finding message
// that quotes a value has a wording without it, in both languages, which
// names its field or says what is wrong without the value.
func TestEveryValueMessageHasAWithheldVariant(t *testing.T) {
	cat := testCatalogue(t)
	for _, k := range cat.Keys() {
		if !strings.HasPrefix(k, "finding.") || strings.HasSuffix(k, withheldSuffix) || k == "finding.recorded" {
			continue
		}
		for _, l := range Languages {
			quotes := false
			for _, form := range cat.Forms(l, k) {
				quotes = quotes || strings.Contains(form, "{value}")
			}
			if !quotes {
				continue
			}
			if !cat.Has(k + withheldSuffix) {
				t.Errorf("%s quotes {value} but has no %s variant", k, withheldSuffix)
				break
			}
			for _, form := range cat.Forms(l, k+withheldSuffix) {
				if strings.Contains(form, "{value}") {
					t.Errorf("%s%s (%s) still quotes {value}", k, withheldSuffix, l)
				}
			}
		}
	}
}
