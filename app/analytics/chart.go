package analytics

import (
	"fmt"
	"strings"
	"time"
)

// Chart is the geometry of one server-rendered SVG chart: the template only
// draws what is computed here, so charts need no JavaScript and render the
// same in every mail client, screenshot and screen reader (Title and Desc
// become the SVG's accessible name and description).
type Chart struct {
	ID            string
	Title, Desc   string
	Width, Height float64
	// Horizontal bars carry their label on the left and value on the right.
	Horizontal bool
	// Legend is a short key drawn above the plot (empty for none).
	Legend string
	Bars   []Bar
	// Line is an SVG polyline "x,y x,y …" (empty for bar charts).
	Line   string
	Dots   []Tick
	YTicks []Tick
	XTicks []Tick
}

// Bar is one rectangle with its label and value text positions.
type Bar struct {
	X, Y, W, H float64
	Label      string
	Value      string
	// TX, TY place the value text; LX, LY the label.
	TX, TY, LX, LY float64
}

// Tick is a positioned axis label (or a point of a line).
type Tick struct {
	X, Y  float64
	Label string
}

const (
	chartW   = 640.0
	chartH   = 240.0
	padLeft  = 44.0
	padRight = 12.0
	padTop   = 16.0
	padBot   = 34.0
)

// TransitChart is a column chart of g's deliveries by business days in transit.
func TransitChart(g Group) Chart {
	last := 0
	for d, n := range g.Transit {
		if n > 0 {
			last = d
		}
	}
	last = max(last, 5)
	c := Chart{ID: "chart-transit", Title: "Transit time in business days",
		Desc: fmt.Sprintf("Deliveries by business days from first carrier scan to delivery; %d deliveries, mean %.1f days, 90%% within %s days.",
			g.TransitCount(), g.MeanTransit(), percentileText(g.TransitPercentile(0.9))),
		Width: chartW, Height: chartH}
	var peak int64 = 1
	for _, n := range g.Transit[:last+1] {
		peak = max(peak, n)
	}
	top, ticks := countAxis(peak)
	plotW, plotH := chartW-padLeft-padRight, chartH-padTop-padBot
	slot := plotW / float64(last+1)
	for d := 0; d <= last; d++ {
		n := g.Transit[d]
		h := plotH * float64(n) / float64(top)
		x := padLeft + float64(d)*slot + slot*0.15
		label := fmt.Sprint(d)
		if d == len(g.Transit)-1 {
			label += "+"
		}
		c.Bars = append(c.Bars, Bar{X: x, Y: padTop + plotH - h, W: slot * 0.7, H: h,
			Label: label + " days", Value: fmt.Sprint(n),
			TX: x + slot*0.35, TY: padTop + plotH - h - 4, LX: x + slot*0.35, LY: chartH - padBot + 16})
		c.XTicks = append(c.XTicks, Tick{X: x + slot*0.35, Y: chartH - padBot + 16, Label: label})
	}
	c.YTicks = ticks
	return c
}

// countAxis picks the top of a count axis and its labels: whole numbers
// only, never repeated ("0, 1" for a peak of 1, "0, 5, 10" for 7), top at a
// round number at or above peak.
func countAxis(peak int64) (int64, []Tick) {
	top := int64(1)
	for m := int64(1); ; m *= 10 {
		if n := nextRound(peak, m); n > 0 {
			top = n
			break
		}
	}
	var values []int64
	switch {
	case top <= 4:
		for v := int64(0); v <= top; v++ {
			values = append(values, v)
		}
	case top%2 == 0:
		values = []int64{0, top / 2, top}
	default:
		values = []int64{0, top}
	}
	plotH := chartH - padTop - padBot
	out := make([]Tick, 0, len(values))
	for _, v := range values {
		out = append(out, Tick{X: padLeft - 6, Y: padTop + plotH*(1-float64(v)/float64(top)), Label: fmt.Sprint(v)})
	}
	return top, out
}

// nextRound is the smallest of 1, 2, 5 × m (or 10 × m) at or above peak,
// or 0 when peak is above 10 × m.
func nextRound(peak, m int64) int64 {
	for _, k := range []int64{1, 2, 5, 10} {
		if k*m >= peak {
			if peak <= 4 && m == 1 {
				return max(peak, 1)
			}
			return k * m
		}
	}
	return 0
}

func percentileText(d int) string {
	if d < 0 {
		return "–"
	}
	return fmt.Sprint(d)
}

// OnTimeChart is a horizontal bar chart of the on-time rate per group.
func OnTimeChart(groups []Group) Chart {
	const rowH, labelW = 30.0, 120.0
	c := Chart{ID: "chart-ontime", Title: "On-time delivery by carrier", Horizontal: true,
		Width: chartW, Height: padTop + rowH*float64(max(len(groups), 1)) + 8}
	var desc []string
	plotW := chartW - labelW - 70
	for i, g := range groups {
		rate := g.OnTimeRate()
		y := padTop + float64(i)*rowH
		value := pct(rate)
		if g.Promised == 0 {
			value = "no promised dates"
		}
		w := plotW * rate
		c.Bars = append(c.Bars, Bar{X: labelW, Y: y, W: w, H: rowH * 0.65, Label: g.Key, Value: value,
			TX: labelW + w + 6, TY: y + rowH*0.5, LX: labelW - 8, LY: y + rowH*0.5})
		desc = append(desc, g.Key+" "+value)
	}
	c.Desc = "Share of deliveries on or before the promised date: " + strings.Join(desc, ", ") + "."
	if len(groups) == 0 {
		c.Desc = "No deliveries in this period."
	}
	return c
}

// TrendChart draws shipments per period as columns on a count axis.
func TrendChart(points []Point, iv Interval) Chart {
	c := Chart{ID: "chart-trend", Title: "Shipments per " + string(iv), Width: chartW, Height: chartH}
	plotW, plotH := chartW-padLeft-padRight, chartH-padTop-padBot
	var peak, total int64 = 1, 0
	for _, p := range points {
		peak = max(peak, p.Shipments)
		total += p.Shipments
	}
	top, ticks := countAxis(peak)
	slot := plotW / float64(max(len(points), 1))
	every := max(1, len(points)/8)
	for i, p := range points {
		x := padLeft + float64(i)*slot
		h := plotH * float64(p.Shipments) / float64(top)
		c.Bars = append(c.Bars, Bar{X: x + slot*0.1, Y: padTop + plotH - h, W: slot * 0.8, H: h,
			Label: p.Start.Format("Jan 2"), Value: fmt.Sprintf("%d shipments", p.Shipments)})
		if i%every == 0 {
			c.XTicks = append(c.XTicks, Tick{X: x + slot/2, Y: chartH - padBot + 16, Label: p.Start.Format("Jan 2")})
		}
	}
	c.YTicks = ticks
	c.Desc = fmt.Sprintf("%d shipments over %d %ss, peak %d.", total, len(points), iv, peak)
	return c
}

// OnTimeTrendChart draws the on-time rate per period as a line on its own
// 0–100 % axis; periods without promised deliveries have no point.
func OnTimeTrendChart(points []Point, iv Interval) Chart {
	c := Chart{ID: "chart-ontime-trend", Title: "On-time rate per " + string(iv), Width: chartW, Height: chartH}
	plotW, plotH := chartW-padLeft-padRight, chartH-padTop-padBot
	slot := plotW / float64(max(len(points), 1))
	every := max(1, len(points)/8)
	var line []string
	for i, p := range points {
		x := padLeft + float64(i)*slot
		if i%every == 0 {
			c.XTicks = append(c.XTicks, Tick{X: x + slot/2, Y: chartH - padBot + 16, Label: p.Start.Format("Jan 2")})
		}
		if p.Promised > 0 {
			pt := Tick{X: x + slot/2, Y: padTop + plotH*(1-p.OnTimeRate()), Label: p.Start.Format(time.DateOnly) + ": " + pct(p.OnTimeRate())}
			c.Dots = append(c.Dots, pt)
			line = append(line, fmt.Sprintf("%.1f,%.1f", pt.X, pt.Y))
		}
	}
	c.Line = strings.Join(line, " ")
	c.YTicks = yTicks(100, func(v float64) string { return fmt.Sprintf("%.0f%%", v) })
	c.Desc = fmt.Sprintf("Share of deliveries with a promised date that arrived on time, per %s; %d of %d %ss had promised deliveries.", iv, len(c.Dots), len(points), iv)
	if len(c.Dots) == 0 {
		c.Desc = "No deliveries with a promised date in this period."
	}
	return c
}

// yTicks places labels at 0, half and the top of the plot.
func yTicks(top float64, label func(float64) string) []Tick {
	plotH := chartH - padTop - padBot
	var out []Tick
	for _, f := range []float64{0, 0.5, 1} {
		out = append(out, Tick{X: padLeft - 6, Y: padTop + plotH*(1-f), Label: label(top * f)})
	}
	return out
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
