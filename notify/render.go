package notify

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"copsync/templates"
	"copsync/validate"
)

// Composer renders the run's e-mail from the templates and the catalogue.
type Composer struct {
	cfg     Config
	cat     *validate.Catalogue
	log     *slog.Logger
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// funcs are the functions the templates may call besides the built-in
// ones.
var funcs = map[string]any{
	// pad right-pads s with spaces to n characters.
	"pad": func(s string, n int) string {
		if k := utf8.RuneCountInString(s); k < n {
			return s + strings.Repeat(" ", n-k)
		}
		return s
	},
	// upper returns s in capitals.
	"upper": strings.ToUpper,
	// rule returns a line of n copies of s.
	"rule": func(s string, n int) string { return strings.Repeat(s, n) },
}

// NewComposer parses the templates: the embedded defaults
// (templates/files/email/), each replaced by the file cfg.Templates names
// for it. The error joins one error per template that cannot be read or
// parsed, each starting with its key (notify.templates.<name>).
func NewComposer(cfg Config, cat *validate.Catalogue, log *slog.Logger) (*Composer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Composer{cfg: cfg, cat: cat, log: log}
	// Every template is read and parsed, so that one error does not hide
	// the next: the errors are joined.
	var errs []error
	src := map[string]string{}
	for _, name := range TemplateNames {
		s, err := templateSource(name, cfg.Templates[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		src[name] = s
	}
	var err error
	if s, ok := src[TemplateSubject]; ok {
		if c.subject, err = texttemplate.New(TemplateSubject).Funcs(funcs).Option("missingkey=error").Parse(s); err != nil {
			errs = append(errs, c.parseError(TemplateSubject, err))
		}
	}
	if s, ok := src[TemplateText]; ok {
		if c.text, err = texttemplate.New(TemplateText).Funcs(funcs).Option("missingkey=error").Parse(s); err != nil {
			errs = append(errs, c.parseError(TemplateText, err))
		}
	}
	if s, ok := src[TemplateHTML]; ok {
		if c.html, err = htmltemplate.New(TemplateHTML).Funcs(funcs).Option("missingkey=error").Parse(s); err != nil {
			errs = append(errs, c.parseError(TemplateHTML, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// WithLogger returns a copy of c that logs to log. The copy shares c's
// parsed templates, which are safe to execute at the same time.
func (c *Composer) WithLogger(log *slog.Logger) *Composer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := *c
	d.log = log
	return &d
}

// templateSource returns the text of a template: the file path when given,
// the embedded default otherwise.
func templateSource(name, path string) (string, error) {
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("notify.templates.%s: read %s: %w", name, path, errors.Unwrap(err))
		}
		return string(data), nil
	}
	data, err := fs.ReadFile(templates.Files(), "email/"+name)
	if err != nil {
		return "", fmt.Errorf("embedded template %s: %w", name, err)
	}
	return string(data), nil
}

func (c *Composer) parseError(name string, err error) error {
	if p := c.cfg.Templates[name]; p != "" {
		return fmt.Errorf("notify.templates.%s: %s: %s", name, p, validate.OneLine(err.Error()))
	}
	return fmt.Errorf("embedded template %s: %s", name, validate.OneLine(err.Error()))
}

// Render executes the three templates. The subject is made one line: a
// template cannot add headers through it.
func (c *Composer) Render(d *Data) (subject, text, html string, err error) {
	var b bytes.Buffer
	if err := c.subject.Execute(&b, d); err != nil {
		return "", "", "", fmt.Errorf("render %s: %s", TemplateSubject, validate.OneLine(err.Error()))
	}
	subject = validate.OneLine(b.String())
	if subject == "" {
		return "", "", "", fmt.Errorf("render %s: the subject is empty", TemplateSubject)
	}
	b.Reset()
	if err := c.text.Execute(&b, d); err != nil {
		return "", "", "", fmt.Errorf("render %s: %s", TemplateText, validate.OneLine(err.Error()))
	}
	text = b.String()
	b.Reset()
	if err := c.html.Execute(&b, d); err != nil {
		return "", "", "", fmt.Errorf("render %s: %s", TemplateHTML, validate.OneLine(err.Error()))
	}
	return subject, text, b.String(), nil
}
