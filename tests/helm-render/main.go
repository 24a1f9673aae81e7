// Command helm-render renders a Helm chart offline, the way `helm template` does, for the chart tests. It
// implements the subset of Helm the streammasking chart uses: values.yaml merged with -f files (a null deletes a
// key), every sprig function except env/expandenv, include, tpl, toYaml, fromYaml, toJson, fromJson, required,
// fail, .Files.Get, .Release, .Chart, .Capabilities (KubeVersion, APIVersions.Has), .Template. lookup is not
// provided (the chart must render without a cluster).
//
// Build in GOPATH mode against Debian's golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v3-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render .
//
// Usage:
//
//	helm-render -chart DIR [-f values.yaml]... [-name RELEASE] [-namespace NS] [-api-versions a,b] [-values-json] [-notes]
//
// Output: the rendered manifests as one YAML stream, each document preceded by "# Source: <chart>/templates/<file>"
// (NOTES.txt with -notes; the merged values as JSON with -values-json). A template error exits 1 with the message
// on stderr, as helm does.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// Chart mirrors the Chart.yaml fields templates read (Helm capitalises them).
type Chart struct {
	APIVersion  string `yaml:"apiVersion"`
	Name        string `yaml:"name"`
	Version     string `yaml:"version"`
	AppVersion  string `yaml:"appVersion"`
	Description string `yaml:"description"`
	Type        string `yaml:"type"`
}

// Files gives templates read access to the chart's files (.Files.Get), paths relative to the chart root.
type Files struct{ root string }

// Get returns the file's content, or "" when it does not exist (as Helm does).
func (f Files) Get(name string) string {
	b, err := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(name)))
	if err != nil {
		return ""
	}
	return string(b)
}

// APIVersions answers .Capabilities.APIVersions.Has.
type APIVersions []string

// Has reports whether the group/version (or group/version/Kind) is available.
func (a APIVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type KubeVersion struct{ Version, Major, Minor, GitVersion string }

type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions APIVersions
}

func main() {
	chartDir := flag.String("chart", "", "chart directory")
	var valueFiles listFlag
	flag.Var(&valueFiles, "f", "values file (repeatable; later files win)")
	name := flag.String("name", "release", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	apis := flag.String("api-versions", "", "comma-separated extra API versions for .Capabilities.APIVersions.Has")
	valuesJSON := flag.Bool("values-json", false, "print the merged values as JSON and exit")
	notes := flag.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	flag.Parse()
	if *chartDir == "" {
		fail("-chart is required")
	}
	out, err := run(*chartDir, valueFiles, *name, *namespace, *apis, *valuesJSON, *notes)
	if err != nil {
		fail(err.Error())
	}
	fmt.Print(out)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "Error: "+msg)
	os.Exit(1)
}

func run(chartDir string, valueFiles []string, name, namespace, apis string, valuesJSON, notes bool) (string, error) {
	var chart Chart
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &chart); err != nil {
		return "", err
	}
	values := map[string]interface{}{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", err
	}
	for _, f := range valueFiles {
		override := map[string]interface{}{}
		if err := readYAML(f, &override); err != nil {
			return "", err
		}
		values = merge(values, override)
	}
	if valuesJSON {
		b, err := json.MarshalIndent(values, "", "  ")
		if err != nil {
			return "", err
		}
		return string(b) + "\n", nil
	}
	caps := Capabilities{
		KubeVersion: KubeVersion{Version: "v1.30.0", Major: "1", Minor: "30", GitVersion: "v1.30.0"},
		APIVersions: APIVersions{"v1", "apps/v1", "policy/v1", "batch/v1"},
	}
	for _, a := range strings.Split(apis, ",") {
		if a != "" {
			caps.APIVersions = append(caps.APIVersions, a)
		}
	}
	release := map[string]interface{}{
		"Name": name, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
	}
	return render(chartDir, chart, values, release, caps, notes)
}

func readYAML(path string, into interface{}) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// merge overlays src on dst like Helm's values coalescing: maps merge recursively, a null deletes the key, anything
// else replaces.
func merge(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				dst[k] = merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

func render(chartDir string, chart Chart, values, release map[string]interface{}, caps Capabilities, notes bool) (string, error) {
	templatesDir := filepath.Join(chartDir, "templates")
	var files []string
	err := filepath.Walk(templatesDir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)

	root := template.New("gotpl").Option("missingkey=zero")
	funcs := funcMap(root)
	root.Funcs(funcs)
	names := make([]string, 0, len(files))
	for _, p := range files {
		rel, _ := filepath.Rel(chartDir, p)
		tname := chart.Name + "/" + filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		if _, err := root.New(tname).Parse(string(b)); err != nil {
			return "", err
		}
		names = append(names, tname)
	}

	chartValues := map[string]interface{}{
		"Name": chart.Name, "Version": chart.Version, "AppVersion": chart.AppVersion,
		"Description": chart.Description, "Type": chart.Type, "APIVersion": chart.APIVersion,
	}
	var out strings.Builder
	for _, tname := range names {
		base := filepath.Base(tname)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes {
			continue
		}
		data := map[string]interface{}{
			"Values": values, "Chart": chartValues, "Release": release, "Capabilities": caps,
			"Files":    Files{root: chartDir},
			"Template": map[string]interface{}{"Name": tname, "BasePath": chart.Name + "/templates"},
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, tname, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if notes {
			out.WriteString(text)
			continue
		}
		for _, doc := range splitDocuments(text) {
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", tname, doc)
		}
	}
	return out.String(), nil
}

// splitDocuments splits a rendered file at "---" lines and drops empty documents, as helm does.
func splitDocuments(text string) []string {
	var docs []string
	var cur []string
	flush := func() {
		doc := strings.TrimSpace(strings.Join(cur, "\n"))
		if doc != "" && !onlyComments(doc) {
			docs = append(docs, strings.TrimRight(strings.Join(cur, "\n"), " \n"))
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimRight(line, " ") == "---" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	for i, d := range docs {
		docs[i] = strings.TrimLeft(d, "\n")
	}
	return docs
}

func onlyComments(doc string) bool {
	for _, l := range strings.Split(doc, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

func funcMap(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["lookup"] = func(...interface{}) (map[string]interface{}, error) {
		return nil, errors.New("lookup is not supported: the chart must render without a cluster")
	}
	return f
}

func toYAML(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	_ = enc.Close()
	return strings.TrimSuffix(buf.String(), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func fromJSON(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}
