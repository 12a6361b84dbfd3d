package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseTextDuration(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in   string
		want string // as Duration.String
	}{
		{"05 ngày làm việc", "5d"},
		{"5 ngày làm việc.", "5d"},
		{"05 (năm) ngày làm việc", "5d"},
		{"15 (mười lăm) ngày", "15cd"},
		{"10 (mười) ngày làm việc", "10d"},
		{"20 (hai mươi) ngày", "20cd"},
		{"21 (hai mươi mốt) ngày làm việc", "21d"},
		{"15 ngày", "15cd"},
		{"30 ngày kể từ ngày nhận hồ sơ", "30cd"},
		{"trong ngày", "0d"},
		{"Trong ngày làm việc", "0d"},
		{"04 giờ", "4h"},
		{"04 giờ làm việc", "4h"},
		{"1,5 giờ", "1.5h"},
		{"0,5 ngày", "0.5d"},
		{"0.5 ngày", "0.5d"},
		{"1,5 ngày làm việc", "1.5d"},
		{"nửa ngày", "0.5d"},
		{"Nửa ngày làm việc", "0.5d"},
		{"03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "3d"},
		{"03 ngày làm việc (kể từ ngày nhận đủ hồ sơ hợp lệ)", "3d"},
		{"Trong thời hạn 07 ngày làm việc, kể từ ngày nhận đủ hồ sơ", "7d"},
		{"không quá 02 ngày làm việc", "2d"},
		{"05 NGÀY LÀM VIỆC", "5d"},
		{"05 ngay lam viec", "5d"},
		{"05  ngày\u00a0làm  việc", "5d"},
		{"05 nga\u0300y la\u0300m vie\u0323\u0302c", "5d"}, // decomposed diacritics
		{"5d", "5d"},
		{"0.5d", "0.5d"},
		{"15cd", "15cd"},
		{"4h", "4h"},
	}
	for _, tc := range cases {
		got, err := ParseTextDuration(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got.String(), tc.in)
	}
}

func TestParseTextDurationErrors(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in, want string
	}{
		{"", "want a form such as"},
		{"ngày", "want a form such as"},
		{"01 tháng", "want a form such as"},
		{"02 tuần", "want a form such as"},
		{"05 năm", "want a form such as"},
		{"05 ngày làm việc đối với hồ sơ A", "want a form such as"},
		{"05 (sáu) ngày làm việc", "the number in words does not match 05"},
		{"0,5 (năm) ngày", "the number in words does not match 0,5"},
		{"1.000 ngày", "could be a thousand or a decimal"},
		{"400 ngày làm việc", "over the limit of 365 working days"},
		{"-1d", "negative"},
		{"0,5cd", "want a number and a unit"},
		{"1,2345 giờ", "want a form such as"},
	}
	for _, tc := range cases {
		_, err := ParseTextDuration(tc.in)
		require.ErrorIs(t, err, ErrBadDuration, tc.in)
		require.ErrorContains(t, err, `"`+tc.in+`"`)
		require.ErrorContains(t, err, tc.want, tc.in)
	}
}

// A text that names more than one duration is ambiguous, whatever words join them: the first
// one is never taken.
func TestParseTextDurationAmbiguous(t *testing.T) {
	t.Parallel()

	for in, n := range map[string]int{
		"05 ngày làm việc kể từ ngày nhận đủ hồ sơ; trường hợp phức tạp 10 ngày làm việc": 2,
		"02 ngày làm việc; 01 ngày đối với hồ sơ ưu tiên":                                 2,
		"05 ngày hoặc 10 ngày": 2,
		"03 ngày làm việc (kể từ ngày nhận đủ hồ sơ, 05 ngày nếu phải xác minh)": 2,
		"Trong ngày; hồ sơ phức tạp 03 ngày làm việc":                            2,
		"nửa ngày hoặc 04 giờ":                 2,
		"04 (bốn) giờ làm việc, tối đa 08 giờ": 2,
		"5d, 10d":                   2,
		"01 ngày; 02 ngày; 03 ngày": 3,
	} {
		_, err := ParseTextDuration(in)
		require.ErrorIs(t, err, ErrAmbiguousDuration, in)
		require.ErrorIs(t, err, ErrBadDuration, in)
		require.ErrorContains(t, err, `"`+in+`"`)
		require.ErrorContains(t, err, fmt.Sprintf("it names %d durations", n), in)
	}

	for _, in := range []string{
		"03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
		"Trong thời hạn 07 ngày làm việc, kể từ ngày nhận đủ hồ sơ",
		"05 (năm) ngày làm việc",
		"30 ngày kể từ ngày nhận hồ sơ",
		"trong ngày làm việc",
	} {
		_, err := ParseTextDuration(in)
		require.NoError(t, err, "one duration: %s", in)
	}
}

func TestVietnameseNumber(t *testing.T) {
	t.Parallel()

	cases := map[string]int{
		"khong": 0, "nam": 5, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi lam": 15,
		"muoi nam": 15, "hai muoi": 20, "hai muoi mot": 21, "hai muoi tu": 24,
		"chin muoi chin": 99,
	}
	for words, want := range cases {
		got, ok := vietnameseNumber(strings.Fields(words))
		require.True(t, ok, words)
		require.Equal(t, want, got, words)
	}
	for _, bad := range []string{"", "mot muoi", "muoi khong", "hai muoi muoi", "tram", "ba ba"} {
		_, ok := vietnameseNumber(strings.Fields(bad))
		require.False(t, ok, bad)
	}
}
