package generator

import (
	"encoding/json"
	"fmt"

	"govpack/generator/decode"
	"govpack/generator/profile"
)

// SchemaFiles are the JSON Schemas of a pack's TOML files, by file name:
// the settings, the governance data and a profile. Editors that validate
// TOML against JSON Schema (Taplo, and VS Code's Even Better TOML, which
// runs it) complete keys and underline typos with them.
var SchemaFiles = []struct {
	Name, Title string
	Target      any
	docs        string // prefix of the file's keys in keyDocs
}{
	{"govpack.schema.json", "govpack settings (govpack.toml)", &Settings{}, ""},
	{"govpack-data.schema.json", "govpack governance data (the pack's other .toml files)", &Data{}, ""},
	{"govpack-profile.schema.json", "govpack profile", &profile.Profile{}, "profile:"},
}

// Schemas returns the JSON Schema files, by name. They are derived from the
// structs the strict decoder fills, so they accept exactly the keys and
// types govpack check does; the descriptions come from keyDocs.
func Schemas() map[string][]byte {
	out := map[string][]byte{}
	for _, f := range SchemaFiles {
		s := decode.Schema(f.Target, func(path string) string {
			doc, ok := keyDocs[f.docs+path]
			if !ok {
				panic(fmt.Sprintf("schema: no description for key %q of %s", path, f.Name))
			}
			return doc
		})
		s["title"] = f.Title
		constrainNames(s, f.Target)
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			panic(err) // maps of strings, slices and bools always marshal
		}
		out[f.Name] = append(b, '\n')
	}
	return out
}

// Patterns the schemas give the keys whose values become file names, so
// that an editor underlines what check refuses (validID, validVersion).
const (
	idPattern      = "^[a-z0-9][a-z0-9-]*$"
	versionPattern = "^[A-Za-z0-9][A-Za-z0-9.+_-]*$"
)

// constrainNames adds the id and version patterns to schema s of target.
func constrainNames(s map[string]any, target any) {
	switch target.(type) {
	case *Settings:
		constrain(s, []string{"version"}, versionPattern)
	case *Data:
		for _, k := range dataIDs(&Data{}) {
			constrain(s, []string{k.kind, "id"}, idPattern)
		}
	}
}

// constrain sets pattern and maxLength on the string key at path, going
// through arrays of tables to their items.
func constrain(s map[string]any, path []string, pattern string) {
	for _, key := range path {
		s = s["properties"].(map[string]any)[key].(map[string]any)
		if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" {
			s = items
		}
	}
	s["pattern"] = pattern
	s["maxLength"] = maxIDLen
}

// keyDocs describes every key of every schema, by dotted path, with
// "profile:" before the keys of profile files; a test checks that none is
// left over, and Schemas that none is missing.
var keyDocs = map[string]string{
	// govpack.toml
	"title":                      "Title of the site (required).",
	"consortium":                 "Name of the consortium.",
	"version":                    "Version of the governance, such as \"2.1.0\".",
	"effective":                  "Date this version takes effect, a TOML date such as 2026-03-01.",
	"profile":                    "The profile to check against: a built-in name (\"alliance\", \"iso23635\") or a path to a profile .toml file in the pack.",
	"language":                   "Language of the site, such as \"en\" (the default).",
	"base_url":                   "Where the site will be published; used only for the sitemap and canonical links.",
	"unsafe_html":                "true lets raw HTML in documents through instead of escaping it.",
	"member_kinds":               "Member kinds the pack declares besides founding, ordinary and observer.",
	"theme":                      "The client's branding.",
	"theme.client":               "The client's name, shown in every page's header.",
	"theme.logo":                 "The logo: a file under static/, such as \"static/logo.svg\".",
	"theme.accent":               "Link and highlight colour in light mode, #rgb or #rrggbb; below 4.5:1 contrast on white it is a warning.",
	"theme.accent_dark":          "Link and highlight colour in dark mode, #rgb or #rrggbb; checked against the dark background #14181c. Default: the theme's own.",
	"theme.footer":               "Text shown in every page's footer, such as \"Prepared by …\".",
	"theme.css":                  "An extra stylesheet under static/, linked after the theme's.",
	"limits":                     "What one document may hold; a document past a limit is an error and is not parsed.",
	"limits.document_bytes":      "Largest size of a document file, in bytes. Default: 1048576 (1 MiB).",
	"limits.depth":               "Deepest nesting of block quotes and list items; two columns of indentation before a marker count as one level. Default: 100.",
	"limits.links":               "Most links, images and footnote marks in a document: every '[' counts. Default: 20000.",
	"limits.footnotes":           "Most footnote references and definitions in a document: every \"[^\" counts. Default: 5000.",
	"limits.definitions":         "Most link reference definitions in a document: every \"]:\" counts. Default: 5000.",
	"member":                     "A party to the consortium.",
	"member.id":                  "Lowercase slug, unique among members.",
	"member.name":                "The member's name.",
	"member.kind":                "founding, ordinary, observer or a kind declared in member_kinds.",
	"member.jurisdiction":        "Where the member is established.",
	"member.joined":              "Date the member joined, a TOML date.",
	"member.contact":             "How to reach the member.",
	"member.url":                 "The member's web site.",
	"member.description":         "What the member brings, in a sentence or two.",
	"member.signing_keys":        "SSH public keys the member ratifies with, in authorized_keys form.",
	"body":                       "A deciding body.",
	"body.id":                    "Lowercase slug, unique among bodies.",
	"body.name":                  "The body's name.",
	"body.members":               "Member ids, or \"all\".",
	"body.chair":                 "Member id of the chair.",
	"body.purpose":               "What the body decides.",
	"body.established_by":        "Reference to the clause establishing the body, such as \"charter/bodies.md#4.1\".",
	"role":                       "A function some members hold, such as auditor.",
	"role.id":                    "Lowercase slug, unique among roles.",
	"role.name":                  "The role's name.",
	"role.holders":               "Member ids holding the role.",
	"role.description":           "What the role does.",
	"right":                      "What its holders may do.",
	"right.id":                   "Lowercase slug, unique among rights.",
	"right.title":                "The right, in a few words.",
	"right.holders":              "Typed references: \"member:ID\", \"role:ID\", \"body:ID\" or \"kind:KIND\".",
	"right.source":               "Reference to the clause granting the right.",
	"right.item":                 "For responsibilities: the profile item served. Not used on rights.",
	"right.description":          "The right in full.",
	"responsibility":             "What its holders must do.",
	"responsibility.id":          "Lowercase slug, unique among responsibilities.",
	"responsibility.title":       "The responsibility, in a few words.",
	"responsibility.holders":     "Typed references: \"member:ID\", \"role:ID\", \"body:ID\" or \"kind:KIND\".",
	"responsibility.source":      "Reference to the clause imposing the responsibility.",
	"responsibility.item":        "The profile item this responsibility serves, such as \"data-security\".",
	"responsibility.description": "The responsibility in full.",
	"decision":                   "A decision rule of a body.",
	"decision.id":                "Lowercase slug, unique among decisions.",
	"decision.title":             "What is decided.",
	"decision.body":              "Id of the body that decides.",
	"decision.quorum":            "Share of the body's members that must be present, 0..1.",
	"decision.threshold":         "Share of votes cast (or of all members with basis = \"all\") needed to pass, 0..1.",
	"decision.basis":             "\"cast\" (the default) or \"all\".",
	"decision.veto":              "Member ids that can block the decision alone.",
	"decision.source":            "Reference to the clause setting the rule.",
	"decision.description":       "The rule in full.",
	"decision.ratification":      "true: the threshold of the body's members must ratify (sign) the current version.",
	"consensus":                  "The consensus algorithm of the chain.",
	"consensus.algorithm":        "raft, pbft, ibft, qbft, hotstuff, tendermint, …",
	"consensus.description":      "How consensus is configured.",
	"node":                       "A node of the chain and who runs it.",
	"node.id":                    "Lowercase slug, unique among nodes.",
	"node.operator":              "Id of the member that runs the node.",
	"node.type":                  "validator, orderer, peer or observer.",
	"node.region":                "Where the node runs.",
	"node.description":           "What the node is for.",
	"data_class":                 "A class of data and how it may go on chain.",
	"data_class.id":              "Lowercase slug, unique among data classes.",
	"data_class.name":            "The class's name.",
	"data_class.classification":  "public, internal, confidential or restricted.",
	"data_class.on_chain":        "full, hash or none.",
	"data_class.owner":           "Id of the member that owns the data.",
	"data_class.retention":       "How long the data is kept.",
	"data_class.legal_basis":     "The legal basis for processing it.",
	"data_class.description":     "What the data is.",
	"term":                       "A glossary entry.",
	"term.id":                    "Lowercase slug; default: the slug of the name.",
	"term.name":                  "The term.",
	"term.definition":            "What it means in this pack.",
	"term.aliases":               "Other spellings linked to the same entry.",
	"amendment":                  "An entry of the amendment history.",
	"amendment.version":          "The version the amendment made.",
	"amendment.date":             "Date of the amendment, a TOML date.",
	"amendment.decision":         "Id of the decision rule it was adopted by.",
	"amendment.summary":          "What changed, in a sentence.",
	"amendment.changes":          "References to the clauses it changed.",
	"ratification":               "A member's signature of the pack digest; in ratifications.toml only (written by govpack sign).",
	"ratification.member":        "Id of the member ratifying.",
	"ratification.date":          "Date of the ratification.",
	"ratification.digest":        "The pack digest signed.",
	"ratification.public_key":    "The SSH public key that signed.",
	"ratification.signature":     "The armored SSH signature.",
	"waiver":                     "A profile item or rule that does not apply, and why.",
	"waiver.item":                "The profile item waived.",
	"waiver.rule":                "The rule id waived, such as \"concentration/veto\".",
	"waiver.target":              "The decision, member or item concerned.",
	"waiver.reason":              "Why it does not apply (required).",
	"waiver.agreed_by":           "Who agreed: \"body:ID\" or \"decision:ID\".",
	// profile files
	"profile:id":            "The profile's id.",
	"profile:title":         "The profile's title.",
	"profile:extends":       "A built-in profile this one starts from: \"alliance\" or \"iso23635\".",
	"profile:drop":          "Item ids of the base profile that do not apply.",
	"profile:pillar":        "A group of items.",
	"profile:pillar.id":     "Lowercase slug, unique among pillars.",
	"profile:pillar.title":  "The pillar's title.",
	"profile:item":          "Something a pack must settle; an item with a base item's id re-words it.",
	"profile:item.id":       "Lowercase slug; a document covers the item with covers = [ID] or a heading {#ID}.",
	"profile:item.pillar":   "Id of the pillar the item belongs to.",
	"profile:item.title":    "The item's title.",
	"profile:item.explain":  "What the item must settle, shown when it is missing.",
	"profile:item.section":  "The site section the item must be covered in, if any.",
	"profile:item.needs":    "Entity kinds the item requires in the governance data, such as [\"decision\"].",
	"profile:item.optional": "true makes a missing item a warning.",
	"profile:severity":      "\"error\" or \"warning\" per rule id, for coverage/, gov/, concentration/ and ratify/ rules.",
}
