//go:build linux && (amd64 || arm64)

package generator

import (
	"os"
	"syscall"
	"unsafe"
)

const (
	atFDCWD        = -100 // AT_FDCWD: paths relative to the working directory
	renameExchange = 2    // RENAME_EXCHANGE: swap the two names atomically
)

// exchange swaps the directories at a and b in one step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15), so that b is never missing. It fails with
// ENOSYS or EINVAL where the kernel or file system cannot.
func exchange(a, b string) error {
	pa, err := syscall.BytePtrFromString(a)
	if err != nil {
		return err
	}
	pb, err := syscall.BytePtrFromString(b)
	if err != nil {
		return err
	}
	fd := atFDCWD
	_, _, errno := syscall.Syscall6(sysRenameat2, uintptr(fd), uintptr(unsafe.Pointer(pa)), uintptr(fd), uintptr(unsafe.Pointer(pb)), renameExchange, 0)
	if errno != 0 {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: errno}
	}
	return nil
}
