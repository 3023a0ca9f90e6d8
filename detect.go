package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/ordertrack/ordertrack/integrations/carriers/detect"
)

// runDetect prints the carriers a tracking number may belong to, best first,
// as a JSON array, so support staff can see why a shipment went to a carrier.
func runDetect(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	company := fs.String("company", "", "the store's free-text carrier name, e.g. \"FedEx Ground\"")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ordertrack detect NUMBER [--company TEXT]")
		fs.PrintDefaults()
	}
	number, err := oneNumber(fs, args)
	if err != nil {
		return err
	}
	candidates := detect.Detect(number, *company)
	if candidates == nil {
		candidates = []detect.Candidate{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(candidates); err != nil {
		return fmt.Errorf("detect: write: %w", err)
	}
	return nil
}

// oneNumber parses a command's flags, which may come before or after its
// one tracking number, and returns the number.
func oneNumber(fs *flag.FlagSet, args []string) (string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 {
		fs.Usage()
		return "", fmt.Errorf("%s: want exactly one tracking number, got %d", fs.Name(), len(positional))
	}
	return positional[0], nil
}
