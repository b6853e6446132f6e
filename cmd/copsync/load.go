package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"copsync/config"
	"copsync/validate"
)

// keyDelim separates the parts of a key inside viper, so that keys which
// hold dots themselves (finding codes under rules.severity) stay whole.
const keyDelim = "::"

// envConfig names the variable that gives the configuration file.
const envConfig = "COPSYNC_CONFIG"

// envPassword gives the SMTP password, which is never in the file.
const envPassword = "COPSYNC_NOTIFY_SMTP_PASSWORD"

// envNotKeys are the COPSYNC_ variables that are not configuration keys
// and yet are not mistakes: the configuration file, the SMTP password, and
// the variables of the repository's own scripts and tests (.ci/, the
// Google Sheets integration test, the lock test's child process). Any other
// COPSYNC_ variable that names no key is an error.
var envNotKeys = []string{
	envConfig,
	envPassword,
	"COPSYNC_BIN",                    // .ci/run and .ci/e2e-mailpit: the binary under test
	"COPSYNC_GSHEETS_IT_SPREADSHEET", // sync's integration test against Google Sheets
	"COPSYNC_GSHEETS_IT_SHEET",
	"COPSYNC_GSHEETS_IT_CREDENTIALS",
	"COPSYNC_TEST_LOCK_DIR", // notify's lock test, in its child process
	"COPSYNC_TEST_AS_MAIN",  // cmd/copsync's process tests: the test binary runs as copsync
}

// envName returns the environment variable that overrides key.
func envName(key string) string {
	return "COPSYNC_" + strings.ToUpper(strings.NewReplacer(keyDelim, "_", ".", "_", "-", "_").Replace(key))
}

// leafKeys returns every key of the configuration that holds a value (a
// scalar, a list or a map), with its default, by walking the struct tags.
func leafKeys(v reflect.Value, prefix string, out map[string]any) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("mapstructure")
		if tag == "" || tag == "-" {
			continue
		}
		key := tag
		if prefix != "" {
			key = prefix + keyDelim + tag
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			leafKeys(fv, key, out)
			continue
		}
		out[key] = fv.Interface()
	}
}

// keyTree lists, for each key that holds keys (a section, or an element of
// a list of sections written parent[]), the names of its children.
type keyTree map[string][]string

// knownKeys walks the configuration's type: every key a file may hold.
func knownKeys(t reflect.Type, prefix string, out keyTree) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("mapstructure")
		if tag == "" || tag == "-" {
			continue
		}
		out[prefix] = append(out[prefix], tag)
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		switch ft := f.Type; {
		case ft.Kind() == reflect.Struct:
			knownKeys(ft, key, out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			knownKeys(ft.Elem(), key+"[]", out)
		}
	}
}

var listIndex = regexp.MustCompile(`\[\d+\]`)

// suggestKey returns the known key nearest to an unknown one: a key of
// that name in one other section, or a sibling spelled nearly alike.
func (kt keyTree) suggestKey(key string) string {
	parent, name := "", key
	if i := strings.LastIndex(key, "."); i >= 0 {
		parent, name = key[:i], key[i+1:]
	}
	// The exact name in one other section ("cron" → "schedule.cron") says
	// more than a sibling that is merely spelled alike ("cron" → "run").
	var elsewhere []string
	for p, children := range kt {
		if slices.Contains(children, name) && !strings.Contains(p, "[]") && p != listIndex.ReplaceAllString(parent, "[]") {
			elsewhere = append(elsewhere, strings.TrimPrefix(p+"."+name, "."))
		}
	}
	if len(elsewhere) == 1 {
		return elsewhere[0]
	}
	if m := validate.Closest(name, kt[listIndex.ReplaceAllString(parent, "[]")]); m != "" {
		if parent == "" {
			return m
		}
		return parent + "." + m
	}
	return ""
}

// envOverridable reports whether a key of this kind can be set from one
// environment variable: scalars and lists of scalars.
func envOverridable(v any) bool {
	switch reflect.TypeOf(v).Kind() {
	case reflect.Map:
		return false
	case reflect.Slice:
		return reflect.TypeOf(v).Elem().Kind() != reflect.Struct
	}
	return true
}

// problems gathers the problems of a configuration, each naming its key,
// so that all of them are reported at once. A key that has a problem gets
// no second one from a later check: a value that could not be decoded is
// not also reported as out of range.
type problems struct {
	list []problem
	// where names the origin of a key's value: the variable that set it.
	where map[string]string
	// file is the configuration file read, "" for the defaults.
	file string
}

// problem is one thing wrong with the configuration.
type problem struct {
	key, msg string
}

// add records a problem of key, unless key, a section holding it or a key
// inside it already has one.
func (p *problems) add(key, format string, a ...any) {
	if p.has(key) {
		return
	}
	p.list = append(p.list, problem{key, fmt.Sprintf(format, a...)})
}

// addLine records a problem written "key: message", as config.Validate,
// notify.Config.Validate and the template errors write them.
func (p *problems) addLine(line string) {
	key, msg, ok := strings.Cut(line, ": ")
	if !ok || strings.ContainsAny(key, " \"") {
		key, msg = "", line
	}
	if key == "" {
		p.list = append(p.list, problem{"", msg})
		return
	}
	p.add(key, "%s", msg)
}

func (p *problems) has(key string) bool {
	if key == "" {
		return false
	}
	for _, q := range p.list {
		if q.key == "" {
			continue
		}
		if q.key == key || keyWithin(key, q.key) || keyWithin(q.key, key) {
			return true
		}
	}
	return false
}

// keyWithin reports whether key lies inside the section or list parent.
func keyWithin(key, parent string) bool {
	return strings.HasPrefix(key, parent+".") || strings.HasPrefix(key, parent+"[")
}

// err returns the problems as a *config.Error, one line each, every line
// saying where the value came from: the variable that set it or the file.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	e := &config.Error{}
	for _, q := range p.list {
		line := q.msg
		if q.key != "" {
			line = q.key + ": " + q.msg
		}
		switch {
		case strings.HasPrefix(q.key, "COPSYNC_"):
		case p.origin(q.key) != "":
			line = p.origin(q.key) + ": " + line
		case p.file != "" && q.key != "":
			line = p.file + ": " + line
		}
		e.Problems = append(e.Problems, line)
	}
	return e
}

// origin returns the variable that set key or the section holding it.
func (p *problems) origin(key string) string {
	for k, v := range p.where {
		if k == key || keyWithin(key, k) {
			return v
		}
	}
	return ""
}

// loaded is the configuration as read, and where it came from.
type loaded struct {
	cfg *config.Config
	// file is the file read; "" when none was found and the built-in
	// defaults are used.
	file string
	// tried are the paths looked at when no file was found.
	tried []string
}

// readConfig reads the configuration: the defaults, then the file at path
// (optional when explicit is false and the file does not exist), then the
// COPSYNC_* variables named in environ, with values from getenv. It records
// every problem it finds in p: a file that cannot be read or parsed,
// unknown keys and variables (with the nearest known one), values of the
// wrong type, and what config.Validate finds. The configuration is nil
// when the file could not be read or parsed.
func readConfig(path string, explicit bool, getenv func(string) string, environ []string, p *problems) loaded {
	v := viper.NewWithOptions(viper.KeyDelimiter(keyDelim))
	defaults := map[string]any{}
	leafKeys(reflect.ValueOf(config.Default()), "", defaults)
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	var out loaded
	var empty []string // the file's keys that hold no value
	fileOK := true
	if path != "" {
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			out.file, p.file = path, path
			// The file is parsed once, here, as viper would parse it; on
			// an error viper parses it again, for its own message.
			var doc map[string]any
			if yaml.Unmarshal(data, &doc) == nil {
				empty = emptyKeys(doc)
				_ = v.MergeConfigMap(doc) // which changes doc
				break
			}
			v.SetConfigType("yaml")
			if err := v.ReadConfig(strings.NewReader(string(data))); err != nil {
				p.list = append(p.list, problem{"", fmt.Sprintf("%s: %s", path, validate.OneLine(err.Error()))})
			} else {
				p.list = append(p.list, problem{"", fmt.Sprintf("%s: not a YAML mapping", path)})
			}
			fileOK = false
		case errors.Is(err, fs.ErrNotExist) && !explicit:
			abs, aerr := filepath.Abs(path)
			if aerr != nil {
				abs = path
			}
			out.tried = append(out.tried, abs)
		default:
			p.list = append(p.list, problem{"", fmt.Sprintf("read %s: %v", path, errors.Unwrap(err))})
			fileOK = false
		}
	}
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p.where = map[string]string{}
	for _, k := range keys {
		if !envOverridable(defaults[k]) {
			continue
		}
		name := envName(k)
		val, ok := lookup(getenv, name)
		if !ok {
			continue
		}
		p.where[strings.ReplaceAll(k, keyDelim, ".")] = name
		if _, isList := defaults[k].([]string); isList {
			var list []string
			for _, s := range strings.Split(val, ",") {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			v.Set(k, list)
		} else {
			v.Set(k, val)
		}
	}
	checkEnvNames(keys, defaults, getenv, environ, p)
	if !fileOK {
		return out
	}
	var cfg config.Config
	err := v.Unmarshal(&cfg, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true
		dc.WeaklyTypedInput = true
		dc.ZeroFields = true
	})
	kt := keyTree{}
	knownKeys(reflect.TypeOf(config.Config{}), "", kt)
	if err != nil {
		decodeProblems(err, kt, p)
	}
	// The decoder never sees a key left empty ("sheeet:"): viper drops it.
	for _, k := range empty {
		parent, name := "", k
		if i := strings.LastIndex(k, "."); i >= 0 {
			parent, name = k[:i], k[i+1:]
		}
		children, section := kt[listIndex.ReplaceAllString(parent, "[]")]
		if !section || slices.Contains(children, name) {
			continue // inside a map (fields, rules.severity…), or known
		}
		if s := kt.suggestKey(k); s != "" {
			p.add(k, "unknown key (did you mean %s?)", s)
		} else {
			p.add(k, "unknown key")
		}
	}
	if pf := cfg.Notify.SMTP.PasswordFile; pf != "" {
		data, err := os.ReadFile(pf)
		if err != nil {
			p.add("notify.smtp.password_file", "cannot read %s: %v", pf, errors.Unwrap(err))
		} else {
			cfg.Notify.SMTP.Password = config.Secret(strings.TrimRight(string(data), "\r\n"))
		}
	}
	if pw, ok := lookup(getenv, envPassword); ok {
		cfg.Notify.SMTP.Password = config.Secret(pw)
	}
	if err := cfg.Validate(); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			for _, line := range ce.Problems {
				p.addLine(line)
			}
		} else {
			p.addLine(err.Error())
		}
	}
	out.cfg = &cfg
	return out
}

// checkEnvNames records a problem for each COPSYNC_ variable set in the
// environment that names no key: a typo there would otherwise be ignored,
// though the same typo in the file is an error.
func checkEnvNames(keys []string, defaults map[string]any, getenv func(string) string, environ []string, p *problems) {
	known := slices.Clone(envNotKeys)
	var whole []string // keys that no single variable can set
	for _, k := range keys {
		if envOverridable(defaults[k]) {
			known = append(known, envName(k))
		} else {
			whole = append(whole, k)
		}
	}
	seen := map[string]bool{}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "COPSYNC_") || seen[name] || slices.Contains(known, name) {
			continue
		}
		seen[name] = true
		if _, ok := lookup(getenv, name); !ok {
			continue // empty: the same as unset
		}
		if i := slices.IndexFunc(whole, func(k string) bool {
			return name == envName(k) || strings.HasPrefix(name, envName(k)+"_")
		}); i >= 0 {
			p.list = append(p.list, problem{name, fmt.Sprintf("%s cannot be set from the environment; set it in the configuration file",
				strings.ReplaceAll(whole[i], keyDelim, "."))})
			continue
		}
		msg := "unknown variable: no configuration key has this name"
		if m := validate.Closest(name, known); m != "" {
			msg += " (did you mean " + m + "?)"
		}
		p.list = append(p.list, problem{name, msg})
	}
}

func lookup(getenv func(string) string, name string) (string, bool) {
	val := getenv(name)
	return val, val != ""
}

// decodeProblems records the decoder's problems, each naming its key: the
// unknown keys, with the nearest known key, and the values of the wrong
// type.
func decodeProblems(err error, kt keyTree, p *problems) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			decodeProblems(e, kt, p)
		}
		return
	}
	de, ok := err.(*mapstructure.DecodeError)
	if !ok {
		if inner := errors.Unwrap(err); inner != nil {
			decodeProblems(inner, kt, p)
			return
		}
		p.addLine(validate.OneLine(strings.ReplaceAll(err.Error(), keyDelim, ".")))
		return
	}
	key := decodedKey(de.Name())
	inner := de.Unwrap()
	switch e := inner.(type) {
	case nil:
		p.add(key, "cannot be decoded")
		return
	case *mapstructure.DecodeError, interface{ Unwrap() []error }:
		decodeProblems(inner, kt, p)
		return
	case *mapstructure.ParseError:
		p.add(key, "%q is not %s", fmt.Sprint(e.Value), kindName(e.Expected.Kind()))
		return
	}
	msg := validate.OneLine(strings.ReplaceAll(inner.Error(), keyDelim, "."))
	names, ok := strings.CutPrefix(msg, "has invalid keys: ")
	if !ok {
		p.add(key, "%s", msg)
		return
	}
	for _, n := range strings.Split(names, ",") {
		k := strings.TrimSpace(n)
		if key != "" {
			k = key + "." + k
		}
		if k == "notify.smtp.password" {
			p.add(k, "not allowed in the configuration file; use notify.smtp.password_file or %s", envPassword)
			continue
		}
		if s := kt.suggestKey(k); s != "" {
			p.add(k, "unknown key (did you mean %s?)", s)
		} else {
			p.add(k, "unknown key")
		}
	}
}

// kindName says what a value of kind k is, for a value that is not one.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a " + k.String()
}

// emptyKeys returns the keys of a YAML file that hold no value, written
// as keys ("sources.members.sheet", "rules.custom[0].name").
func emptyKeys(doc map[string]any) []string {
	var out []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				sub := k
				if key != "" {
					sub = key + "." + k
				}
				if x == nil {
					out = append(out, sub)
					continue
				}
				walk(x, sub)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s[%d]", key, i))
			}
		}
	}
	walk(doc, "")
	sort.Strings(out)
	return out
}

var mapIndex = regexp.MustCompile(`\[([^\]]*[^\]0-9][^\]]*)\]`)

// decodedKey writes a decoder's field name as a key: map entries
// ("rules.severity[issue.nope]") as keys, list items ("rules.custom[0]")
// as they are.
func decodedKey(name string) string {
	name = strings.ReplaceAll(name, keyDelim, ".")
	return mapIndex.ReplaceAllString(name, ".$1")
}

// loadConfig reads and checks the configuration (readConfig, then the
// components checkConfig builds) and returns it, or a *config.Error naming
// every problem.
func loadConfig(path string, explicit bool, getenv func(string) string) (*config.Config, error) {
	var p problems
	l := readConfig(path, explicit, getenv, nil, &p)
	if l.cfg != nil {
		checkConfig(l.cfg, nil, &p)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return l.cfg, nil
}
