package validate

import "testing"

func TestLookupJurisdiction(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Québec", "QC"}, {"quebec", "QC"}, {"qc", "QC"}, {"Qc", "QC"}, {"Que.", "QC"}, {"PQ", "QC"},
		{"C.-B.", "BC"}, {"B.C.", "BC"}, {"british columbia", "BC"}, {"Colombie-Britannique", "BC"},
		{"Terre-Neuve-et-Labrador", "NL"}, {"Nfld.", "NL"}, {"N.L.", "NL"}, {"T.-N.-L.", "NL"}, {"Newfoundland & Labrador", "NL"},
		{"PEI", "PE"}, {"P.E.I.", "PE"}, {"Î.-P.-É.", "PE"}, {"Île-du-Prince-Édouard", "PE"}, {"ile du prince edouard", "PE"},
		{"  Ontario\u00a0", "ON"}, {"Ont.", "ON"}, {"Man.", "MB"}, {"Sask.", "SK"}, {"Alta.", "AB"},
		{"N.W.T.", "NT"}, {"T.N.-O.", "NT"}, {"Territoires du Nord-Ouest", "NT"}, {"Y.T.", "YT"}, {"Nvt.", "NU"},
		{"N.-É.", "NS"}, {"Nouvelle-Écosse", "NS"}, {"N.-B.", "NB"}, {"NOUVEAU-BRUNSWICK", "NB"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			j, ok := LookupJurisdiction(tt.in)
			if !ok || j.Code != tt.want {
				t.Errorf("LookupJurisdiction(%q) = %q, %v; want %q", tt.in, j.Code, ok, tt.want)
			}
		})
	}
}

func TestUnknownJurisdictionSuggestion(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Ontaro", "ON"}, {"Albreta", "AB"}, {"Saskatchwan", "SK"}, {"Nouveau Brunswik", "NB"},
		{"Colombie Britanique", "BC"}, {"Manitobah", "MB"}, {"Quebecc", "QC"}, {"Nunavit", "NU"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, ok := LookupJurisdiction(tt.in); ok {
				t.Fatalf("%q should not match exactly", tt.in)
			}
			if got := SuggestJurisdiction(tt.in); got.Code != tt.want {
				t.Errorf("SuggestJurisdiction(%q) = %s, want %s", tt.in, got.Code, tt.want)
			}
		})
	}
}

func TestOrders(t *testing.T) {
	o := NewOrders([]Order{{Code: "indigenous", EN: "Indigenous governments", FR: "Gouvernements autochtones", Aliases: []string{"Autochtone"}}})
	tests := []struct{ in, want string }{
		{"Federal", OrderFederal}, {"fédéral", OrderFederal}, {"Provincial/territorial", OrderPT}, {"Provincial", OrderPT},
		{"P/T", OrderPT}, {"municipale", OrderMunicipal}, {"Ville", OrderMunicipal}, {"autochtone", "indigenous"},
		{"Gouvernements autochtones", "indigenous"},
	}
	for _, tt := range tests {
		if got, ok := o.Lookup(tt.in); !ok || got.Code != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, got.Code, ok, tt.want)
		}
	}
	if _, ok := o.Lookup("Feds"); ok {
		t.Error("Feds should not match")
	}
	if got := o.Suggest("Federl"); got.Code != OrderFederal {
		t.Errorf("Suggest(Federl) = %s", got.Code)
	}
}

func TestNameListAndSentence(t *testing.T) {
	cat := testCatalogue(t)
	codes := []string{"NL", "PE", "NU", "YT"}
	tests := []struct {
		codes      []string
		lang, want string
	}{
		{codes, "en", "Newfoundland and Labrador, Prince Edward Island, Nunavut and Yukon are not represented"},
		{codes, "fr", "Terre-Neuve-et-Labrador, l’Île-du-Prince-Édouard, le Nunavut et le Yukon ne sont pas représentés"},
		{[]string{"NU"}, "fr", "Le Nunavut n’est pas représenté"},
		{[]string{"PE"}, "fr", "L’Île-du-Prince-Édouard n’est pas représentée"},
		{[]string{"NT", "ON"}, "fr", "Les Territoires du Nord-Ouest et l’Ontario ne sont pas représentés"},
		{[]string{"YT"}, "en", "Yukon is not represented"},
		{nil, "en", "All provinces and territories are represented"},
		{nil, "fr", "Toutes les provinces et tous les territoires sont représentés"},
	}
	for _, tt := range tests {
		if got := MissingSentence(cat, tt.codes, tt.lang); got != tt.want {
			t.Errorf("MissingSentence(%v, %s) = %q, want %q", tt.codes, tt.lang, got, tt.want)
		}
	}
}

func TestFrenchOf(t *testing.T) {
	want := map[string]string{"NL": "de Terre-Neuve-et-Labrador", "PE": "de l’Île-du-Prince-Édouard", "NU": "du Nunavut",
		"NT": "des Territoires du Nord-Ouest", "NS": "de la Nouvelle-Écosse", "ON": "de l’Ontario"}
	for code, w := range want {
		j, _ := JurisdictionByCode(code)
		if got := FrenchOf(j); got != w {
			t.Errorf("FrenchOf(%s) = %q, want %q", code, got, w)
		}
	}
}

func TestFoldAndKey(t *testing.T) {
	tests := []struct{ in, fold, key string }{
		{"  Île-du-Prince-Édouard ", "ile du prince edouard", "ileduprinceedouard"},
		{"Plan d’action", "plan daction", "plandaction"},
		{"E-MAIL\u00a0", "e mail", "email"},
		{"P.E.I.", "pei", "pei"},
		{"Criticité", "criticite", "criticite"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.fold {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.fold)
		}
		if got := Key(tt.in); got != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.key)
		}
	}
}

func TestForgivingSpellings(t *testing.T) {
	orders := NewOrders(nil)
	for _, tt := range []struct {
		in, want string // want "" for a value that names no order
	}{
		{"Provincial ou territorial", OrderPT},
		{"prov./terr.", OrderPT},
		{"Gouvernement provincial", OrderPT},
		{"territorial", OrderPT},
		{"gouvernement fédéral", OrderFederal},
		{"Fed.", OrderFederal},
		{"administration municipale", OrderMunicipal},
		{"Municipalité", OrderMunicipal},
		{"Mun.", OrderMunicipal},
		{"Fédéral-provincial", ""}, // two orders
		{"Municipl", ""},           // a typo: a finding with a suggestion
		{"Gouvernement", ""},       // says nothing of which
		{"Gouvernement du Québec", ""},
	} {
		o, ok := orders.Lookup(tt.in)
		if ok != (tt.want != "") || o.Code != tt.want {
			t.Errorf("order %q = %q, %v; want %q", tt.in, o.Code, ok, tt.want)
		}
	}
	for _, tt := range []struct {
		in, want string
	}{
		{"Sask", "SK"},
		{"Nfld", "NL"},
		{"Terre-Neuve", "NL"},
		{"Colombie", "BC"},
		{"Terr. du Nord-Ouest", "NT"},
		{"Nouv.-Brunswick", "NB"},
		{"Que", "QC"},
		{"Île-du-P.-É.", "PE"},
		{"Nouv", ""},     // Nouvelle-Écosse or Nouveau-Brunswick
		{"New", ""},      // Newfoundland or New Brunswick
		{"Te", ""},       // too short to tell
		{"Atlantis", ""}, // nonsense
		{"Nunavit", ""},  // a typo: a finding with a suggestion
	} {
		j, ok := LookupJurisdiction(tt.in)
		if ok != (tt.want != "") || j.Code != tt.want {
			t.Errorf("jurisdiction %q = %q, %v; want %q", tt.in, j.Code, ok, tt.want)
		}
	}
	if s := SuggestJurisdiction("Nunavit"); s.Code != "NU" {
		t.Errorf("suggestion for Nunavit: %s, want NU", s.Code)
	}
}
