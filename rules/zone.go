package rules

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	// The zone database is compiled in so that a host without tzdata still resolves
	// Asia/Ho_Chi_Minh instead of failing or, worse, falling back to UTC.
	_ "time/tzdata"
)

// DefaultZoneName is the zone of the one-stop-shop when the configuration names none.
const DefaultZoneName = "Asia/Ho_Chi_Minh"

// LoadZone returns the location named name, or the [DefaultZoneName] location when name is
// empty. The zone database is embedded, so the result does not depend on the host's tzdata.
//
// An unknown name is an error that names it; there is never a fall-back to UTC. "Local" is
// refused too, because it means whatever zone the host happens to run in.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultZoneName
	}
	if strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("zone %q: name a zone such as %s, not the host's zone", name,
			DefaultZoneName)
	}

	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown zone %q: %w", name, err)
	}
	return loc, nil
}

var defaultZone = sync.OnceValue(func() *time.Location {
	loc, err := LoadZone(DefaultZoneName)
	if err != nil {
		// The zone database is embedded: this cannot happen in a correct build.
		panic(fmt.Sprintf("rules: embedded zone database: %v", err))
	}
	return loc
})

// zoneOrDefault returns loc, or the [DefaultZoneName] location when loc is nil.
func zoneOrDefault(loc *time.Location) *time.Location {
	if loc == nil {
		return defaultZone()
	}
	return loc
}

// ErrBadTime reports a received time that [ParseReceived] cannot read.
var ErrBadTime = errors.New("want RFC 3339 (2021-03-08T03:15:42Z) or local wall-clock " +
	"(2021-03-08 10:15:42, 2021-03-08 10:15)")

// Layouts of a local wall-clock time, tried in order after RFC 3339. A fractional second after
// the seconds is accepted by the time package even though the layouts do not show it.
var localLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
}

// ParseReceived reads a receipt time. An RFC 3339 value (with Z or an offset) is an instant;
// a value without a zone, "2021-03-08 10:15:42" or "2021-03-08 10:15" (with a space or a T
// between date and time), is local wall-clock time in loc (nil: [DefaultZoneName]). The result
// is in loc.
func ParseReceived(s string, loc *time.Location) (time.Time, error) {
	loc = zoneOrDefault(loc)
	v := strings.TrimSpace(s)

	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.In(loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: %w", s, ErrBadTime)
}
