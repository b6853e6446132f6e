package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"copsync/validate"
)

// The catalogue is split by area (messages.json for the core,
// messages_<area>.json for the others) and merged at load.
//
//go:embed messages*.json
var catalogue embed.FS

// Catalogue returns the message catalogue, parsed from every messages*.json
// file in the order of their names by validate.ParseCatalogueFiles: each key
// with its English ("en") and French ("fr") texts. A text is a string, or an
// object of plural forms {"one": "…", "other": "…"}. A key defined twice, a
// text missing or any other flaw is an error.
func Catalogue() (*validate.Catalogue, error) {
	names, err := fs.Glob(catalogue, "messages*.json")
	if err != nil {
		return nil, fmt.Errorf("list the message catalogue's files: %w", err)
	}
	sort.Strings(names)
	files := make([]validate.CatalogueFile, len(names))
	for i, n := range names {
		data, err := catalogue.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("read the message catalogue: %w", err)
		}
		files[i] = validate.CatalogueFile{Name: "templates/" + n, Data: data}
	}
	return validate.ParseCatalogueFiles(files...)
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
