package app

import (
	"flag"
	"os"
	"testing"
)

// defaultParallel is how many of this package's tests run at once unless
// -parallel says otherwise. Each test runs a whole app on a database of its
// own, and most of its time is spent waiting (for Postgres to commit, for
// background jobs, for Chromium), so several at once keep two cores busy.
const defaultParallel = "4"

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", defaultParallel); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
