package main

import (
	"reflect"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"copsync/config"
)

func (a *app) checkConfigCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check-config",
		Short: "Validate the configuration offline and print it, secrets masked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.setup(cmd); err != nil {
				return err
			}
			enc := yaml.NewEncoder(a.stdout)
			enc.SetIndent(2)
			if err := enc.Encode(configTree(reflect.ValueOf(*a.cfg))); err != nil {
				return err
			}
			return enc.Close()
		},
	}
}

// configTree turns the configuration into ordered YAML nodes by its key
// names, with every secret masked.
func configTree(v reflect.Value) any {
	if s, ok := v.Interface().(config.Secret); ok {
		return s.String()
	}
	switch v.Kind() {
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			tag := t.Field(i).Tag.Get("mapstructure")
			if tag == "" {
				continue
			}
			if tag == "-" {
				if _, ok := v.Field(i).Interface().(config.Secret); !ok {
					continue
				}
				tag = "password"
			}
			var val yaml.Node
			if err := val.Encode(configTree(v.Field(i))); err != nil {
				continue
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: tag}, &val)
		}
		return n
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = configTree(v.Index(i))
		}
		return out
	}
	return v.Interface()
}
