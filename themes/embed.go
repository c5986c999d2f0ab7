// Package themes holds the built-in themes, embedded in the binary. A theme
// is a directory of html/template files under templates/ and files under
// assets/ copied to the site's assets/ directory.
package themes

import "embed"

// Default is the default theme; paths start with "default/".
//
//go:embed default
var Default embed.FS
