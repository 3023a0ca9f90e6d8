package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

const pluginDir = "extensions/woocommerce/ordertrack"

func pluginFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(pluginDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".php") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("plugin files: %v", err)
	}
	return files
}

func needPHP(t *testing.T) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php-cli not installed (CI installs it)")
	}
	return php
}

func TestPluginParsesAndEscapesEveryEcho(t *testing.T) {
	php := needPHP(t)
	for _, f := range pluginFiles(t) {
		if out, err := exec.Command(php, "-l", f).CombinedOutput(); err != nil {
			t.Errorf("php -l %s: %v\n%s", f, err, out)
		}
	}
	check := "extensions/woocommerce/tests/check-escaping.php"
	if out, err := exec.Command(php, append([]string{check}, pluginFiles(t)...)...).CombinedOutput(); err != nil {
		t.Errorf("unescaped output in the plugin:\n%s", out)
	}
	// The checker itself: it must report every unescaped echo of the fixture.
	out, err := exec.Command(php, check, "extensions/woocommerce/tests/testdata/unescaped.php").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("checker on unescaped output: %v; want exit 1", err)
	}
	var lines []string
	for _, m := range regexp.MustCompile(`unescaped\.php:(\d+):`).FindAllStringSubmatch(string(out), -1) {
		if !slices.Contains(lines, m[1]) {
			lines = append(lines, m[1])
		}
	}
	if want := []string{"4", "6", "8", "10"}; !slices.Equal(lines, want) {
		t.Errorf("checker reported lines %v; want %v:\n%s", lines, want, out)
	}
}

// TestPluginAsksForConsentOnTheBlockCheckout runs the PHP check of the block
// checkout's consent boxes: the Additional Checkout Fields registered and the
// _ordertrack_consent meta written for a Store API order (testdata from the
// Store API docs), once with WooCommerce 8.9+'s field API and once without
// it, where only the classic checkout asks.
func TestPluginAsksForConsentOnTheBlockCheckout(t *testing.T) {
	php := needPHP(t)
	for _, mode := range []string{"", "legacy"} {
		args := []string{"-d", "display_errors=stderr", "-d", "error_reporting=-1", "extensions/woocommerce/tests/check-block-checkout.php"}
		if mode != "" {
			args = append(args, mode)
		}
		cmd := exec.Command(php, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || string(out) != "ok\n" || stderr.Len() > 0 {
			t.Errorf("block checkout check %q: %v\n%s%s", mode, err, out, stderr.String())
		}
	}
}

// TestPluginBlockCheckoutConsentReadsInTheApp hands the meta the plugin
// writes for a block checkout order to the app's order decoder, as the order
// webhook would: the app must read the ticked box with the words shown.
func TestPluginBlockCheckoutConsentReadsInTheApp(t *testing.T) {
	php := needPHP(t)
	before := time.Now().UTC().Truncate(time.Second)
	meta, err := exec.Command(php, "extensions/woocommerce/tests/check-block-checkout.php", "meta").Output()
	if err != nil {
		t.Fatalf("meta of a block checkout order: %v\n%s", err, meta)
	}
	o, err := woocommerce.DecodeOrder([]byte(`{"id":146,"meta_data":` + string(meta) + `}`))
	if err != nil {
		t.Fatalf("decode the order with the plugin's meta: %v\n%s", err, meta)
	}
	c := o.Consent
	if c == nil {
		t.Fatalf("no consent read from the plugin's meta:\n%s", meta)
	}
	want := []woocommerce.ChannelConsent{{Channel: "sms", Wording: "Text me shipping updates: Müller & Söhne may send shipping updates for this order by text message to my billing phone, at most a few per day. Message and data rates may apply. Reply STOP to stop, HELP for help."}}
	if !slices.Equal(c.Channels, want) || c.IP != "203.0.113.7" || c.Locale != "de_DE" {
		t.Errorf("consent read %+v; want channels %+v from 203.0.113.7 in de_DE", c, want)
	}
	if c.Time.Before(before) || c.Time.After(time.Now().UTC()) {
		t.Errorf("consent time %v; want the time the order was placed (after %v)", c.Time, before)
	}
}

func TestPluginSanitizesInput(t *testing.T) {
	superglobal := regexp.MustCompile(`\$_(GET|POST|REQUEST|COOKIE|SERVER)\[`)
	for _, f := range pluginFiles(t) {
		for i, line := range strings.Split(readFile(t, f), "\n") {
			reads := superglobal.FindAllStringIndex(line, -1)
			checks := strings.Count(line, "isset( $_")
			if len(reads) > checks && !strings.Contains(line, "sanitize_") {
				t.Errorf("%s:%d reads request input without a sanitize_ function: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

func TestPluginDeclaresLicenceAndVersions(t *testing.T) {
	header := readFile(t, filepath.Join(pluginDir, "ordertrack.php"))
	readme := readFile(t, filepath.Join(pluginDir, "readme.txt"))
	for _, c := range []struct{ file, src, re string }{
		{"ordertrack.php", header, `(?m)^ \* License:\s+GPL-2\.0-or-later$`},
		{"ordertrack.php", header, `(?m)^ \* Requires at least:\s+\d+\.\d+$`},
		{"ordertrack.php", header, `(?m)^ \* Requires PHP:\s+\d+\.\d+$`},
		{"ordertrack.php", header, `(?m)^ \* WC tested up to:\s+\d+\.\d+$`},
		{"readme.txt", readme, `(?m)^License: GPL-2\.0-or-later$`},
		{"readme.txt", readme, `(?m)^Tested up to: \d+\.\d+$`},
		{"readme.txt", readme, `(?m)^WC tested up to: \d+\.\d+$`},
		{"readme.txt", readme, `(?m)^Requires PHP: \d+\.\d+$`},
	} {
		if !regexp.MustCompile(c.re).MatchString(c.src) {
			t.Errorf("%s lacks %s", c.file, c.re)
		}
	}
	for _, f := range pluginFiles(t) {
		if !strings.Contains(readFile(t, f), "SPDX-License-Identifier: GPL-2.0-or-later") {
			t.Errorf("%s has no SPDX-License-Identifier: GPL-2.0-or-later", f)
		}
	}
	if _, err := os.Stat(filepath.Join(pluginDir, "license.txt")); err != nil {
		t.Errorf("the plugin ships no license.txt: %v", err)
	}
}

func TestRepositoryIsApacheLicensed(t *testing.T) {
	if l := readFile(t, "LICENSE"); !strings.Contains(l, "Apache License") || !strings.Contains(l, "Version 2.0, January 2004") {
		t.Error("LICENSE is not the Apache License 2.0")
	}
	for _, f := range []string{"Dockerfile", "fly.toml", ".ci/run", "extensions/customer-account/src/OrderStatusBlock.jsx"} {
		if !strings.Contains(readFile(t, f), "SPDX-License-Identifier: Apache-2.0") {
			t.Errorf("%s has no SPDX-License-Identifier: Apache-2.0", f)
		}
	}
}
