package templates

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// The catalogue is split by area (messages.json for the core,
// messages_<area>.json for the others) and merged at load.
//
//go:embed messages*.json
var catalogue embed.FS

// Messages returns the message catalogue: one JSON object mapping each key
// to its English ("en") and French ("fr") texts, merged from every
// messages*.json file. A text is a string, or an object of plural forms
// {"one": "…", "other": "…"} (see validate.ParseCatalogue). A key defined
// twice is an error.
func Messages() ([]byte, error) {
	names, err := fs.Glob(catalogue, "messages*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	merged := map[string]map[string]json.RawMessage{}
	for _, n := range names {
		data, err := catalogue.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var m map[string]map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		for k, v := range m {
			if _, dup := merged[k]; dup {
				return nil, fmt.Errorf("%s: key %q is defined twice", n, k)
			}
			merged[k] = v
		}
	}
	return json.Marshal(merged)
}

//go:embed all:files
var files embed.FS

// Files returns the other embedded assets (e-mail templates, starter
// workbook definitions), rooted at the folder files/.
func Files() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}
