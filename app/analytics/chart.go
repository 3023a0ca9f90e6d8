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
	var top int64 = 1
	for _, n := range g.Transit[:last+1] {
		top = max(top, n)
	}
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
	c.YTicks = yTicks(float64(top), func(v float64) string { return fmt.Sprintf("%.0f", v) })
	return c
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

// TrendChart draws shipments per period as columns and the on-time rate as a
// line on a 0–100 % scale.
func TrendChart(points []Point, iv Interval) Chart {
	c := Chart{ID: "chart-trend", Title: "Shipments and on-time rate per " + string(iv), Width: chartW, Height: chartH}
	plotW, plotH := chartW-padLeft-padRight, chartH-padTop-padBot
	var top int64 = 1
	var total int64
	for _, p := range points {
		top = max(top, p.Shipments)
		total += p.Shipments
	}
	slot := plotW / float64(max(len(points), 1))
	every := max(1, len(points)/8)
	var line []string
	for i, p := range points {
		x := padLeft + float64(i)*slot
		h := plotH * float64(p.Shipments) / float64(top)
		c.Bars = append(c.Bars, Bar{X: x + slot*0.1, Y: padTop + plotH - h, W: slot * 0.8, H: h,
			Label: p.Start.Format("Jan 2"), Value: fmt.Sprintf("%d shipments, %s on time", p.Shipments, pct(p.OnTimeRate()))})
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
	c.Legend = fmt.Sprintf("columns: shipments (peak %d) · line: on time", top)
	c.YTicks = yTicks(100, func(v float64) string { return fmt.Sprintf("%.0f%%", v) })
	c.Desc = fmt.Sprintf("%d shipments over %d %ss (columns, peak %d); the line is the on-time rate of deliveries with a promised date.",
		total, len(points), iv, top)
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
