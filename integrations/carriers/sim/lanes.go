package sim

import "github.com/ordertrack/ordertrack/app/tracking"

// Lane is a route the simulated carrier serves: where parcels start and end,
// the sort hubs they pass, and how many working days the service promises.
type Lane struct {
	Service     string
	Origin      tracking.Location
	Destination tracking.Location
	// Hubs are the facilities between origin and destination, in order; an
	// international lane ends with the destination's customs hub.
	Hubs []tracking.Location
	// TransitDays is the promised number of working days from pickup to
	// delivery; Slack widens the promise into a window of that many more days.
	TransitDays int
	Slack       int
	// International lanes clear customs, so their action-required scenario
	// is a duty payment rather than an address query.
	International bool
}

func loc(city, region, postal, country string) tracking.Location {
	return tracking.Location{City: city, Region: region, PostalCode: postal, Country: country}
}

// Lanes returns the lanes Plan chooses from.
func Lanes() []Lane {
	return []Lane{
		{
			Service: "ground", TransitDays: 5, Slack: 1,
			Origin:      loc("Los Angeles", "CA", "90021", "US"),
			Destination: loc("Brooklyn", "NY", "11201", "US"),
			Hubs: []tracking.Location{
				loc("Ontario", "CA", "91761", "US"), loc("Hodgkins", "IL", "60525", "US"),
				loc("Parsippany", "NJ", "07054", "US"), loc("Maspeth", "NY", "11378", "US"),
			},
		},
		{
			Service: "express", TransitDays: 2,
			Origin:      loc("Austin", "TX", "78701", "US"),
			Destination: loc("Seattle", "WA", "98101", "US"),
			Hubs:        []tracking.Location{loc("Memphis", "TN", "38118", "US"), loc("Kent", "WA", "98032", "US")},
		},
		{
			Service: "ground", TransitDays: 2, Slack: 1,
			Origin:      loc("Columbus", "OH", "43215", "US"),
			Destination: loc("Chicago", "IL", "60607", "US"),
			Hubs:        []tracking.Location{loc("Indianapolis", "IN", "46241", "US"), loc("Chicago", "IL", "60638", "US")},
		},
		{
			Service: "ground", TransitDays: 2, Slack: 1,
			Origin:      loc("Manchester", "", "M1 1AE", "GB"),
			Destination: loc("London", "", "E1 6AN", "GB"),
			Hubs:        []tracking.Location{loc("Warrington", "", "WA5 7YR", "GB"), loc("Enfield", "", "EN3 7QP", "GB")},
		},
		{
			Service: "ground", TransitDays: 5, Slack: 2,
			Origin:      loc("Toronto", "ON", "M5V 2T6", "CA"),
			Destination: loc("Vancouver", "BC", "V6B 1A1", "CA"),
			Hubs: []tracking.Location{
				loc("Mississauga", "ON", "L5T 2N7", "CA"), loc("Calgary", "AB", "T2C 4T2", "CA"),
				loc("Richmond", "BC", "V6V 2L9", "CA"),
			},
		},
		{
			Service: "international", TransitDays: 6, Slack: 2, International: true,
			Origin:      loc("New York", "NY", "10001", "US"),
			Destination: loc("London", "", "SW1A 1AA", "GB"),
			Hubs: []tracking.Location{
				loc("Jamaica", "NY", "11430", "US"), loc("Heathrow", "", "TW6 2GA", "GB"),
				loc("Coventry", "", "CV3 4FF", "GB"),
			},
		},
	}
}
