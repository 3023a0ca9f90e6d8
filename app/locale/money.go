package locale

import (
	"strings"
	"sync"

	"github.com/bojanz/currency"
)

// Money formats a decimal amount in currency for a locale ("es-MX",
// "fr_CA", "de") by CLDR: the currency's own decimals (KWD 3, JPY and XOF
// none), the locale's symbol, separators and symbol placement. A value
// that is not a number is returned unchanged; an unknown currency code is
// written after the number, and no code leaves the number alone.
func Money(loc, amount, code string) string {
	key := loc + "\x00" + amount + "\x00" + code
	moneyMu.Lock()
	s, ok := moneyMemo[key]
	moneyMu.Unlock()
	if ok {
		return s
	}
	s = formatMoney(loc, amount, code)
	moneyMu.Lock()
	if len(moneyMemo) >= maxMoneyMemo {
		clear(moneyMemo)
	}
	moneyMemo[key] = s
	moneyMu.Unlock()
	return s
}

// moneyMemo keeps recent Money results: the currency library builds a
// string replacer for every amount it formats, which cost more than the
// rest of a message, and a shop's prices repeat across its messages and
// pages. It starts over past maxMoneyMemo entries.
var (
	moneyMu   sync.Mutex
	moneyMemo = map[string]string{}
)

const maxMoneyMemo = 4096

func formatMoney(loc, amount, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	tag := strings.ReplaceAll(strings.TrimSpace(loc), "_", "-")
	if tag == "" {
		tag = "en"
	}
	f := currency.NewFormatter(currency.NewLocale(tag))
	if a, err := currency.NewAmount(strings.TrimSpace(amount), code); err == nil && currency.IsValid(code) {
		return f.Format(a.Round())
	}
	// Not a known currency: the number alone (two decimals), then the code.
	if n, err := currency.NewAmount(strings.TrimSpace(amount), "EUR"); err == nil {
		f.CurrencyDisplay = currency.DisplayNone
		f.MinDigits, f.MaxDigits = 2, 2
		if code == "" {
			return f.Format(n)
		}
		return f.Format(n) + "\u00a0" + code
	}
	return amount
}

// Money is Money in the catalog's language.
func (c *Catalog) Money(amount, currency string) string { return Money(c.lang, amount, currency) }
