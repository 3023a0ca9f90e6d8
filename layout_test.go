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
