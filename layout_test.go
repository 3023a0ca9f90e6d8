package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ordertrack/ordertrack"

// goFile is one parsed Go file: its path from the repository root, its
// directory's import path and what it imports.
type goFile struct {
	path, pkg string
	imports   []string
}

func repoFiles(t *testing.T) []goFile {
	t.Helper()
	var files []goFile
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "extensions") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		gf := goFile{path: filepath.ToSlash(path), pkg: module}
		if dir := filepath.ToSlash(filepath.Dir(path)); dir != "." {
			gf.pkg = module + "/" + dir
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			gf.imports = append(gf.imports, p)
		}
		files = append(files, gf)
		return nil
	})
	if err != nil {
		t.Fatalf("walk the repository: %v", err)
	}
	if len(files) < 50 {
		t.Fatalf("found %d Go files; run the test from the repository root", len(files))
	}
	return files
}

// TestLayoutKeepsDependenciesPointingInward checks the package rules of the
// README's architecture: nothing below app/ imports app (it only wires),
// the domain (app/tracking) imports nothing of ours, storage and the
// integrations never reach up into app's features, and only storage
// imports GORM.
func TestLayoutKeepsDependenciesPointingInward(t *testing.T) {
	appPkg, domain := module+"/app", module+"/app/tracking"
	for _, f := range repoFiles(t) {
		for _, imp := range f.imports {
			switch {
			case imp == appPkg && strings.HasPrefix(f.pkg, appPkg+"/") && !strings.HasSuffix(f.pkg, "/apptest"):
				t.Errorf("%s imports %s: packages below app/ must not import the wiring", f.path, imp)
			case f.pkg == domain && strings.HasPrefix(imp, module) && !strings.HasSuffix(f.path, "_test.go"):
				t.Errorf("%s imports %s: the domain imports nothing of ours", f.path, imp)
			case (strings.HasPrefix(f.pkg, module+"/storage") || strings.HasPrefix(f.pkg, module+"/integrations")) &&
				strings.HasPrefix(imp, appPkg) && imp != domain:
				t.Errorf("%s imports %s: storage and integrations depend only on the domain", f.path, imp)
			case strings.HasPrefix(imp, "gorm.io/") && !strings.HasPrefix(f.pkg, module+"/storage"):
				t.Errorf("%s imports %s: only storage uses GORM; add what you need to storage", f.path, imp)
			}
		}
	}
}

// features are the packages below app/ that each provide one feature; they
// reach one another only through interfaces they declare, wired in app.
// (app/demo is not one: it seeds the demo store through the orders feature.)
var features = []string{"admin", "flow", "helpdesk", "ingest", "install", "klaviyo", "messaging", "orders", "polling", "shopper", "writeback"}

// TestFeaturesDoNotImportEachOther keeps each feature package replaceable:
// a feature that needs another declares the interface it uses and app
// wires the two together.
func TestFeaturesDoNotImportEachOther(t *testing.T) {
	isFeature := map[string]bool{}
	for _, f := range features {
		isFeature[module+"/app/"+f] = true
	}
	for _, f := range repoFiles(t) {
		if !isFeature[f.pkg] || strings.HasSuffix(f.path, "_test.go") {
			continue
		}
		for _, imp := range f.imports {
			if isFeature[imp] && imp != f.pkg {
				t.Errorf("%s imports %s: features reach each other through interfaces wired in app", f.path, imp)
			}
		}
	}
}

// TestAppHoldsOnlyWiring bounds app/ itself: config, server, routes, the
// list of workers and the wiring; features live in their own packages.
func TestAppHoldsOnlyWiring(t *testing.T) {
	const maxFiles = 12
	var files []string
	for _, f := range repoFiles(t) {
		if f.pkg == module+"/app" && !strings.HasSuffix(f.path, "_test.go") {
			files = append(files, f.path)
		}
	}
	if len(files) > maxFiles {
		t.Errorf("app/ has %d non-test files, more than %d: move feature code into its package\n%s", len(files), maxFiles, strings.Join(files, "\n"))
	}
}
