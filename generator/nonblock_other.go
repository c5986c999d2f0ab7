//go:build !unix

package generator

// openNonBlock is nothing where named pipes do not block an open.
const openNonBlock = 0
