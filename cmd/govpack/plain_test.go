package main

import (
	"testing"

	"govpack/generator"
)

// GOVPACK_PLAIN=1, and nothing else, makes the commands' builds plain.
func TestPlainFromEnvironment(t *testing.T) {
	for value, want := range map[string]bool{"1": true, "": false, "0": false, "yes": false} {
		t.Setenv(plainEnv, value)
		if got := options(generator.Options{SkipDir: "public"}); got.Plain != want || got.SkipDir != "public" {
			t.Errorf("%s=%q: options %+v, want Plain %v and SkipDir kept", plainEnv, value, got, want)
		}
	}
}
