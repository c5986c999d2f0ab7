package generator

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"govpack/generator/diag"
)

// The default theme's page backgrounds, light and dark (--bg in
// themes/default/assets/style.css): the accent is the colour of links on
// them, so it is checked against them.
const (
	lightBackground = "#ffffff"
	darkBackground  = "#14181c"
)

// minLinkContrast is WCAG 2.1 AA's minimum contrast for normal text
// (success criterion 1.4.3); links are text.
const minLinkContrast = 4.5

// checkTheme checks the [theme] table: the logo and stylesheet are files
// under static/, the colours parse, and links in the accent colour are
// readable on the theme's background. A colour that does not parse is an
// error; one that parses but is hard to read is a warning, as the site
// still works.
func checkTheme(p *Pack, diags *diag.List) {
	th := &p.Settings.Theme
	for _, f := range []struct{ key, value string }{{"logo", th.Logo}, {"css", th.CSS}} {
		if f.value == "" {
			continue
		}
		rest, ok := strings.CutPrefix(path.Clean(f.value), "static/")
		if !ok || path.IsAbs(f.value) || strings.HasPrefix(rest, "../") {
			diags.Errorf(th.At(f.key), diag.RuleRefUnresolved, "theme %s %q must be a file under static/, such as \"static/%s\"", f.key, f.value, path.Base(f.value))
			continue
		}
		if !slices.Contains(p.Static, rest) {
			diags.Errorf(th.At(f.key), diag.RuleRefUnresolved, "theme %s %q does not exist: put the file in the pack's static/ directory", f.key, f.value)
		}
	}
	for _, c := range []struct {
		key, value, background, mode string
	}{
		{"accent", th.Accent, lightBackground, "light"},
		{"accent_dark", th.AccentDark, darkBackground, "dark"},
	} {
		if c.value == "" {
			continue
		}
		fg, ok := parseColour(c.value)
		if !ok {
			diags.Errorf(th.At(c.key), diag.RuleTOMLValue, "theme %s %q is not a colour: write it as #rgb or #rrggbb, such as \"#1f5f8b\"", c.key, c.value)
			continue
		}
		bg, _ := parseColour(c.background)
		if ratio := contrast(fg, bg); ratio < minLinkContrast {
			diags.Warnf(th.At(c.key), diag.RuleThemeContrast, "theme %s %q on the %s background %s has a contrast of %.2f:1; links need at least %.1f:1 (WCAG 2.1 AA)", c.key, c.value, c.mode, c.background, math.Floor(ratio*100)/100, minLinkContrast)
		}
	}
}

// rgb is a colour with 8-bit channels.
type rgb [3]uint8

// parseColour reads a CSS hex colour, #rgb or #rrggbb.
func parseColour(s string) (rgb, bool) {
	hex, ok := strings.CutPrefix(s, "#")
	if !ok {
		return rgb{}, false
	}
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	if len(hex) != 6 {
		return rgb{}, false
	}
	var c rgb
	for i := range c {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			return rgb{}, false
		}
		c[i] = uint8(v)
	}
	return c, true
}

// String is the colour as #rrggbb, the form the theme's CSS receives.
func (c rgb) String() string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// luminance is the WCAG 2.1 relative luminance of c.
func (c rgb) luminance() float64 {
	var l [3]float64
	for i, v := range c {
		s := float64(v) / 255
		if s <= 0.04045 {
			l[i] = s / 12.92
		} else {
			l[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG 2.1 contrast ratio of a and b, from 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// themeColour returns the colour the theme's CSS receives for value: the
// canonical #rrggbb, or "" when value is unset or not a colour (which
// checkTheme reports).
func themeColour(value string) string {
	if c, ok := parseColour(value); ok {
		return c.String()
	}
	return ""
}
