package locale

import (
	"strings"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// StageLabel names a stage ("Packed", "In transit"); the page's steps and
// timeline, the messages' stage_label and the storefront all use it.
func (c *Catalog) StageLabel(s tracking.Stage) string { return c.T("stage." + string(s)) }

// ProblemLabel names a problem ("Delayed").
func (c *Catalog) ProblemLabel(p tracking.Problem) string { return c.T("problem." + string(p)) }

// Copy returns the plain-language headline and "what to do next" line for a
// shipment at stage with problem, expired when polling stopped: the most
// specific copy the catalog has among tracking.CopyKeys.
func (c *Catalog) Copy(stage tracking.Stage, problem tracking.Problem, expired bool) (headline, next string) {
	keys := tracking.CopyKeys(tracking.State{Stage: stage, Problem: problem, Expired: expired})
	key := "copy." + keys[len(keys)-1]
	for _, k := range keys {
		if c.Has("copy." + k + ".headline") {
			key = "copy." + k
			break
		}
	}
	return c.T(key + ".headline"), c.T(key + ".next")
}

// MerchantAction is the one sentence fragment that tells a merchant what a
// shopper asked, and where: "asked to reschedule the delivery by SMS". The
// merchant email, the Shopify order note and the WooCommerce order note all
// use it after the shopper's name. An empty source leaves the "where" out;
// an unknown kind or source is named as it is.
func (c *Catalog) MerchantAction(kind, source string) string {
	what := c.T("merchant.action."+kind, "kind", kind)
	if !c.Has("merchant.action." + kind) {
		what = c.T("merchant.action.other", "kind", kind)
	}
	switch {
	case source == "":
		return what
	case c.Has("merchant.source." + source):
		return what + " " + c.T("merchant.source."+source)
	}
	return what + " " + c.T("merchant.source.other", "source", source)
}

// MerchantTrigger says in a merchant's order note what a fired trigger means
// ("delivery attempt failed"); an unknown trigger reads as its name.
func (c *Catalog) MerchantTrigger(t tracking.Trigger) string {
	if c.Has("merchant.trigger." + string(t)) {
		return c.T("merchant.trigger." + string(t))
	}
	return strings.ReplaceAll(string(t), "_", " ")
}
