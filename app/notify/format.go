package notify

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Language reduces a BCP 47 locale ("fr-CA", "es_MX") to one of Locales,
// falling back to English.
func Language(locale string) string {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	for _, s := range Locales {
		if s == l {
			return l
		}
	}
	return "en"
}

// dateNames holds what a language needs to write dates the way its speakers do.
type dateNames struct {
	weekdays, shortWeekdays [7]string
	months, shortMonths     [12]string
	long                    func(n dateNames, t time.Time) string // "Tuesday, March 3"
	short                   func(n dateNames, t time.Time) string // "Tue, Mar 3"
	clock                   func(t time.Time) string              // "2:30 PM"
	// on, onHours and between build the prepositional phrases used inside
	// sentences: "on Tuesday, March 3", "between Tuesday and Thursday".
	on      func(day string) string
	onHours func(day, from, to string) string
	between func(from, to string) string
}

var names = map[string]dateNames{
	"en": {
		weekdays:      [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		shortWeekdays: [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		months:        [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		shortMonths:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		long: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s, %s %d", n.weekdays[t.Weekday()], n.months[t.Month()-1], t.Day())
		},
		short: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s, %s %d", n.shortWeekdays[t.Weekday()], n.shortMonths[t.Month()-1], t.Day())
		},
		clock:   func(t time.Time) string { return t.Format("3:04 PM") },
		on:      func(d string) string { return "on " + d },
		onHours: func(d, a, b string) string { return "on " + d + ", between " + a + " and " + b },
		between: func(a, b string) string { return "between " + a + " and " + b },
	},
	"es": {
		weekdays:      [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		shortWeekdays: [7]string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"},
		months:        [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		shortMonths:   [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		long: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s %d de %s", n.weekdays[t.Weekday()], t.Day(), n.months[t.Month()-1])
		},
		short: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s %d %s", n.shortWeekdays[t.Weekday()], t.Day(), n.shortMonths[t.Month()-1])
		},
		clock:   func(t time.Time) string { return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute()) },
		on:      func(d string) string { return "el " + d },
		onHours: func(d, a, b string) string { return "el " + d + ", entre las " + a + " y las " + b },
		between: func(a, b string) string { return "entre el " + a + " y el " + b },
	},
	"fr": {
		weekdays:      [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		shortWeekdays: [7]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
		months:        [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		shortMonths:   [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		long: func(n dateNames, t time.Time) string {
			day := fmt.Sprint(t.Day())
			if t.Day() == 1 {
				day = "1er"
			}
			return fmt.Sprintf("%s %s %s", n.weekdays[t.Weekday()], day, n.months[t.Month()-1])
		},
		short: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s %d %s", n.shortWeekdays[t.Weekday()], t.Day(), n.shortMonths[t.Month()-1])
		},
		clock:   func(t time.Time) string { return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute()) },
		on:      func(d string) string { return "le " + d },
		onHours: func(d, a, b string) string { return "le " + d + ", entre " + a + " et " + b },
		between: func(a, b string) string { return "entre le " + a + " et le " + b },
	},
	"de": {
		weekdays:      [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		shortWeekdays: [7]string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."},
		months:        [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		shortMonths:   [12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		long: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s, %d. %s", n.weekdays[t.Weekday()], t.Day(), n.months[t.Month()-1])
		},
		short: func(n dateNames, t time.Time) string {
			return fmt.Sprintf("%s %d. %s", n.shortWeekdays[t.Weekday()], t.Day(), n.shortMonths[t.Month()-1])
		},
		clock:   func(t time.Time) string { return fmt.Sprintf("%d:%02d Uhr", t.Hour(), t.Minute()) },
		on:      func(d string) string { return "am " + d },
		onHours: func(d, a, b string) string { return "am " + d + " zwischen " + a + " und " + b },
		between: func(a, b string) string { return "zwischen " + a + " und " + b },
	},
}

// dateFormatter writes times in one shopper's language and time zone.
type dateFormatter struct {
	lang string
	loc  *time.Location
}

func newDateFormatter(locale, timeZone string) dateFormatter {
	loc, err := loadZone(timeZone)
	if err != nil || timeZone == "" {
		loc = time.UTC
	}
	return dateFormatter{lang: Language(locale), loc: loc}
}

// zones caches the time zones messages were rendered in: loading one reads
// and parses the zone database, which cost more than rendering the message.
// Only zones that exist are kept, so the cache is bounded by the database.
var zones sync.Map // name → *time.Location

func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// format renders t in one of the named styles; unknown styles are the long date.
func (f dateFormatter) format(t time.Time, style string) string {
	n := names[f.lang]
	t = t.In(f.loc)
	switch style {
	case "short":
		return n.short(n, t)
	case "time":
		return n.clock(t)
	case "weekday":
		return n.weekdays[t.Weekday()]
	case "datetime":
		return n.long(n, t) + ", " + n.clock(t)
	default:
		return n.long(n, t)
	}
}

// window renders a delivery estimate: one day, one day with hours (a carrier's
// delivery window on the day), or a range of days. Styles: "long" (default)
// and "short" stand alone ("Tue, Mar 3 – Thu, Mar 5"); "phrase" and
// "short_phrase" fit inside a sentence ("between Tuesday, March 3 and …").
func (f dateFormatter) window(earliest, latest time.Time, style string) string {
	n := names[f.lang]
	day := n.long
	if style == "short" || style == "short_phrase" {
		day = n.short
	}
	phrase := style == "phrase" || style == "short_phrase"
	if earliest.IsZero() {
		earliest = latest
	}
	if latest.IsZero() {
		latest = earliest
	}
	if earliest.IsZero() {
		return ""
	}
	e, l := tracking.EstimateIn(earliest, f.loc), tracking.EstimateIn(latest, f.loc)
	sameDay := e.Year() == l.Year() && e.YearDay() == l.YearDay()
	wholeDay := atMidnight(e) && (atMidnight(l) || l.Hour() == 23 && l.Minute() == 59)
	switch {
	case sameDay && (wholeDay || e.Equal(l)) && phrase:
		return n.on(day(n, e))
	case sameDay && (wholeDay || e.Equal(l)):
		return day(n, e)
	case sameDay && phrase:
		return n.onHours(day(n, e), n.clock(e), n.clock(l))
	case sameDay:
		return day(n, e) + ", " + n.clock(e) + " – " + n.clock(l)
	case phrase:
		return n.between(day(n, e), day(n, l))
	}
	return day(n, e) + " – " + day(n, l)
}

func atMidnight(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 }

// toTime accepts what a binding may hold for a time: time.Time, a pointer to
// one, or an RFC 3339 string (a merchant's {% assign %}).
func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, !t.IsZero()
	case string:
		p, err := time.Parse(time.RFC3339, t)
		return p, err == nil
	}
	return time.Time{}, false
}

var currencySymbols = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
	"MXN": "MX$", "BRL": "R$", "INR": "₹", "CHF": "CHF", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł",
}

var zeroDecimalCurrencies = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "VND": true, "ISK": true}

// money formats a decimal amount the way the shopper's language writes it:
// "$1,234.50" in English, "1.234,50 €" in Spanish and German, "1 234,50 €" in
// French. A value that is not a number is returned unchanged.
func money(lang, amount, currency string) string {
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return amount
	}
	currency = strings.ToUpper(currency)
	places := int32(2)
	if zeroDecimalCurrencies[currency] {
		places = 0
	}
	neg := d.IsNegative()
	s := d.Abs().StringFixed(places)
	whole, frac, _ := strings.Cut(s, ".")
	group, dec := ",", "."
	switch lang {
	case "es", "de":
		group, dec = ".", ","
	case "fr":
		group, dec = "\u202f", ","
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	num := b.String()
	if frac != "" {
		num += dec + frac
	}
	sym, ok := currencySymbols[currency]
	if !ok {
		sym = currency
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if lang == "en" {
		if len(sym) > 1 && !strings.ContainsAny(sym, "$£¥₹") {
			return sign + sym + "\u00a0" + num
		}
		return sign + sym + num
	}
	return sign + num + "\u00a0" + sym
}

var stageLabels = map[string]map[tracking.Stage]string{
	"en": {
		tracking.StageConfirmed: "Order confirmed", tracking.StagePacked: "Label created", tracking.StageShipped: "Shipped",
		tracking.StageInTransit: "In transit", tracking.StageOutForDelivery: "Out for delivery",
		tracking.StageAvailableForPickup: "Ready for pickup", tracking.StageDelivered: "Delivered",
		tracking.StageReturning: "Returning to sender", tracking.StageReturned: "Returned to sender",
	},
	"es": {
		tracking.StageConfirmed: "Pedido confirmado", tracking.StagePacked: "Etiqueta creada", tracking.StageShipped: "Enviado",
		tracking.StageInTransit: "En tránsito", tracking.StageOutForDelivery: "En reparto",
		tracking.StageAvailableForPickup: "Listo para recoger", tracking.StageDelivered: "Entregado",
		tracking.StageReturning: "En devolución al remitente", tracking.StageReturned: "Devuelto al remitente",
	},
	"fr": {
		tracking.StageConfirmed: "Commande confirmée", tracking.StagePacked: "Étiquette créée", tracking.StageShipped: "Expédié",
		tracking.StageInTransit: "En transit", tracking.StageOutForDelivery: "En cours de livraison",
		tracking.StageAvailableForPickup: "Disponible en point retrait", tracking.StageDelivered: "Livré",
		tracking.StageReturning: "En retour vers l'expéditeur", tracking.StageReturned: "Retourné à l'expéditeur",
	},
	"de": {
		tracking.StageConfirmed: "Bestellung bestätigt", tracking.StagePacked: "Versandetikett erstellt", tracking.StageShipped: "Versandt",
		tracking.StageInTransit: "Unterwegs", tracking.StageOutForDelivery: "In Zustellung",
		tracking.StageAvailableForPickup: "Abholbereit", tracking.StageDelivered: "Zugestellt",
		tracking.StageReturning: "Rücksendung an den Absender", tracking.StageReturned: "An den Absender zurückgesandt",
	},
}

// StageLabel names a stage in the shopper's language.
func StageLabel(locale string, s tracking.Stage) string {
	return stageLabels[Language(locale)][s]
}
