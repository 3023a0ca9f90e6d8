package trackpage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The storefront extensions live outside Go, but they post to and read from
// this package's pages, so the contracts between them are checked here.

func TestThemeBlockPostsTheLookupFields(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "extensions", "shopify-theme", "blocks", "track.liquid"))
	if err != nil {
		t.Fatalf("read theme block: %v", err)
	}
	block := string(raw)
	for _, field := range []string{FieldOrder, FieldContact} {
		if !strings.Contains(block, `name="`+field+`"`) {
			t.Errorf("theme block has no input named %q, which the lookup handler reads", field)
		}
	}
	if !strings.Contains(block, `method="post"`) {
		t.Errorf("theme block form does not POST; the email would end up in URLs and logs")
	}
}

func TestExtensionLocalesHaveTheSameKeys(t *testing.T) {
	for _, dir := range []string{
		filepath.Join("..", "..", "extensions", "shopify-theme", "locales"),
		filepath.Join("..", "..", "extensions", "customer-account", "locales"),
	} {
		t.Run(dir, func(t *testing.T) {
			want := flatKeys(t, filepath.Join(dir, "en.default.json"))
			for _, lang := range languages()[1:] {
				if got := flatKeys(t, filepath.Join(dir, lang+".json")); !reflect.DeepEqual(got, want) {
					t.Errorf("%s.json keys = %v, want %v", lang, got, want)
				}
			}
		})
	}
}

func flatKeys(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	var keys []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			keys = append(keys, prefix+k)
		}
	}
	walk("", tree)
	sort.Strings(keys)
	return keys
}
