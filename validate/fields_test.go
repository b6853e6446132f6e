package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestDetectHeader(t *testing.T) {
	members := DefaultSchemas()[SourceMembers]
	issues := DefaultSchemas()[SourceIssues]
	tests := []struct {
		name    string
		schema  Schema
		rows    [][]string
		row     int
		mapping map[string]int // field → column
	}{
		{
			name:   "english on row 1",
			schema: members,
			rows:   [][]string{{"Name", "Email", "Organization", "Order of government", "Province or territory", "Status"}},
			row:    1, mapping: map[string]int{FieldName: 0, FieldEmail: 1, FieldOrganization: 2, FieldOrder: 3, FieldJurisdiction: 4, FieldStatus: 5},
		},
		{
			name:   "french under a title block",
			schema: members,
			rows: [][]string{
				{"Communauté de pratique — liste des membres"},
				{},
				{"Mise à jour : septembre 2022", "", "Nom"},
				{"", "NOM", "Courriel", "Organisation", "Ordre de gouvernement", "Province ou territoire", "Statut"},
			},
			row: 4, mapping: map[string]int{FieldName: 1, FieldEmail: 2, FieldOrganization: 3, FieldOrder: 4, FieldJurisdiction: 5, FieldStatus: 6},
		},
		{
			name:   "accents dropped, odd spacing and case",
			schema: members,
			rows:   [][]string{{" nom\u00a0", "E-MAIL", "  province  ou  territoire ", "statut"}},
			row:    1, mapping: map[string]int{FieldName: 0, FieldEmail: 1, FieldJurisdiction: 2, FieldStatus: 3},
		},
		{
			name:   "bilingual titles",
			schema: members,
			rows:   [][]string{{"Name / Nom", "Email / Courriel", "Order of government / Ordre de gouvernement"}},
			row:    1, mapping: map[string]int{FieldName: 0, FieldEmail: 1, FieldOrder: 2},
		},
		{
			name:   "issues in french",
			schema: issues,
			rows:   [][]string{{"ENJEUX/DÉFIS"}, {"Enjeu", "Criticite", "Incidence", "Plan d’action", "Responsable", "Échéance"}},
			row:    2, mapping: map[string]int{FieldIssue: 0, FieldCriticality: 1, FieldIncidence: 2, FieldActionPlan: 3, FieldOwner: 4, FieldTargetDate: 5},
		},
		{
			name:   "issues in english with impact",
			schema: issues,
			rows:   [][]string{{"Issue", "Criticality", "Impact", "Action plan"}},
			row:    1, mapping: map[string]int{FieldIssue: 0, FieldCriticality: 1, FieldIncidence: 2, FieldActionPlan: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := DetectHeader(tt.rows, tt.schema)
			if err != nil {
				t.Fatal(err)
			}
			if h.Row != tt.row {
				t.Errorf("header row = %d, want %d", h.Row, tt.row)
			}
			for f, col := range tt.mapping {
				if got := h.Col(f); got != col {
					t.Errorf("Col(%s) = %d, want %d", f, got, col)
				}
			}
		})
	}
}

func TestDetectHeaderNotFound(t *testing.T) {
	rows := [][]string{{"Budget 2022"}, {"Item", "Amount"}}
	_, err := DetectHeader(rows, DefaultSchemas()[SourceMembers])
	var he *HeaderError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want *HeaderError", err)
	}
	msg := err.Error()
	for _, want := range []string{`"Budget 2022"`, `"Item"`, `"Amount"`, `"Name"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %s", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("message has a line break: %q", msg)
	}
}

func TestDetectHeaderOnlyFirstRows(t *testing.T) {
	rows := make([][]string, HeaderRows)
	rows = append(rows, []string{"Name", "Email", "Status"})
	if _, err := DetectHeader(rows, DefaultSchemas()[SourceMembers]); err == nil {
		t.Fatalf("a header on row %d was accepted; only the first %d rows are searched", len(rows), HeaderRows)
	}
}

func TestWithAliases(t *testing.T) {
	s := DefaultSchemas()[SourceMembers].WithAliases(map[string][]string{
		FieldEmail: {"Adresse"},
		"phone":    {"Téléphone"},
	})
	h, err := DetectHeader([][]string{{"Nom", "Adresse", "Telephone"}}, s)
	if err != nil {
		t.Fatal(err)
	}
	if h.Col(FieldEmail) != 1 || h.Col("phone") != 2 {
		t.Errorf("columns: email %d, phone %d; want 1, 2", h.Col(FieldEmail), h.Col("phone"))
	}
}
