package woocommerce_test

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

var pluginDir = filepath.Join("..", "..", "extensions", "woocommerce", "ordertrack")

// requirePHP returns the php binary, skipping locally when it is missing;
// in CI (env CI set) a missing php fails the test.
func requirePHP(t *testing.T) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err == nil {
		return php
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("php not on PATH; CI must lint the WooCommerce plugin (apt-get install php-cli)")
	}
	t.Skip("php not on PATH; install php-cli to lint the WooCommerce plugin")
	return ""
}

func pluginFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(pluginDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".php") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 8 {
		t.Fatalf("found %d PHP files under %s (%v), want the whole plugin", len(files), pluginDir, err)
	}
	return files
}

func TestPluginPHPFilesHaveNoSyntaxErrors(t *testing.T) {
	php := requirePHP(t)
	for _, f := range pluginFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, err := exec.Command(php, "-l", f).CombinedOutput()
			if err != nil {
				t.Errorf("php -l %s: %v\n%s", f, err, out)
			}
		})
	}
}

func TestPluginSignatureVerifiesInTheApp(t *testing.T) {
	php := requirePHP(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	script := `define('ABSPATH', '/'); require $argv[1];
echo json_encode(Ordertrack_Signer::headers('shop-1', 'sek&"ret', '4711', (int) $argv[2]));`
	out, err := exec.Command(php, "-r", script, "--", filepath.Join(pluginDir, "includes", "class-ordertrack-signer.php"),
		"1795608000").CombinedOutput()
	if err != nil {
		t.Fatalf("php signer: %v\n%s", err, out)
	}
	var headers map[string]string
	if err := json.Unmarshal(out, &headers); err != nil {
		t.Fatalf("php output %q: %v", out, err)
	}
	h := make(map[string][]string)
	for k, v := range headers {
		h[k] = []string{v}
	}
	r, err := woocommerce.ParseStorefront(h)
	if err != nil {
		t.Fatalf("ParseStorefront(%v): %v", headers, err)
	}
	if err := r.Verify(`sek&"ret`, "4711", now); err != nil {
		t.Errorf("app rejected the plugin's signature: %v (headers %v)", err, headers)
	}
	if want := woocommerce.SignStorefront(`sek&"ret`, time.Unix(1795608000, 0), "4711"); headers["X-Ordertrack-Signature"] != want {
		t.Errorf("plugin signed %s, app signs %s", headers["X-Ordertrack-Signature"], want)
	}
}

func TestPluginAdminLinkVerifiesInTheApp(t *testing.T) {
	php := requirePHP(t)
	script := `define('ABSPATH', '/'); require $argv[1];
echo Ordertrack_Signer::admin_link('https://track.example', 'shop-1', 'sek&"ret', (int) $argv[2], '00112233445566778899aabbccddeeff');`
	out, err := exec.Command(php, "-r", script, "--", filepath.Join(pluginDir, "includes", "class-ordertrack-signer.php"),
		"1795608000").CombinedOutput()
	if err != nil {
		t.Fatalf("php signer: %v\n%s", err, out)
	}
	u, err := url.Parse(string(out))
	if err != nil || u.Scheme+"://"+u.Host+u.Path != "https://track.example/admin/login/woocommerce" {
		t.Fatalf("plugin link %q (%v); want the app's /admin/login/woocommerce", out, err)
	}
	l, err := woocommerce.ParseAdminLink(u.Query())
	if err != nil {
		t.Fatalf("ParseAdminLink(%s): %v", out, err)
	}
	signed := time.Unix(1795608000, 0)
	if err := l.Verify(`sek&"ret`, signed.Add(time.Minute)); err != nil {
		t.Errorf("app rejected the plugin's link %s: %v", out, err)
	}
	if err := l.Verify("another secret", signed); err == nil {
		t.Error("app accepted the plugin's link under another secret")
	}
}

func TestPluginFiresTheActionTheWebhookSubscribesTo(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(pluginDir, "includes", "class-ordertrack-signal.php"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"const ACTION   = '" + woocommerce.ActionTrackingUpdated + "';",
		"const META_KEY = '" + woocommerce.TrackingMetaKey + "';",
		"'added_post_meta'", "'updated_post_meta'", "'woocommerce_update_order'",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("class-ordertrack-signal.php lacks %s", want)
		}
	}
}

func TestPluginSignalsTrackingChangesOnce(t *testing.T) {
	php := requirePHP(t)
	out, err := exec.Command(php, filepath.Join("testdata", "signal_harness.php"),
		filepath.Join(pluginDir, "includes", "class-ordertrack-signal.php")).CombinedOutput()
	if err != nil {
		t.Fatalf("signal harness: %v\n%s", err, out)
	}
	var fired map[string][]string
	if err := json.Unmarshal(out, &fired); err != nil {
		t.Fatalf("harness output %q: %v", out, err)
	}
	action := woocommerce.ActionTrackingUpdated
	want := map[string][]string{
		"order saved without tracking":         {},
		"tracking meta added on posts storage": {action + ":10"},
		"same request saves the order":         {},
		"later request saves unchanged order":  {},
		"HPOS save adds a second number":       {action + ":10"},
		"HPOS placeholder post meta updated":   {action + ":11"},
		"product meta with the same key":       {},
		"other order meta key":                 {},
		"tracking meta deleted":                {action + ":10"},
	}
	if len(fired) != len(want) {
		t.Errorf("harness ran %d steps, want %d: %v", len(fired), len(want), fired)
	}
	for step, w := range want {
		got, ok := fired[step]
		if !ok || strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s: fired %v, want %v", step, got, w)
		}
	}
}

func TestPluginRendersTheAppViewEscaped(t *testing.T) {
	php := requirePHP(t)
	view := woocommerce.StorefrontView{
		OrderID: "4711", StatusLabel: "Out for delivery", Stage: "out_for_delivery", ETA: "Today, by 6 pm",
		TrackingURL: "https://track.example/t/abc?x=1&y=2",
		Shipments: []woocommerce.StorefrontShipment{{
			Carrier: "UPS", Number: "1Z999AA10123456784", URL: "javascript:alert(1)", StatusLabel: "On the truck",
			Events: []woocommerce.StorefrontEvent{{Time: "Nov 25, 08:02", Description: `<script>alert("x")</script> Loaded`, Location: "Paramus, NJ, US"}},
		}},
	}
	body, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(php, filepath.Join("testdata", "render_harness.php"), filepath.Join(pluginDir, "includes", "class-ordertrack-render.php"))
	cmd.Stdin = strings.NewReader(string(body))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("render harness: %v\n%s", err, out)
	}
	html := string(out)
	for _, want := range []string{
		"<strong>Out for delivery</strong>",
		"Estimated delivery: Today, by 6 pm",
		"UPS 1Z999AA10123456784 — On the truck",
		`&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Loaded`,
		"Paramus, NJ, US",
		`href="https://track.example/t/abc?x=1&amp;y=2"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered view lacks %q:\n%s", want, html)
		}
	}
	for _, banned := range []string{"<script>", "javascript:"} {
		if strings.Contains(html, banned) {
			t.Errorf("rendered view contains %q unescaped:\n%s", banned, html)
		}
	}
}
