package rules

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// textForms is the hint given with a processing time that cannot be read.
const textForms = `want a form such as "05 ngày làm việc", "15 ngày", "04 giờ", "0,5 ngày", ` +
	`"trong ngày", 3d, 4h or 15cd`

// Patterns of the processing times written in procedures, matched against text folded by
// foldVietnamese (lower case, no diacritics, single spaces).
var (
	// A trailing "kể từ ngày nhận đủ hồ sơ hợp lệ" (counted from ...) says when the clock
	// starts, which the deemed receipt already decides; it is accepted and ignored.
	textTail  = `(?:\s*[,(]?\s*(?:ke tu|tinh tu)\b.*)?`
	textPlain = regexp.MustCompile(`^-?[0-9.,]+\s*(?:d|h|cd)$`)
	textSame  = regexp.MustCompile(`^trong (?:ngay|ngay lam viec)` + textTail + `$`)
	textHalf  = regexp.MustCompile(`^nua (?:ngay|ngay lam viec)` + textTail + `$`)
	// textMention finds each duration a text names: a number with its unit, "trong ngày" or
	// "nửa ngày". More than one makes the text ambiguous.
	textMention = regexp.MustCompile(`(?:^|[^0-9.,])[0-9]+(?:[.,][0-9]+)? ?(?:\([a-z ]+\) ?)?` +
		`(?:ngay|gio|cd|d|h)\b|\b(?:trong|nua) ngay\b`)
	textCount = regexp.MustCompile(`^(?:(?:trong thoi han|trong vong|khong qua|toi da|thoi han) )?` +
		`([0-9]+(?:[.,][0-9]+)?) ?(?:\(([a-z ]+)\) ?)?(ngay lam viec|gio lam viec|ngay|gio)` +
		textTail + `$`)
)

// ParseTextDuration reads a processing time as procedures write it in Vietnamese:
//
//	"05 ngày làm việc"          5 working days (5d)
//	"05 (năm) ngày làm việc"    the same; the number in words must agree with the digits
//	"15 ngày"                   15 calendar days (15cd)
//	"0,5 ngày", "nửa ngày"      half a working day (0.5d)
//	"04 giờ", "04 giờ làm việc" 4 working hours (4h)
//	"trong ngày"                within the day of receipt (0d)
//
// A bare "ngày" means calendar days, because the legal texts write "ngày làm việc" whenever
// they mean working days. A fraction of a bare "ngày" is read as working days, since a
// period in calendar days has no halves and "0,5 ngày" is how a half working day is written.
// A leading "trong thời hạn", "trong vòng", "không quá" or "tối đa" and a trailing "kể từ ..."
// are accepted. A text that names more than one duration ("05 ngày làm việc; trường hợp phức
// tạp 10 ngày làm việc") is ambiguous: an [ErrAmbiguousDuration], never its first duration. Case and diacritics are ignored, and both "," and "." separate decimals
// ("1.000", which could be a thousand, is refused). The machine forms of [ParseDuration], such
// as "5d", are accepted too. Anything else is an error that quotes the value.
func ParseTextDuration(s string) (Duration, error) {
	v := foldVietnamese(s)
	v = strings.TrimRight(v, ".;: ")
	if n := len(textMention.FindAllStringIndex(v, -1)); n > 1 {
		return Duration{}, fmt.Errorf("%w %q: it names %d durations and fixer does not choose "+
			"between them; write the one processing time that applies, such as \"05 ngày làm việc\"",
			ErrAmbiguousDuration, s, n)
	}

	switch {
	case textPlain.MatchString(v):
		return ParseDuration(s)
	case textSame.MatchString(v):
		return Duration{Unit: WorkingDays}, nil
	case textHalf.MatchString(v):
		return Duration{Unit: WorkingDays, Milli: milliPerUnit / 2}, nil
	}

	m := textCount.FindStringSubmatch(v)
	if m == nil {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrBadDuration, s, textForms)
	}
	number, words, unit := m[1], m[2], m[3]

	sep := byte('.')
	if strings.Contains(number, ",") {
		sep = ','
	}
	if _, frac, ok := strings.Cut(number, "."); ok && len(frac) == 3 {
		return Duration{}, fmt.Errorf("%w %q: %q could be a thousand or a decimal; write %q",
			ErrBadDuration, s, number, strings.Replace(number, ".", ",", 1))
	}
	milli, ok := parseMilli(number, sep)
	if !ok {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrBadDuration, s, textForms)
	}
	if words != "" {
		n, ok := vietnameseNumber(strings.Fields(words))
		if !ok || milli%milliPerUnit != 0 || int64(n)*milliPerUnit != milli {
			return Duration{}, fmt.Errorf("%w %q: the number in words does not match %s",
				ErrBadDuration, s, number)
		}
	}

	d := Duration{Unit: WorkingDays, Milli: milli}
	switch {
	case strings.HasPrefix(unit, "gio"):
		d.Unit = WorkingHours
	case unit == "ngay" && milli%milliPerUnit == 0:
		d.Unit = CalendarDays
	}
	if p := d.problem(); p != "" {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrBadDuration, s, p)
	}
	return d, nil
}

// vietnameseVowels lists, for each base letter, its precomposed Vietnamese forms.
var vietnameseVowels = map[rune]string{
	'a': "àáảãạăằắẳẵặâầấẩẫậ",
	'e': "èéẻẽẹêềếểễệ",
	'i': "ìíỉĩị",
	'o': "òóỏõọôồốổỗộơờớởỡợ",
	'u': "ùúủũụưừứửữự",
	'y': "ỳýỷỹỵ",
	'd': "đ",
}

var foldTable = func() map[rune]rune {
	t := make(map[rune]rune)
	for base, forms := range vietnameseVowels {
		for _, r := range forms {
			t[r] = base
		}
	}
	return t
}()

// foldVietnamese lower-cases s, removes Vietnamese diacritics (precomposed or combining),
// turns đ into d and collapses white space, so that "NGÀY LÀM VIỆC" reads "ngay lam viec".
func foldVietnamese(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if base, ok := foldTable[r]; ok {
			r = base
		}
		b.WriteRune(r)
	}
	return b.String()
}

// vietnameseNumber reads a whole number from 0 to 99 written in folded Vietnamese words, such
// as "nam" (5), "muoi lam" (15) or "hai muoi mot" (21).
func vietnameseNumber(words []string) (int, bool) {
	digit := map[string]int{
		"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4,
		"nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
	}
	unitsAfterTen := func(w []string) (int, bool) {
		switch len(w) {
		case 0:
			return 0, true
		case 1:
			n, ok := digit[w[0]]
			return n, ok && n > 0
		}
		return 0, false
	}

	switch {
	case len(words) == 1 && words[0] != "muoi":
		n, ok := digit[words[0]]
		return n, ok
	case len(words) >= 1 && words[0] == "muoi":
		n, ok := unitsAfterTen(words[1:])
		return 10 + n, ok
	case len(words) >= 2 && words[1] == "muoi":
		tens, ok := digit[words[0]]
		n, ok2 := unitsAfterTen(words[2:])
		return tens*10 + n, ok && ok2 && tens >= 2
	}
	return 0, false
}
