package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"copsync/config"
)

// keyDelim separates the parts of a key inside viper, so that keys which
// hold dots themselves (finding codes under rules.severity) stay whole.
const keyDelim = "::"

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

var invalidKeys = regexp.MustCompile(`'([^']*)' has invalid keys: ([^\n]+)`)

// loadConfig reads the configuration: the defaults, then the file at path
// (optional when explicit is false and the file does not exist), then the
// COPSYNC_* variables; it validates the result before returning it.
func loadConfig(path string, explicit bool, getenv func(string) string) (*config.Config, error) {
	v := viper.NewWithOptions(viper.KeyDelimiter(keyDelim))
	defaults := map[string]any{}
	leafKeys(reflect.ValueOf(config.Default()), "", defaults)
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	if path != "" {
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			v.SetConfigType("yaml")
			if err := v.ReadConfig(strings.NewReader(string(data))); err != nil {
				return nil, &config.Error{Problems: []string{fmt.Sprintf("%s: %s", path, oneLine(err.Error()))}}
			}
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		default:
			return nil, &config.Error{Problems: []string{fmt.Sprintf("read %s: %v", path, errors.Unwrap(err))}}
		}
	}
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !envOverridable(defaults[k]) {
			continue
		}
		if val, ok := lookup(getenv, envName(k)); ok {
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
	}
	var cfg config.Config
	err := v.Unmarshal(&cfg, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true
		dc.WeaklyTypedInput = true
		dc.ZeroFields = true
	})
	if err != nil {
		return nil, decodeError(err)
	}
	if pf := cfg.Notify.SMTP.PasswordFile; pf != "" {
		data, err := os.ReadFile(pf)
		if err != nil {
			return nil, &config.Error{Problems: []string{fmt.Sprintf("notify.smtp.password_file: cannot read %s: %v", pf, errors.Unwrap(err))}}
		}
		cfg.Notify.SMTP.Password = config.Secret(strings.TrimRight(string(data), "\r\n"))
	}
	if pw, ok := lookup(getenv, "COPSYNC_NOTIFY_SMTP_PASSWORD"); ok {
		cfg.Notify.SMTP.Password = config.Secret(pw)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func lookup(getenv func(string) string, name string) (string, bool) {
	val := getenv(name)
	return val, val != ""
}

// decodeError turns the decoder's report into one line naming each key.
func decodeError(err error) error {
	var p []string
	for _, m := range invalidKeys.FindAllStringSubmatch(err.Error(), -1) {
		for _, k := range strings.Split(m[2], ",") {
			k = strings.TrimSpace(k)
			key := k
			if m[1] != "" {
				key = m[1] + "." + k
			}
			key = strings.ReplaceAll(key, keyDelim, ".")
			if key == "notify.smtp.password" {
				p = append(p, key+": not allowed in the configuration file; use notify.smtp.password_file or COPSYNC_NOTIFY_SMTP_PASSWORD")
				continue
			}
			p = append(p, key+": unknown key")
		}
	}
	if len(p) == 0 {
		p = append(p, oneLine(strings.ReplaceAll(err.Error(), keyDelim, ".")))
	}
	sort.Strings(p)
	return &config.Error{Problems: p}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
