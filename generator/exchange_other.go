//go:build !(linux && (amd64 || arm64))

package generator

import (
	"os"
	"syscall"
)

// exchange is not available here: Commit falls back to two renames.
func exchange(a, b string) error {
	return &os.LinkError{Op: "exchange", Old: a, New: b, Err: syscall.ENOSYS}
}
