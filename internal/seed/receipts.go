package seed

import (
	"math/rand/v2"
	"slices"
	"time"

	"fixer/rules"
)

// This file decides when dossiers arrive: how many on each day of the year, and at what time
// of day, in receipt order, without holding a day's dossiers in memory.

// segment is a part of the day with a constant filing rate, in whole minutes.
type segment struct {
	start, end int   // minutes after midnight, end exclusive
	rate       int64 // relative dossiers per minute
}

// dayProfile is the distribution of receipt times over one kind of day, as a weight for each
// minute.
type dayProfile [1440]int64

func hm(h, m int) int { return h*3600 + m*60 }

func newDayProfile(segs []segment) *dayProfile {
	var p dayProfile
	for _, s := range segs {
		for m := s.start; m < s.end; m++ {
			p[m] = s.rate
		}
	}
	return &p
}

// workingDayProfile: the counter is busy in the sessions (07:30–11:30, 13:00–17:00); online
// filings trickle in at lunch, in the evening and at night.
var workingDayProfile = newDayProfile([]segment{
	{0, 6 * 60, 2},
	{6 * 60, 7*60 + 30, 8},
	{7*60 + 30, 11*60 + 30, 100},
	{11*60 + 30, 13 * 60, 15},
	{13 * 60, 17 * 60, 80},
	{17 * 60, 22 * 60, 12},
	{22 * 60, 24 * 60, 4},
})

// dayOffProfile: on weekends and holidays only online filings arrive, mostly in daytime.
var dayOffProfile = newDayProfile([]segment{
	{0, 7 * 60, 3},
	{7 * 60, 12 * 60, 20},
	{12 * 60, 14 * 60, 15},
	{14 * 60, 22 * 60, 18},
	{22 * 60, 24 * 60, 6},
})

// monthLoad is the relative load of each month: quiet around the Lunar New Year, busy before
// the year's end.
var monthLoad = [12]int64{105, 80, 100, 100, 95, 100, 100, 95, 95, 105, 110, 115}

// Relative daily load of a working day and of a day off (online filing only), per mille.
const (
	workingDayLoad = 1000
	dayOffLoad     = 60
)

// receiptDays spreads N dossiers over the days of a year and yields their receipt times in
// order, one at a time, with integer arithmetic only so that every platform draws the same.
//
// Within a day it uses selection sampling (Knuth's algorithm S) over weighted minute slots: a
// minute of weight w holds w slots, and each slot in turn is taken with probability
// needed/remaining, which takes exactly the day's count, in time order. The dossiers of one
// minute get random seconds, sorted; nothing larger than a minute is ever held.
type receiptDays struct {
	cal   *rules.Calendar
	loc   *time.Location
	first rules.Date
	cum   []int64 // cumulative load at the end of each day
	n     int64

	day       int         // index of the current day
	profile   *dayProfile // of the current day
	scale     int64       // slots per unit of weight, enough for the day's count
	slotsLeft int64       // slots not yet visited in the current day
	need      int64       // dossiers still to place in the current day
	minute    int         // next minute to visit
	seconds   []int       // seconds of the dossiers of the last minute visited, sorted
	at        int         // next of them
	dayChange bool        // the last call moved to a new day
}

func newReceiptDays(cal *rules.Calendar, year int, n int64, r *rand.Rand) *receiptDays {
	first := rules.Date{Year: year, Month: time.January, Day: 1}
	days := int(time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	rd := &receiptDays{cal: cal, loc: cal.Zone(), first: first, n: n, day: -1}
	var acc int64
	for i := range days {
		d := first.AddDays(i)
		load := int64(dayOffLoad)
		if cal.IsWorkingDay(d) {
			load = workingDayLoad * monthLoad[d.Month-1] / 100
		}
		load = load * int64(85+r.IntN(31)) / 100
		acc += load
		rd.cum = append(rd.cum, acc)
	}
	return rd
}

// next returns the receipt time of the next dossier.
func (rd *receiptDays) next(r *rand.Rand) time.Time {
	rd.dayChange = false
	for rd.at == len(rd.seconds) {
		for rd.need == 0 || rd.minute == len(rd.profile) {
			rd.startDay()
		}
		rd.visitMinute(r)
	}
	sec := rd.minute*60 - 60 + rd.seconds[rd.at]
	rd.at++
	return rd.date().In(rd.loc, sec)
}

// startDay moves to the next day and works out how many dossiers it receives.
func (rd *receiptDays) startDay() {
	rd.day++
	rd.dayChange = true
	total := rd.cum[len(rd.cum)-1]
	if rd.day >= len(rd.cum) {
		// Rounding leaves no dossier over; should one be, it goes to the last day.
		rd.day = len(rd.cum) - 1
		rd.need = 1
	} else {
		prev := int64(0)
		if rd.day > 0 {
			prev = rd.n * rd.cum[rd.day-1] / total
		}
		rd.need = rd.n*rd.cum[rd.day]/total - prev
	}

	rd.profile = dayOffProfile
	if rd.cal.IsWorkingDay(rd.date()) {
		rd.profile = workingDayProfile
	}
	var weight int64
	for _, w := range rd.profile {
		weight += w
	}
	rd.scale = 1 + rd.need/weight
	rd.slotsLeft = weight * rd.scale
	rd.minute = 0
}

// visitMinute takes the current minute's share of the day's dossiers by selection sampling.
func (rd *receiptDays) visitMinute(r *rand.Rand) {
	rd.seconds, rd.at = rd.seconds[:0], 0
	slots := rd.profile[rd.minute] * rd.scale
	rd.minute++
	for ; slots > 0 && rd.need > 0; slots-- {
		if r.Int64N(rd.slotsLeft) < rd.need {
			rd.seconds = append(rd.seconds, r.IntN(60))
			rd.need--
		}
		rd.slotsLeft--
	}
	rd.slotsLeft -= slots
	slices.Sort(rd.seconds)
}

func (rd *receiptDays) date() rules.Date { return rd.first.AddDays(rd.day) }
