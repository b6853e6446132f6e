package templates

import (
	"embed"
	"io/fs"
)

//go:embed messages.json
var messages []byte

// Messages returns the message catalogue: a JSON object mapping each key to
// its English ("en") and French ("fr") texts.
func Messages() []byte { return messages }

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
