package tracking

import "strings"

// DestinationZone names the IANA time zone a parcel is delivered in, from
// its destination's country (ISO 3166-1 alpha-2) and region (ISO 3166-2
// subdivision code, with or without the country prefix: "CA" or "US-CA").
// It knows single-zone countries and the states and provinces of the US,
// Canada, Australia, Mexico and Brazil (by their main zone); it returns ""
// when it cannot tell, and the caller picks a fallback.
func DestinationZone(country, region string) string {
	country = strings.ToUpper(strings.TrimSpace(country))
	region = strings.ToUpper(strings.TrimSpace(region))
	region = strings.TrimPrefix(region, country+"-")
	if z, ok := regionZones[country][region]; ok {
		return z
	}
	if z, ok := regionZones[country][""]; ok {
		return z // the zone most of the country's people live in
	}
	return countryZones[country]
}

// countryZones are countries that keep one civil time (mainland, at least).
var countryZones = map[string]string{
	"AE": "Asia/Dubai", "AR": "America/Argentina/Buenos_Aires", "AT": "Europe/Vienna", "BE": "Europe/Brussels",
	"BG": "Europe/Sofia", "CH": "Europe/Zurich", "CL": "America/Santiago", "CN": "Asia/Shanghai",
	"CO": "America/Bogota", "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
	"DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "EG": "Africa/Cairo", "ES": "Europe/Madrid",
	"FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London", "GR": "Europe/Athens",
	"HK": "Asia/Hong_Kong", "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
	"IL": "Asia/Jerusalem", "IN": "Asia/Kolkata", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome",
	"JP": "Asia/Tokyo", "KE": "Africa/Nairobi", "KR": "Asia/Seoul", "LT": "Europe/Vilnius",
	"LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MA": "Africa/Casablanca", "MT": "Europe/Malta",
	"MY": "Asia/Kuala_Lumpur", "NG": "Africa/Lagos", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo",
	"NZ": "Pacific/Auckland", "PE": "America/Lima", "PH": "Asia/Manila", "PL": "Europe/Warsaw",
	"PR": "America/Puerto_Rico", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade",
	"SA": "Asia/Riyadh", "SE": "Europe/Stockholm", "SG": "Asia/Singapore", "SI": "Europe/Ljubljana",
	"SK": "Europe/Bratislava", "TH": "Asia/Bangkok", "TR": "Europe/Istanbul", "TW": "Asia/Taipei",
	"UA": "Europe/Kyiv", "VN": "Asia/Ho_Chi_Minh", "ZA": "Africa/Johannesburg",
}

// regionZones are countries spanning several zones, by subdivision; the ""
// entry is the fallback for an unknown or missing region.
var regionZones = map[string]map[string]string{
	"US": byRegion("America/New_York",
		"America/New_York", "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV",
		"America/Chicago", "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
		"America/Denver", "CO MT NM UT WY ID",
		"America/Phoenix", "AZ",
		"America/Los_Angeles", "CA NV OR WA",
		"America/Anchorage", "AK",
		"Pacific/Honolulu", "HI",
		"America/Puerto_Rico", "PR VI",
	),
	"CA": byRegion("America/Toronto",
		"America/Toronto", "ON QC",
		"America/Halifax", "NS NB PE",
		"America/St_Johns", "NL",
		"America/Winnipeg", "MB",
		"America/Regina", "SK",
		"America/Edmonton", "AB NT",
		"America/Vancouver", "BC YT",
		"America/Iqaluit", "NU",
	),
	"AU": byRegion("Australia/Sydney",
		"Australia/Sydney", "NSW ACT",
		"Australia/Melbourne", "VIC",
		"Australia/Brisbane", "QLD",
		"Australia/Adelaide", "SA",
		"Australia/Darwin", "NT",
		"Australia/Perth", "WA",
		"Australia/Hobart", "TAS",
	),
	"MX": byRegion("America/Mexico_City",
		"America/Tijuana", "BC",
		"America/Hermosillo", "SON",
		"America/Mazatlan", "BCS SIN NAY",
		"America/Cancun", "ROO",
	),
	"BR": byRegion("America/Sao_Paulo",
		"America/Manaus", "AM RR RO",
		"America/Cuiaba", "MT MS",
		"America/Rio_Branco", "AC",
	),
}

// byRegion builds one country's table from zone, "CODE CODE ..." pairs.
func byRegion(fallback string, pairs ...string) map[string]string {
	m := map[string]string{"": fallback}
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, code := range strings.Fields(pairs[i+1]) {
			m[code] = pairs[i]
		}
	}
	return m
}
