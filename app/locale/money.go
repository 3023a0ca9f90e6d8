package locale

import (
	"strings"

	"github.com/shopspring/decimal"
)

var currencySymbols = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
	"MXN": "MX$", "BRL": "R$", "INR": "₹", "CHF": "CHF", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł",
}

var zeroDecimalCurrencies = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "VND": true, "ISK": true}

// Money formats a decimal amount the way the language writes it: "$1,234.50"
// in English, "1.234,50 €" in Spanish and German, "1 234,50 €" in French.
// A value that is not a number is returned unchanged.
func (c *Catalog) Money(amount, currency string) string {
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return amount
	}
	currency = strings.ToUpper(currency)
	places := int32(2)
	if zeroDecimalCurrencies[currency] {
		places = 0
	}
	whole, frac, _ := strings.Cut(d.Abs().StringFixed(places), ".")
	group := c.T("money.group")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	num := b.String()
	if frac != "" {
		num += c.T("money.decimal") + frac
	}
	sym, ok := currencySymbols[currency]
	if !ok {
		sym = currency
	}
	sign := ""
	if d.IsNegative() {
		sign = "-"
	}
	if c.T("money.symbol_first") != "true" {
		return sign + num + "\u00a0" + sym
	}
	if len(sym) > 1 && !strings.ContainsAny(sym, "$£¥₹") {
		return sign + sym + "\u00a0" + num
	}
	return sign + sym + num
}
