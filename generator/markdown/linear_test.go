package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// allocsDoubling returns how many times more a run on an input of size 2n
// allocates than on one of size n: a count of operations, the same on any
// machine, where a time would not be.
func allocsDoubling(n int, run func(n int)) float64 {
	small := testing.AllocsPerRun(1, func() { run(n) })
	large := testing.AllocsPerRun(1, func() { run(2 * n) })
	return large / small
}

func sameHeadings(n int) []byte {
	return []byte(strings.Repeat("## Same heading\n\n", n))
}

// Twenty thousand headings of one text once took 24 s: each counted up
// from same-heading-1 to find a free number.
func TestSameHeadingsLinear(t *testing.T) {
	c := New(false)
	for name, run := range map[string]func(n int){
		"parse":   func(n int) { c.Parse(sameHeadings(n)) },
		"outline": func(n int) { c.Outline(sameHeadings(n)) },
	} {
		if r := allocsDoubling(1000, run); r > 2.3 {
			t.Errorf("%s: twice the headings allocate %.2f times as much", name, r)
		}
	}
}

func TestHeadingIDsTried(t *testing.T) {
	const n = 5000
	ids := newHeadingIDs(0)
	for i := 1; i <= n; i++ {
		ids.used[fmt.Sprintf("x-%d", 2*i)] = true // explicit ids in the way
	}
	for i := 0; i < 2*n; i++ {
		ids.generate("x")
	}
	// Each heading looks up its base and its own id; each explicit id is
	// passed over once.
	if ids.tried > 2*(2*n)+n {
		t.Errorf("%d headings tried %d ids, more than twice each and the %d in the way once", 2*n, ids.tried, n)
	}
	if got := ids.generate("x"); got != fmt.Sprintf("x-%d", 3*n) {
		t.Errorf("next id %q, want x-%d", got, 3*n)
	}
}
