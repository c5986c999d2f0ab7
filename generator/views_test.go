package generator

import "testing"

func TestVotesNeeded(t *testing.T) {
	for _, c := range []struct {
		threshold float64
		n, want   int
	}{
		{0.6667, 3, 2}, {0.6667, 6, 4}, {0.6667, 9, 6}, {0.6667, 1000, 667},
		{0.75, 8, 6}, {0.5, 4, 2}, {0.51, 4, 3}, {0.5001, 2, 2}, {0.6, 5, 3},
		{1, 5, 5}, {0.3, 3, 1}, {0.3333, 3, 1}, {0, 5, 0},
	} {
		if got := votesNeeded(c.threshold, c.n); got != c.want {
			t.Errorf("votesNeeded(%v, %d) = %d, want %d", c.threshold, c.n, got, c.want)
		}
	}
}
