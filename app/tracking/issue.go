package tracking

import (
	"strings"
	"time"
)

// Issue is what a problem asks of the shopper, read from the carrier's code
// and words on the scan that raised it: the same "action required" means
// "pay the import duty" for one parcel and "confirm your address" for
// another, and each needs its own next step.
type Issue string

// The issues. IssueNone is a shipment with nothing for the shopper to do.
const (
	IssueNone          Issue = ""
	IssueAddress       Issue = "address"        // the carrier cannot deliver to the address as given
	IssuePaymentDue    Issue = "payment_due"    // import duty, taxes or fees to pay before release
	IssueCustoms       Issue = "customs"        // held at customs (documents, inspection)
	IssueFailedAttempt Issue = "failed_attempt" // nobody could receive it: choose a new day
	IssuePickup        Issue = "pickup"         // waiting at a pickup point
	IssueCOD           Issue = "cod"            // cash on delivery to pay
	IssueDamaged       Issue = "damaged"        // damaged or lost in the network
	IssueRefused       Issue = "refused"        // refused at the door
	IssueOther         Issue = "other"          // a problem the carrier did not explain
)

// Issues lists every issue but IssueNone.
var Issues = []Issue{
	IssueAddress, IssuePaymentDue, IssueCustoms, IssueFailedAttempt, IssuePickup, IssueCOD, IssueDamaged, IssueRefused, IssueOther,
}

// issueCodes maps carrier codes whose meaning is documented to an issue:
// AfterShip subtags, UPS activity status codes, USPS event codes and the
// simulated carrier's codes.
var issueCodes = map[string]Issue{
	"Exception_002": IssueAddress, "Exception_007": IssueAddress, // customer moved, incorrect address
	"Exception_003": IssueRefused,
	"Exception_004": IssueCustoms,
	"Exception_006": IssuePaymentDue,
	"Exception_012": IssueDamaged, "Exception_013": IssueDamaged, // damaged, lost
	"Exception_018":   IssueCustoms, // missing documents
	"Delivered_004":   IssueCOD,
	"statusCode:050":  IssueAddress,
	"statusCode:058":  IssueCustoms,
	"statusCode:124":  IssueCustoms,
	"statusCode:125":  IssueCustoms,
	"statusCode:141":  IssueCustoms,
	"statusCode:062":  IssuePaymentDue,
	"statusCode:085":  IssueCOD,
	"AX":              IssueAddress, // sim: address query
	"CF":              IssuePaymentDue,
	"EX":              IssueDamaged,
	"PA":              IssuePickup,
	"FA":              IssueFailedAttempt,
	"AttemptFail_001": IssueFailedAttempt,
	"AttemptFail_002": IssueFailedAttempt,
	"AttemptFail_003": IssueFailedAttempt,
}

// issueWords finds the issue in a carrier's description when its code is
// not one we know, most specific first: "cash on delivery" before
// "payment", "duty" before "customs".
var issueWords = []struct {
	issue Issue
	words []string
}{
	{IssueCOD, []string{"cash on delivery", "c.o.d", "cod payment", "cod amount", "nachnahme", "contre-remboursement", "contrareembolso", "contrassegno", "rembours"}},
	{IssueRefused, []string{"refused", "rejected by the recipient", "verweigert", "rechazad", "refusé", "rifiutat", "geweigerd", "recusad"}},
	{IssuePaymentDue, []string{"duty", "duties", "import tax", "taxes due", "payment", "funds required", "awaiting payment", "zoll fällig", "zahlung", "pago", "paiement", "pagamento", "betaling"}},
	{IssueAddress, []string{"address", "adresse", "dirección", "indirizzo", "adres", "endereço", "customer moved"}},
	{IssueCustoms, []string{"customs", "clearance", "zoll", "aduana", "douane", "dogana", "alfândega"}},
	{IssueDamaged, []string{"damaged", "cannot be located", "lost in transit", "package lost", "beschädigt", "dañado", "endommagé", "danneggiat", "beschadigd", "danificad"}},
	{IssuePickup, []string{"available for pickup", "ready for pickup", "held at access point", "held for pickup", "pick up at", "abholbereit", "listo para recoger", "disponible en point", "pronto per il ritiro", "afhaalpunt"}},
}

// ClassifyEvent reads the issue a scan describes: its code when the code's
// meaning is documented, else its words, else nothing.
func ClassifyEvent(e Event) Issue {
	if is, ok := issueCodes[e.Code]; ok {
		return is
	}
	d := strings.ToLower(e.Description)
	for _, w := range issueWords {
		for _, p := range w.words {
			if strings.Contains(d, p) {
				return w.issue
			}
		}
	}
	return IssueNone
}

// IssueOf is the shipment's issue now: what the scan that raised its current
// problem says, a pickup waiting at a pickup point, or nothing. A failed
// attempt reads as one unless its scan says why in a way the shopper must
// answer (an address, a refusal, a COD payment); an unexplained
// action-required or exception reads as IssueOther.
func IssueOf(stage Stage, problem Problem, events []Event) Issue {
	if stage.Terminal() || stage.Return() {
		return IssueNone
	}
	if problem == ProblemNone || problem == ProblemDelayed {
		if stage == StageAvailableForPickup {
			return IssuePickup
		}
		if problem == ProblemDelayed {
			if e, ok := raisedBy(problem, events); ok && ClassifyEvent(e) == IssueCustoms {
				return IssueCustoms
			}
		}
		return IssueNone
	}
	e, _ := raisedBy(problem, events)
	is := ClassifyEvent(e)
	switch problem {
	case ProblemFailedAttempt:
		switch is {
		case IssueAddress, IssueRefused, IssueCOD:
			return is
		}
		if stage == StageAvailableForPickup {
			return IssuePickup
		}
		return IssueFailedAttempt
	case ProblemActionRequired, ProblemException:
		if is == IssueNone || is == IssuePickup || is == IssueFailedAttempt {
			return IssueOther
		}
		return is
	}
	return IssueNone
}

// IssueRaisedAt is when the scan that raised the shipment's current problem
// happened (for a pickup, when the parcel reached the pickup point): a
// shopper's answer after it answers this issue. Zero when no scan says.
func IssueRaisedAt(stage Stage, problem Problem, events []Event) time.Time {
	if problem == ProblemNone && stage == StageAvailableForPickup {
		var at time.Time
		for _, e := range events {
			if e.Stage == StageAvailableForPickup && (at.IsZero() || e.Time.Before(at)) {
				at = e.Time
			}
		}
		return at
	}
	e, _ := raisedBy(problem, events)
	return e.Time
}

// raisedBy is the latest scan carrying problem.
func raisedBy(problem Problem, events []Event) (Event, bool) {
	var out Event
	found := false
	for _, e := range events {
		if e.Problem == problem && (!found || e.Time.After(out.Time)) {
			out, found = e, true
		}
	}
	return out, found
}

// Answers reports whether a shopper's action of kind answers issue, so the
// page can say the answer reached the store instead of asking again.
func (is Issue) Answers(kind ActionKind) bool {
	switch is {
	case IssueAddress:
		return kind == ActionConfirmAddress || kind == ActionCorrectAddress
	case IssueFailedAttempt:
		return kind == ActionReschedule || kind == ActionCorrectAddress
	case IssuePaymentDue, IssueCustoms, IssueCOD, IssueDamaged, IssueRefused, IssueOther:
		return kind == ActionContactSupport
	}
	return false
}

// pickupHold is how long carriers keep a parcel at a pickup point before
// returning it, in calendar days: UPS Access Point 7, FedEx Hold at
// Location 7 (5 for express), USPS 15, DHL Service Point 7. Others get 7.
var pickupHold = map[string]int{"ups": 7, "fedex": 7, "usps": 15, "dhl": 7}

// PickupDeadline is the last day a parcel that reached a pickup point at
// arrived can be collected before the carrier sends it back.
func PickupDeadline(carrier string, arrived time.Time) time.Time {
	days, ok := pickupHold[carrier]
	if !ok {
		days = 7
	}
	return arrived.AddDate(0, 0, days)
}
