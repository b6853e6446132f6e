package validate

import (
	"sort"
	"strings"
)

// Jurisdiction is one of Canada's 13 provinces and territories.
type Jurisdiction struct {
	Code string // two letters, as used by Canada Post and ISO 3166-2:CA
	EN   string // English name
	FR   string // French name
	// FRArticle is the French name with its definite article, as it stands
	// as the subject of a sentence ("le Nunavut", "l’Île-du-Prince-Édouard").
	FRArticle string
	// FRFeminine reports whether the French name takes a feminine agreement.
	FRFeminine bool
	// Aliases are the other ways people write it, beyond the code and the
	// two names.
	Aliases []string
}

// Jurisdictions lists the 13 provinces and territories: the provinces from
// east to west, then the territories in alphabetical order, as the seed
// report names them.
var Jurisdictions = []Jurisdiction{
	{"NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "Terre-Neuve-et-Labrador", true,
		[]string{"Nfld.", "Nfld", "N.L.", "NF", "Newfoundland", "Terre-Neuve", "T.-N.-L.", "TNL", "Newfoundland & Labrador"}},
	{"PE", "Prince Edward Island", "Île-du-Prince-Édouard", "l’Île-du-Prince-Édouard", true,
		[]string{"PEI", "P.E.I.", "Î.-P.-É.", "IPE", "PEI Island", "P.E.", "Ile du Prince Edouard"}},
	{"NS", "Nova Scotia", "Nouvelle-Écosse", "la Nouvelle-Écosse", true,
		[]string{"N.S.", "N.-É.", "NE"}},
	{"NB", "New Brunswick", "Nouveau-Brunswick", "le Nouveau-Brunswick", false,
		[]string{"N.B.", "N.-B."}},
	{"QC", "Quebec", "Québec", "le Québec", false,
		[]string{"Qc", "Que.", "Qué.", "PQ", "P.Q.", "Province of Quebec", "Province de Québec"}},
	{"ON", "Ontario", "Ontario", "l’Ontario", false,
		[]string{"Ont.", "Ont"}},
	{"MB", "Manitoba", "Manitoba", "le Manitoba", false,
		[]string{"Man.", "Man"}},
	{"SK", "Saskatchewan", "Saskatchewan", "la Saskatchewan", true,
		[]string{"Sask.", "Sask"}},
	{"AB", "Alberta", "Alberta", "l’Alberta", true,
		[]string{"Alta.", "Alta", "Alb."}},
	{"BC", "British Columbia", "Colombie-Britannique", "la Colombie-Britannique", true,
		[]string{"B.C.", "C.-B.", "CB", "Brit. Columbia"}},
	{"NT", "Northwest Territories", "Territoires du Nord-Ouest", "les Territoires du Nord-Ouest", false,
		[]string{"N.W.T.", "NWT", "T.N.-O.", "TNO", "T.N.O.", "North West Territories"}},
	{"NU", "Nunavut", "Nunavut", "le Nunavut", false,
		[]string{"Nvt.", "Nvt", "Nun."}},
	{"YT", "Yukon", "Yukon", "le Yukon", false,
		[]string{"Y.T.", "Yuk.", "Yukon Territory", "Territoire du Yukon", "YK"}},
}

var jurisdictionByKey = func() map[string]int {
	m := make(map[string]int)
	for i, j := range Jurisdictions {
		for _, s := range append([]string{j.Code, j.EN, j.FR, j.FRArticle}, j.Aliases...) {
			m[Key(s)] = i
		}
	}
	return m
}()

// LookupJurisdiction returns the province or territory that s names, in any
// of the ways people write it; ok is false when it names none.
//
// Beyond the names, codes and aliases, any unambiguous beginning of the
// English or French name of three letters or more is recognized, as a
// whole ("Sask", "Colombie", "Terre-Neuve") or word by word ("Terr. du
// Nord-Ouest", "Nouv.-Brunswick"); "Nouv" (Nouvelle-Écosse or
// Nouveau-Brunswick) is not.
func LookupJurisdiction(s string) (j Jurisdiction, ok bool) {
	k := Key(s)
	if i, ok := jurisdictionByKey[k]; ok {
		return Jurisdictions[i], true
	}
	if i, ok := jurisdictionByPrefix(s, k); ok {
		return Jurisdictions[i], true
	}
	return Jurisdiction{}, false
}

// jurisdictionByPrefix returns the one province or territory whose English
// or French name begins with s, whole or word by word.
func jurisdictionByPrefix(s, k string) (int, bool) {
	letters := 0
	for _, r := range k {
		if r >= 'a' && r <= 'z' {
			letters++
		}
	}
	if letters < 3 {
		return 0, false
	}
	words := strings.Fields(Fold(s))
	found := -1
	for i, j := range Jurisdictions {
		for _, name := range []string{j.EN, j.FR} {
			if strings.HasPrefix(Key(name), k) || wordPrefixes(words, strings.Fields(Fold(name))) {
				if found >= 0 && found != i {
					return 0, false
				}
				found = i
			}
		}
	}
	return found, found >= 0
}

// wordPrefixes reports whether each of words begins the word of name at
// the same place.
func wordPrefixes(words, name []string) bool {
	if len(words) < 2 || len(words) > len(name) {
		return false
	}
	for i, w := range words {
		if !strings.HasPrefix(name[i], w) {
			return false
		}
	}
	return true
}

// JurisdictionByCode returns the province or territory with the two-letter
// code (any case).
func JurisdictionByCode(code string) (Jurisdiction, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, j := range Jurisdictions {
		if j.Code == code {
			return j, true
		}
	}
	return Jurisdiction{}, false
}

// SuggestJurisdiction returns the province or territory whose name is
// closest to s, for a value that names none.
func SuggestJurisdiction(s string) Jurisdiction {
	k := Key(s)
	best, bestD := 0, -1
	for i, j := range Jurisdictions {
		cands := []string{j.EN, j.FR}
		if len([]rune(k)) <= 4 {
			cands = append(cands, j.Code)
			cands = append(cands, j.Aliases...)
		}
		for _, c := range cands {
			d := distance(k, Key(c))
			if bestD < 0 || d < bestD {
				best, bestD = i, d
			}
		}
	}
	return Jurisdictions[best]
}

// Name returns the jurisdiction's name in lang ("fr" for French, English
// otherwise).
func (j Jurisdiction) Name(lang string) string {
	if lang == "fr" {
		return j.FR
	}
	return j.EN
}

// NameList joins the names of the given codes as a sentence does, in lang:
// "Nunavut and Yukon" in English; with their articles in French, "le
// Nunavut et le Yukon". Unknown codes are skipped.
func NameList(codes []string, lang string) string {
	var names []string
	for _, c := range codes {
		j, ok := JurisdictionByCode(c)
		if !ok {
			continue
		}
		if lang == "fr" {
			names = append(names, j.FRArticle)
		} else {
			names = append(names, j.EN)
		}
	}
	and := " and "
	if lang == "fr" {
		and = " et "
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + and + names[len(names)-1]
}

// Order is an order of government.
type Order struct {
	Code    string   // e.g. federal, pt, municipal
	EN      string   // English name
	FR      string   // French name
	Aliases []string // other ways people write it
}

// Name returns the order's name in lang.
func (o Order) Name(lang string) string {
	if lang == "fr" {
		return o.FR
	}
	return o.EN
}

// The codes of the built-in orders of government.
const (
	OrderFederal   = "federal"
	OrderPT        = "pt"
	OrderMunicipal = "municipal"
)

// DefaultOrders are the three orders of government every community counts.
// Communities that count more (e.g. Indigenous governments) add them in the
// configuration.
var DefaultOrders = []Order{
	{OrderFederal, "Federal", "Fédéral", []string{"Fed", "Fed.", "Federal government", "Gouvernement fédéral", "Government of Canada", "Gouvernement du Canada", "GC", "Fédérale"}},
	{OrderPT, "Provincial/territorial", "Provincial/territorial", []string{"Provincial", "Territorial", "Province", "Territory", "Territoire", "P/T", "PT", "Prov.", "Provincial / Territorial", "Provincial or territorial", "Provinciale", "Territoriale", "Provincial/Territoriale", "Provinciale/territoriale", "F/P/T provincial", "Provincial ou territorial", "Prov./terr.", "P.-T.", "Provincial-territorial"}},
	{OrderMunicipal, "Municipal", "Municipal", []string{"Municipality", "Municipalité", "Municipale", "City", "Ville", "Town", "Local", "Local government", "Administration municipale", "Gouvernement municipal", "Municipal government"}},
}

// Orders is a set of orders of government with their aliases.
type Orders struct {
	list  []Order
	byKey map[string]int
}

// NewOrders returns the set of the default orders plus extra ones; an extra
// order with the code of a default one adds to its aliases.
func NewOrders(extra []Order) *Orders {
	o := &Orders{byKey: map[string]int{}}
	for _, d := range DefaultOrders {
		d.Aliases = append([]string(nil), d.Aliases...)
		o.list = append(o.list, d)
	}
	for _, e := range extra {
		found := false
		for i := range o.list {
			if o.list[i].Code == e.Code {
				o.list[i].Aliases = append(o.list[i].Aliases, e.Aliases...)
				found = true
			}
		}
		if !found {
			o.list = append(o.list, e)
		}
	}
	for i, d := range o.list {
		for _, s := range append([]string{d.Code, d.EN, d.FR}, d.Aliases...) {
			if s != "" {
				o.byKey[Key(s)] = i
			}
		}
	}
	return o
}

// All returns the orders, the default ones first.
func (o *Orders) All() []Order { return o.list }

// Lookup returns the order that s names: one of its names or aliases, or
// words that all name it, whole or by a beginning of three letters or more
// ("gouvernement provincial", "Prov. ou terr.", "administration
// municipale"). Words that name two orders ("fédéral/provincial") name
// none.
func (o *Orders) Lookup(s string) (Order, bool) {
	i, ok := o.byKey[Key(s)]
	if !ok {
		i, ok = o.byWords(s)
	}
	if !ok {
		return Order{}, false
	}
	return o.list[i], true
}

// orderFiller are the words that say nothing of which order a value names.
var orderFiller = map[string]bool{
	"ou": true, "or": true, "et": true, "and": true, "de": true, "du": true, "des": true, "la": true, "le": true, "les": true,
	"l": true, "of": true, "the": true, "gouvernement": true, "government": true, "gouv": true, "gov": true, "govt": true,
	"administration": true, "ordre": true, "order": true, "palier": true, "level": true, "ministere": true, "ministry": true,
	"department": true, "organisme": true, "agency": true,
}

// orderWords are more words that name each default order, beyond their
// names and aliases.
var orderWords = map[string][]string{
	OrderFederal:   {"federal", "federale", "canada"},
	OrderPT:        {"provincial", "provinciale", "province", "territorial", "territoriale", "territoire", "territory", "territoires"},
	OrderMunicipal: {"municipal", "municipale", "municipalite", "municipality", "ville", "city", "town", "local", "locale"},
}

// byWords returns the order that every word of s names.
func (o *Orders) byWords(s string) (int, bool) {
	found, any := -1, false
	for _, w := range strings.Fields(Fold(s)) {
		if orderFiller[w] {
			continue
		}
		i, ok := o.wordOrder(w)
		if !ok || found >= 0 && i != found {
			return 0, false
		}
		found, any = i, true
	}
	return found, any
}

// wordOrder returns the order one word names: a word of its names,
// aliases and orderWords, or the one order such words begin with w (three
// letters or more).
func (o *Orders) wordOrder(w string) (int, bool) {
	found := -1
	for i, d := range o.list {
		words := append([]string(nil), orderWords[d.Code]...)
		for _, n := range append([]string{d.EN, d.FR}, d.Aliases...) {
			words = append(words, strings.Fields(Fold(n))...)
		}
		for _, x := range words {
			if orderFiller[x] || len(x) < 3 && x != w {
				continue
			}
			if x == w || len(w) >= 3 && strings.HasPrefix(x, w) {
				if found >= 0 && found != i {
					return 0, false
				}
				found = i
			}
		}
	}
	return found, found >= 0
}

// ByCode returns the order with the code.
func (o *Orders) ByCode(code string) (Order, bool) {
	for _, d := range o.list {
		if d.Code == code {
			return d, true
		}
	}
	return Order{}, false
}

// Suggest returns the order whose name or alias is closest to s.
func (o *Orders) Suggest(s string) Order {
	k := Key(s)
	keys := make([]string, 0, len(o.byKey))
	for key := range o.byKey {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	best, bestD := 0, -1
	for _, key := range keys {
		if d := distance(k, key); bestD < 0 || d < bestD {
			best, bestD = o.byKey[key], d
		}
	}
	return o.list[best]
}

// MissingSentence returns the sentence of the seed report that names the
// provinces and territories not represented, in lang: "Nunavut and Yukon are
// not represented", "Le Nunavut et le Yukon ne sont pas représentés".
func MissingSentence(cat *Catalogue, codes []string, lang string) string {
	list := Capitalize(NameList(codes, lang))
	key := "coverage.many-missing"
	switch len(codes) {
	case 0:
		key = "coverage.none-missing"
	case 1:
		key = "coverage.one-missing"
		if j, ok := JurisdictionByCode(codes[0]); ok && j.FRFeminine {
			key = "coverage.one-missing-f"
		}
	}
	return cat.T(lang, key, map[string]string{"list": list})
}
