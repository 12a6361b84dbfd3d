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
