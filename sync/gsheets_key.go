package sync

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxKeyFileSize bounds the service-account key file read; real ones are
// about 2 KiB.
const maxKeyFileSize = 1 << 20

// readServiceAccountKey checks that file is a usable service-account JSON
// key and returns its client_email, the address the spreadsheet must be
// shared with. Its messages never quote the key's content.
func readServiceAccountKey(file string) (string, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{ErrCredentials, file}, a...)...)
	}
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", bad("the key file does not exist")
		}
		if errors.Is(err, fs.ErrPermission) {
			return "", bad("the key file cannot be read (permission denied)")
		}
		return "", bad("the key file cannot be opened")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return "", bad("the key file cannot be read")
	}
	if len(data) > maxKeyFileSize {
		return "", bad("the file is too large to be a service-account key")
	}
	var k struct {
		Type         string `json:"type"`
		ClientEmail  string `json:"client_email"`
		PrivateKey   string `json:"private_key"`
		PrivateKeyID string `json:"private_key_id"`
	}
	if err := json.Unmarshal(data, &k); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return "", bad("the file is not JSON (syntax error at byte %d)", se.Offset)
		}
		return "", bad("the file is not a service-account key (unexpected JSON)")
	}
	switch {
	case k.Type != "service_account":
		if k.Type == "" {
			return "", bad("the file is not a service-account key (it has no \"type\")")
		}
		return "", bad("the file is a %q credential, not a service-account key (type \"service_account\"); create a key for a service account in the Google Cloud console", k.Type)
	case k.ClientEmail == "":
		return "", bad("the key has no client_email")
	case k.PrivateKey == "":
		return "", bad("the key has no private_key")
	}
	block, _ := pem.Decode([]byte(k.PrivateKey))
	if block == nil {
		return "", bad("the key's private_key is not a PEM-encoded key")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		if _, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 != nil {
			return "", bad("the key's private_key cannot be read")
		}
	}
	return k.ClientEmail, nil
}
