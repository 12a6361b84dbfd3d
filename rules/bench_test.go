package rules

import (
	"math/rand"
	"testing"
	"time"
)

// BenchmarkDeadline computes deadlines for a mix of receipt times (2021–2026), durations up to
// 60 working days (hours, days, half days, calendar days) and the three policies.
func BenchmarkDeadline(b *testing.B) {
	cal := Default()
	r := rand.New(rand.NewSource(1))
	type input struct {
		received time.Time
		d        Duration
		p        Policy
		cutoff   ClockTime
	}
	durations := []Duration{Hours(1), Hours(4), {WorkingHours, 1500}, Days(0), {WorkingDays, 500},
		Days(1), Days(3), Days(5), Days(10), Days(15), Days(30), Days(60), {CalendarDays, 15000},
		{CalendarDays, 30000}}
	policies := []Policy{LegacyPolicy, AppointmentPolicy2021, DeadlinePolicy2021}

	inputs := make([]input, 4096)
	first := Date{2021, 1, 1}.DayNumber()
	for i := range inputs {
		day := DateFromDayNumber(first + r.Intn(6*365))
		inputs[i] = input{
			received: day.In(cal.Zone(), r.Intn(secondsPerDay)),
			d:        durations[r.Intn(len(durations))],
			p:        policies[r.Intn(len(policies))],
			cutoff:   []ClockTime{NoCutoff, NoCutoff, 15 * 3600}[r.Intn(3)],
		}
	}

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		in := &inputs[i%len(inputs)]
		if _, err := cal.Deadline(in.received, in.d, in.p, in.cutoff); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewCalendar measures building a calendar's day table for 1990–2100.
func BenchmarkNewCalendar(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewCalendar(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
