package repair

import "testing"

// A flag column is set by a non-zero number or a spelling of true; zero in any spelling, the
// spellings of false, empty text and a MySQL zero date (which stands for no date) leave it unset.
func TestFlag(t *testing.T) {
	unset := []Value{Null, Text(""), Text(" "), Text("0"), Text("N"), Text("n"), Text("false"), Text("FALSE "),
		Text("f"), Text("no"), Text("off"), Text("Không"), Text("KHONG"), Text("K"), // Có/Không flags
		Text("0.0"), Text("0.00"), Text("00"), Text("0000"), Text("-0"), // DECIMAL, bit(4)
		Text("0000-00-00"), Text("0000-00-00 00:00:00"), Text("0000-00-00 00:00:00.000000")}
	set := []Value{Text("1"), Text("Y"), Text("true"), Text("t"), Text("yes"), Text("on"), Text("1.0"),
		Text("0.5"), Text("0001"), Text("-1"), Text("2021-07-01 08:00:00"), Text("2021-07-01"),
		Text("Có"), Text("C")}
	for _, v := range unset {
		if Flag(v) {
			t.Errorf("Flag(%q) = true, want false", v.String)
		}
	}
	for _, v := range set {
		if !Flag(v) {
			t.Errorf("Flag(%q) = false, want true", v.String)
		}
	}
}

// A lateness flag is written in the spelling of the value it replaces, in the same case, so that
// a text column keeps the convention its application reads; 1/0 over NULL or anything else.
func TestFlagLike(t *testing.T) {
	for _, c := range []struct {
		old     Value
		yes, no string
	}{
		{Null, "1", "0"}, {Text("0"), "1", "0"}, {Text("1"), "1", "0"}, {Text("2"), "1", "0"},
		{Text("true"), "true", "false"}, {Text("false"), "true", "false"}, {Text("TRUE"), "TRUE", "FALSE"},
		{Text("t"), "t", "f"}, {Text("F"), "T", "F"},
		{Text("N"), "Y", "N"}, {Text("y"), "y", "n"}, {Text("Yes"), "Yes", "No"}, {Text("NO"), "YES", "NO"},
		{Text("off"), "on", "off"}, {Text("Không"), "Có", "Không"}, {Text("CÓ"), "CÓ", "KHÔNG"},
		{Text("khong"), "co", "khong"}, {Text("K"), "C", "K"}, {Text(" n "), "y", "n"},
	} {
		if got := flagLike(true, c.old); got != c.yes {
			t.Errorf("flagLike(true, %q) = %q, want %q", c.old.String, got, c.yes)
		}
		if got := flagLike(false, c.old); got != c.no {
			t.Errorf("flagLike(false, %q) = %q, want %q", c.old.String, got, c.no)
		}
	}
}
