package sheetstest

import (
	"fmt"
	"reflect"
	"strings"
)

// mask is a parsed partial-response field mask ("fields" parameter): each
// named field maps to the mask of its sub-fields, nil meaning all of them.
type mask map[string]mask

// parseMask parses a field mask in Google's syntax: fields separated by
// commas, sub-fields after "/" (or ".") or in parentheses, "*" for every
// field: "properties/title,sheets(properties(sheetId,title),merges)".
func parseMask(s string) (mask, error) {
	p := &maskParser{s: s}
	m := mask{}
	if err := p.list(m); err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.s[p.i], p.i)
	}
	return m, nil
}

type maskParser struct {
	s string
	i int
}

func (p *maskParser) list(into mask) error {
	for {
		if err := p.item(into); err != nil {
			return err
		}
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return nil
	}
}

func (p *maskParser) item(into mask) error {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(",/.()", p.s[p.i]) < 0 {
		p.i++
	}
	name := strings.TrimSpace(p.s[start:p.i])
	if name == "" {
		return fmt.Errorf("empty field name at offset %d", start)
	}
	if p.i == len(p.s) || p.s[p.i] == ',' || p.s[p.i] == ')' {
		into[name] = nil // the whole field
		return nil
	}
	sub, seen := into[name]
	if seen && sub == nil {
		sub = mask{} // already whole: parse and drop the narrower selection
	} else if sub == nil {
		sub = mask{}
		into[name] = sub
	}
	switch p.s[p.i] {
	case '/', '.':
		p.i++
		return p.item(sub)
	case '(':
		p.i++
		if err := p.list(sub); err != nil {
			return err
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return fmt.Errorf("missing ')' at offset %d", p.i)
		}
		p.i++
		return nil
	}
	return fmt.Errorf("unexpected %q at offset %d", p.s[p.i], p.i)
}

// check reports the first field of the mask that type t does not have, as
// the real API refuses a mask naming an unknown field.
func (m mask) check(t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		if len(m) > 0 {
			return fmt.Errorf("field %s has no sub-fields", path)
		}
		return nil
	}
	for name, sub := range m {
		if name == "*" {
			continue
		}
		f, ok := jsonField(t, name)
		if !ok {
			return fmt.Errorf("invalid field selection %s", strings.TrimPrefix(path+"."+name, "."))
		}
		if sub != nil {
			if err := sub.check(f.Type, strings.TrimPrefix(path+"."+name, ".")); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// apply keeps of a decoded JSON value only the fields of the mask; a list
// is filtered element by element.
func (m mask) apply(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range v {
			sub, ok := m[k]
			if !ok {
				sub, ok = m["*"]
			}
			if !ok {
				continue
			}
			if sub == nil {
				out[k] = val
			} else {
				out[k] = sub.apply(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = m.apply(e)
		}
		return out
	}
	return v
}
