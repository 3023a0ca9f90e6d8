// Package browsertest starts Debian's headless Chromium for page tests and
// saves screenshots as test artifacts.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// New starts a browser for the test and returns its context; extra options
// (a window size, say) are added to the defaults. It skips when Chromium is
// missing outside CI; in CI (CI set) a missing browser fails.
func New(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing in CI: install Debian's chromium", ChromiumPath)
		}
		t.Skipf("%s not installed (install Debian's chromium to run browser tests)", ChromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.IgnoreCertErrors,
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// Screenshot saves a full-page PNG under $ARTIFACTS_DIR (default
// testdata-artifacts/ at the module root) as name.png; name may hold a
// sub-folder ("admin/editor").
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join(moduleRoot(), "testdata-artifacts")
	}
	path := filepath.Join(dir, name+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Errorf("artifacts dir: %v", err)
		return
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Errorf("save screenshot: %v", err)
	}
}

func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}
