package generator

import (
	"fmt"
	"strings"

	"govpack/generator/markdown"
	"govpack/generator/profile"
)

// pillarSections places the alliance profile's pillars in the sections a
// reader looks in; other profiles' pillars get a section named after them.
var pillarSections = map[string]string{
	"system-construction":      "charter",
	"operation-management":     "operations",
	"legal-compliance":         "compliance",
	"technical-specifications": "specs",
}

// Scaffold returns the files of a starter pack for a consortium: settings
// with every option explained, one TOML file per entity kind with a worked
// example in comments, and one document per profile item holding the
// placeholder marker and what the item must settle. profileFile names the
// pack's own profile file ("" for a built-in profile).
func Scaffold(prof *profile.Profile, profileFile, consortium string) map[string][]byte {
	if consortium == "" {
		consortium = "Example Consortium"
	}
	files := map[string][]byte{}
	profileSetting := prof.ID
	if profileFile != "" {
		profileSetting = profileFile
	}
	files[SettingsFile] = []byte(fmt.Sprintf(settingsTemplate, consortium, consortium, profileSetting))
	for name, body := range dataTemplates {
		files["data/"+name] = []byte(body)
	}
	files["index.md"] = []byte(fmt.Sprintf("+++\ntitle = %q\n+++\nThis is the governance pack of %s. %s say what this site holds and how to read it.\n", consortium+" — Governance", consortium, PlaceholderMarker))
	for i, it := range prof.Items {
		section := it.Section
		if section == "" {
			section = pillarSections[it.Pillar]
		}
		if section == "" {
			section = markdown.Slug(it.Pillar)
		}
		body := fmt.Sprintf("+++\ntitle = %q\nweight = %d\ncovers = [%q]\n+++\n%s Write what %s must settle: %s.\n",
			it.Title, (i+1)*10, it.ID, PlaceholderMarker, strings.ToLower(it.Title), it.Explain)
		files[section+"/"+it.ID+".md"] = []byte(body)
	}
	return files
}

const settingsTemplate = `# Settings of the governance pack. Unknown keys are errors.
title = "%s — Governance"          # the site's title
consortium = "%s"
version = "0.1.0"                   # of the governance, not of govpack
effective = 2026-01-01              # the date this version takes effect
profile = %q                        # a built-in profile, or the path of a profile file in the pack
# language = "en"
# base_url = "https://governance.example.org/"   # only for sitemap and canonical links
# unsafe_html = false               # true lets raw HTML in documents through
# member_kinds = ["associate"]      # member kinds besides founding, ordinary and observer

[theme]
# client = "…"                      # the client's name, shown in the header
# logo = "static/logo.svg"          # a file under static/
# accent = "#1f5f8b"                # links in light mode: 4.5:1 contrast on white (WCAG AA) or a warning
# accent_dark = "#7fb8e6"           # links in dark mode: 4.5:1 on #14181c; default: the theme's own
# footer = "Prepared by …"
# css = "static/brand.css"          # an extra stylesheet under static/
# css = "static/brand.css"          # an extra stylesheet under static/
`

var dataTemplates = map[string]string{
	"members.toml": `# The parties to the consortium. kind: founding, ordinary, observer.
#
# [[member]]
# id = "harbour-bank"
# name = "Harbour Bank N.V."
# kind = "founding"
# jurisdiction = "Netherlands"
# joined = 2026-01-01
# contact = "alliance@harbourbank.example"
# signing_keys = ["ssh-ed25519 AAAA… harbour-bank"]   # keys it ratifies with
`,
	"bodies.toml": `# The deciding bodies and who sits on them ("all" for every member).
#
# [[body]]
# id = "general-assembly"
# name = "General Assembly"
# members = "all"
# chair = "harbour-bank"
# purpose = "Amends the charter, admits and expels members, adopts the budget."
# established_by = "charter/organizational-structure.md"
`,
	"roles.toml": `# Functions some members hold.
#
# [[role]]
# id = "secretariat"
# name = "Secretariat"
# holders = ["harbour-bank"]
# description = "Keeps the register of members and the minutes."
`,
	"rights.toml": `# What members may do. holders are typed: "member:x", "role:x", "body:x", "kind:founding".
#
# [[right]]
# id = "vote-in-assembly"
# title = "Vote in the General Assembly"
# holders = ["body:general-assembly"]
# source = "charter/decision-making.md"
`,
	"responsibilities.toml": `# What members must do; item names the profile item each serves.
#
# [[responsibility]]
# id = "record-decisions"
# title = "Record every decision with its vote count"
# holders = ["role:secretariat"]
# item = "decision-making"
# source = "charter/decision-making.md"
`,
	"decisions.toml": `# Decision rules. quorum: share of seats present; threshold: share of votes
# cast, or of all seats with basis = "all". No member may pass one alone.
#
# [[decision]]
# id = "admit-member"
# title = "Admit a new member"
# body = "general-assembly"
# quorum = 0.5
# threshold = 0.6667
# source = "charter/decision-making.md"
`,
	"nodes.toml": `# The consensus algorithm and the node plan. No member may run enough
# consensus nodes to halt the chain (half under raft, a third under BFT).
#
# [consensus]
# algorithm = "raft"
#
# [[node]]
# id = "orderer-1"
# operator = "harbour-bank"
# type = "orderer"            # validator, orderer, peer, observer
# region = "eu-west"
`,
	"data.toml": `# Data classes: what goes on chain, and who owns it.
#
# [[data_class]]
# id = "letter-of-credit"
# name = "Letter of credit"
# classification = "confidential"   # public, internal, confidential, restricted
# on_chain = "hash"                  # full, hash, none
# owner = "harbour-bank"
# retention = "10 years"
# legal_basis = "Contract"
`,
	"glossary.toml": `# Defined terms, linked from the documents as [text](term:id).
#
# [[term]]
# name = "Ordering service"
# definition = "The nodes that order transactions into blocks."
`,
	"amendments.toml": `# The amendment history, newest last.
#
# [[amendment]]
# version = "1.0.0"
# date = 2026-01-01
# decision = "amend-charter"
# summary = "First version adopted."
# changes = ["charter/articles-of-association.md"]
`,
}
