package tracking

import (
	"fmt"
	"strings"
	"time"
)

// ZoneOf loads the first of names that is a known IANA zone, UTC when none
// is. Empty names and "Local" (the machine's zone, not a place) are skipped.
func ZoneOf(names ...string) *time.Location {
	for _, n := range names {
		if n == "" || n == "Local" {
			continue
		}
		if loc, err := time.LoadLocation(n); err == nil {
			return loc
		}
	}
	return time.UTC
}

// ShopperZone is the zone a shopper reads messages and the tracking page in:
// the order's (from its shipping address), else the shop's, else UTC.
func ShopperZone(orderZone, shopZone string) *time.Location {
	return ZoneOf(orderZone, shopZone)
}

// Region is the lane key for a destination: the country, plus the state or
// province where carriers' transit times differ within a country.
func Region(country, province string) string {
	if province == "" {
		return country
	}
	return fmt.Sprintf("%s-%s", country, province)
}

// DestinationZone names the IANA time zone a parcel is delivered in, from
// its destination's country (ISO 3166-1 alpha-2) and region (ISO 3166-2
// subdivision code, with or without the country prefix: "CA" or "US-CA").
// It knows every country and territory that keeps a civil time (all of tz's
// zone.tab but Antarctica), and the subdivisions of those spanning several
// zones (by their main zone): the US, Canada, Australia, Mexico, Brazil,
// Russia, Indonesia, Kazakhstan, Chile, Spain, Portugal, Ecuador, Mongolia,
// DR Congo, New Zealand, Kiribati, Micronesia, the Marshall Islands, Papua
// New Guinea, Palestine, Ukraine and the US Minor Outlying Islands; an
// unknown region of those gets the zone most of the country's people live
// in. It returns "" when it cannot tell, and the caller picks a fallback.
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

// countryZones are countries and territories that keep one civil time.
var countryZones = map[string]string{
	"AD": "Europe/Andorra", "AE": "Asia/Dubai", "AF": "Asia/Kabul", "AG": "America/Antigua",
	"AI": "America/Anguilla", "AL": "Europe/Tirane", "AM": "Asia/Yerevan", "AO": "Africa/Luanda",
	"AR": "America/Argentina/Buenos_Aires", "AS": "Pacific/Pago_Pago", "AT": "Europe/Vienna", "AW": "America/Aruba",
	"AX": "Europe/Mariehamn", "AZ": "Asia/Baku", "BA": "Europe/Sarajevo", "BB": "America/Barbados",
	"BD": "Asia/Dhaka", "BE": "Europe/Brussels", "BF": "Africa/Ouagadougou", "BG": "Europe/Sofia",
	"BH": "Asia/Bahrain", "BI": "Africa/Bujumbura", "BJ": "Africa/Porto-Novo", "BL": "America/St_Barthelemy",
	"BM": "Atlantic/Bermuda", "BN": "Asia/Brunei", "BO": "America/La_Paz", "BQ": "America/Kralendijk",
	"BS": "America/Nassau", "BT": "Asia/Thimphu", "BW": "Africa/Gaborone", "BY": "Europe/Minsk",
	"BZ": "America/Belize", "CC": "Indian/Cocos", "CF": "Africa/Bangui", "CG": "Africa/Brazzaville",
	"CH": "Europe/Zurich", "CI": "Africa/Abidjan", "CK": "Pacific/Rarotonga", "CM": "Africa/Douala",
	"CN": "Asia/Shanghai", "CO": "America/Bogota", "CR": "America/Costa_Rica", "CU": "America/Havana",
	"CV": "Atlantic/Cape_Verde", "CW": "America/Curacao", "CX": "Indian/Christmas", "CY": "Asia/Nicosia",
	"CZ": "Europe/Prague", "DE": "Europe/Berlin", "DJ": "Africa/Djibouti", "DK": "Europe/Copenhagen",
	"DM": "America/Dominica", "DO": "America/Santo_Domingo", "DZ": "Africa/Algiers", "EE": "Europe/Tallinn",
	"EG": "Africa/Cairo", "EH": "Africa/El_Aaiun", "ER": "Africa/Asmara", "ET": "Africa/Addis_Ababa",
	"FI": "Europe/Helsinki", "FJ": "Pacific/Fiji", "FK": "Atlantic/Stanley", "FO": "Atlantic/Faroe",
	"FR": "Europe/Paris", "GA": "Africa/Libreville", "GB": "Europe/London", "GD": "America/Grenada",
	"GE": "Asia/Tbilisi", "GF": "America/Cayenne", "GG": "Europe/Guernsey", "GH": "Africa/Accra",
	"GI": "Europe/Gibraltar", "GM": "Africa/Banjul", "GN": "Africa/Conakry", "GP": "America/Guadeloupe",
	"GQ": "Africa/Malabo", "GR": "Europe/Athens", "GS": "Atlantic/South_Georgia", "GT": "America/Guatemala",
	"GU": "Pacific/Guam", "GW": "Africa/Bissau", "GY": "America/Guyana", "HK": "Asia/Hong_Kong",
	"HN": "America/Tegucigalpa", "HR": "Europe/Zagreb", "HT": "America/Port-au-Prince", "HU": "Europe/Budapest",
	"IE": "Europe/Dublin", "IL": "Asia/Jerusalem", "IM": "Europe/Isle_of_Man", "IN": "Asia/Kolkata",
	"IO": "Indian/Chagos", "IQ": "Asia/Baghdad", "IR": "Asia/Tehran", "IS": "Atlantic/Reykjavik",
	"IT": "Europe/Rome", "JE": "Europe/Jersey", "JM": "America/Jamaica", "JO": "Asia/Amman",
	"JP": "Asia/Tokyo", "KE": "Africa/Nairobi", "KG": "Asia/Bishkek", "KH": "Asia/Phnom_Penh",
	"KM": "Indian/Comoro", "KN": "America/St_Kitts", "KP": "Asia/Pyongyang", "KR": "Asia/Seoul",
	"KW": "Asia/Kuwait", "KY": "America/Cayman", "LA": "Asia/Vientiane", "LB": "Asia/Beirut",
	"LC": "America/St_Lucia", "LI": "Europe/Vaduz", "LK": "Asia/Colombo", "LR": "Africa/Monrovia",
	"LS": "Africa/Maseru", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga",
	"LY": "Africa/Tripoli", "MA": "Africa/Casablanca", "MC": "Europe/Monaco", "MD": "Europe/Chisinau",
	"ME": "Europe/Podgorica", "MF": "America/Marigot", "MG": "Indian/Antananarivo", "MK": "Europe/Skopje",
	"ML": "Africa/Bamako", "MM": "Asia/Yangon", "MO": "Asia/Macau", "MP": "Pacific/Saipan",
	"MQ": "America/Martinique", "MR": "Africa/Nouakchott", "MS": "America/Montserrat", "MT": "Europe/Malta",
	"MU": "Indian/Mauritius", "MV": "Indian/Maldives", "MW": "Africa/Blantyre", "MY": "Asia/Kuala_Lumpur",
	"MZ": "Africa/Maputo", "NA": "Africa/Windhoek", "NC": "Pacific/Noumea", "NE": "Africa/Niamey",
	"NF": "Pacific/Norfolk", "NG": "Africa/Lagos", "NI": "America/Managua", "NL": "Europe/Amsterdam",
	"NO": "Europe/Oslo", "NP": "Asia/Kathmandu", "NR": "Pacific/Nauru", "NU": "Pacific/Niue",
	"OM": "Asia/Muscat", "PA": "America/Panama", "PE": "America/Lima", "PH": "Asia/Manila",
	"PK": "Asia/Karachi", "PL": "Europe/Warsaw", "PM": "America/Miquelon", "PN": "Pacific/Pitcairn",
	"PR": "America/Puerto_Rico", "PW": "Pacific/Palau", "PY": "America/Asuncion", "QA": "Asia/Qatar",
	"RE": "Indian/Reunion", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "RW": "Africa/Kigali",
	"SA": "Asia/Riyadh", "SB": "Pacific/Guadalcanal", "SC": "Indian/Mahe", "SD": "Africa/Khartoum",
	"SE": "Europe/Stockholm", "SG": "Asia/Singapore", "SH": "Atlantic/St_Helena", "SI": "Europe/Ljubljana",
	"SJ": "Arctic/Longyearbyen", "SK": "Europe/Bratislava", "SL": "Africa/Freetown", "SM": "Europe/San_Marino",
	"SN": "Africa/Dakar", "SO": "Africa/Mogadishu", "SR": "America/Paramaribo", "SS": "Africa/Juba",
	"ST": "Africa/Sao_Tome", "SV": "America/El_Salvador", "SX": "America/Lower_Princes", "SY": "Asia/Damascus",
	"SZ": "Africa/Mbabane", "TC": "America/Grand_Turk", "TD": "Africa/Ndjamena", "TF": "Indian/Kerguelen",
	"TG": "Africa/Lome", "TH": "Asia/Bangkok", "TJ": "Asia/Dushanbe", "TK": "Pacific/Fakaofo",
	"TL": "Asia/Dili", "TM": "Asia/Ashgabat", "TN": "Africa/Tunis", "TO": "Pacific/Tongatapu",
	"TR": "Europe/Istanbul", "TT": "America/Port_of_Spain", "TV": "Pacific/Funafuti", "TW": "Asia/Taipei",
	"TZ": "Africa/Dar_es_Salaam", "UG": "Africa/Kampala", "UY": "America/Montevideo", "UZ": "Asia/Tashkent",
	"VA": "Europe/Vatican", "VC": "America/St_Vincent", "VE": "America/Caracas", "VG": "America/Tortola",
	"VI": "America/St_Thomas", "VN": "Asia/Ho_Chi_Minh", "VU": "Pacific/Efate", "WF": "Pacific/Wallis",
	"WS": "Pacific/Apia", "YE": "Asia/Aden", "YT": "Indian/Mayotte", "ZA": "Africa/Johannesburg",
	"ZM": "Africa/Lusaka", "ZW": "Africa/Harare",
}

// regionZones are countries spanning several zones, by subdivision; the ""
// entry is the fallback for an unknown or missing region.
var regionZones = map[string]map[string]string{
	"AU": byRegion("Australia/Sydney",
		"Australia/Sydney", "NSW ACT",
		"Australia/Melbourne", "VIC",
		"Australia/Brisbane", "QLD",
		"Australia/Adelaide", "SA",
		"Australia/Darwin", "NT",
		"Australia/Perth", "WA",
		"Australia/Hobart", "TAS",
	),
	"BR": byRegion("America/Sao_Paulo",
		"America/Manaus", "AM RR RO",
		"America/Cuiaba", "MT MS",
		"America/Rio_Branco", "AC",
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
	"CD": byRegion("Africa/Kinshasa", // the capital, where most international parcels go
		"Africa/Kinshasa", "BC EQ KG KL KN MN MO NU SU TU", // the former Bandundu, Bas-Congo, Équateur and Kinshasa
		"Africa/Lubumbashi", "BU HK HL HU IT KC KE KS LO LU MA NK SA SK TA TO",
	),
	"CL": byRegion("America/Santiago", // Easter Island is part of Valparaíso (VS)
		"America/Coyhaique", "AI",
		"America/Punta_Arenas", "MA",
	),
	"EC": byRegion("America/Guayaquil",
		"Pacific/Galapagos", "W",
	),
	"ES": byRegion("Europe/Madrid",
		"Atlantic/Canary", "CN GC TF",
		"Africa/Ceuta", "CE ML",
	),
	"FM": byRegion("Pacific/Chuuk",
		"Pacific/Pohnpei", "PNI",
		"Pacific/Kosrae", "KSA",
	),
	"GL": byRegion("America/Nuuk"),
	"ID": byRegion("Asia/Jakarta",
		"Asia/Pontianak", "KB KT",
		"Asia/Makassar", "BA GO KI KS KU NB NT SA SG SN SR ST",
		"Asia/Jayapura", "MA MU PA PB PD PE PS PT",
	),
	"KI": byRegion("Pacific/Tarawa",
		"Pacific/Kanton", "P",
		"Pacific/Kiritimati", "L",
	),
	"KZ": byRegion("Asia/Almaty", // oblasts by their letter and their newer numeric codes
		"Asia/Qyzylorda", "KZY 43",
		"Asia/Qostanay", "KUS 39",
		"Asia/Aqtobe", "AKT 15",
		"Asia/Aqtau", "MAN 47",
		"Asia/Atyrau", "ATY 23",
		"Asia/Oral", "ZAP 27",
	),
	"MH": byRegion("Pacific/Majuro",
		"Pacific/Kwajalein", "KWA",
	),
	"MN": byRegion("Asia/Ulaanbaatar",
		"Asia/Hovd", "043 046 071",
	),
	"MX": byRegion("America/Mexico_City",
		"America/Tijuana", "BC",
		"America/Hermosillo", "SON",
		"America/Mazatlan", "BCS SIN NAY",
		"America/Cancun", "ROO",
	),
	"NZ": byRegion("Pacific/Auckland",
		"Pacific/Chatham", "CIT",
	),
	"PF": byRegion("Pacific/Tahiti"), // no ISO subdivisions for the Marquesas and Gambier
	"PG": byRegion("Pacific/Port_Moresby",
		"Pacific/Bougainville", "NSB",
	),
	"PS": byRegion("Asia/Hebron",
		"Asia/Gaza", "DEB GZA KYS NGZ RFH",
	),
	"PT": byRegion("Europe/Lisbon",
		"Atlantic/Azores", "20",
		"Atlantic/Madeira", "30",
	),
	"RU": byRegion("Europe/Moscow",
		"Europe/Kaliningrad", "KGD",
		"Europe/Kirov", "KIR",
		"Europe/Volgograd", "VGG",
		"Europe/Astrakhan", "AST",
		"Europe/Saratov", "SAR",
		"Europe/Ulyanovsk", "ULY",
		"Europe/Samara", "SAM UD",
		"Asia/Yekaterinburg", "BA CHE KGN KHM ORE PER SVE TYU YAN",
		"Asia/Omsk", "OMS",
		"Asia/Novosibirsk", "NVS",
		"Asia/Barnaul", "AL ALT",
		"Asia/Tomsk", "TOM",
		"Asia/Novokuznetsk", "KEM",
		"Asia/Krasnoyarsk", "KK KYA TY",
		"Asia/Irkutsk", "BU IRK",
		"Asia/Chita", "ZAB",
		"Asia/Yakutsk", "AMU SA",
		"Asia/Vladivostok", "KHA PRI YEV",
		"Asia/Sakhalin", "SAK",
		"Asia/Magadan", "MAG",
		"Asia/Kamchatka", "KAM",
		"Asia/Anadyr", "CHU",
	),
	"UA": byRegion("Europe/Kyiv",
		"Europe/Simferopol", "40 43",
	),
	"UM": byRegion("Pacific/Wake",
		"Pacific/Midway", "71",
	),
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
}

// byRegion builds one country's table from zone, "CODE CODE ..." pairs; a
// code listed twice panics, so a slip in the tables fails every test.
func byRegion(fallback string, pairs ...string) map[string]string {
	m := map[string]string{"": fallback}
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, code := range strings.Fields(pairs[i+1]) {
			if _, dup := m[code]; dup {
				panic("tracking: region " + code + " listed twice for " + fallback)
			}
			m[code] = pairs[i]
		}
	}
	return m
}
