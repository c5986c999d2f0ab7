package decode

// Nearest returns the candidate closest to s when it is close enough to be
// what a typo of s meant, or "". Close enough is an edit distance (with
// swapped neighbours counting as one edit, the commonest typo) of at most
// max(2, len(s)/3) that does not rewrite every byte: "x" is no typo of "id".
// Ties go to the candidate first in byte order, so the suggestion does not
// depend on the candidates' order.
func Nearest(s string, candidates []string) string {
	limit := max(2, len(s)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := editDistance(s, c)
		if d >= max(len(s), len(c)) {
			continue
		}
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// bytes, each costing one.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1) // row i-2
	prev := make([]int, len(b)+1)  // row i-1
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
