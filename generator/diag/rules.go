package diag

// Rule ids, one for each kind of finding. Code names a rule by its
// constant; profiles and waivers name it by the id, which stays stable.
const (
	RuleAmendmentMismatch     = "amendment/mismatch"
	RuleConcentrationDecision = "concentration/decision"
	RuleConcentrationNodes    = "concentration/nodes"
	RuleConcentrationVeto     = "concentration/veto"
	RuleCoverageDuplicate     = "coverage/duplicate"
	RuleCoverageEmpty         = "coverage/empty"
	RuleCoverageMissing       = "coverage/missing"
	RuleCoverageNeeds         = "coverage/needs"
	RuleCoveragePlaceholder   = "coverage/placeholder"
	RuleCoverageSection       = "coverage/section"
	RuleCoverageUnknownItem   = "coverage/unknown-item"
	RuleDocAttribute          = "doc/attribute"
	RuleDocFrontMatter        = "doc/front-matter"
	RuleDocHighlight          = "doc/highlight"
	RuleDocLimit              = "doc/limit"
	RuleGovEmptyBody          = "gov/empty-body"
	RuleGovMemberWithoutBody  = "gov/member-without-body"
	RuleGovRange              = "gov/range"
	RuleGovUnheld             = "gov/unheld"
	RuleHistoryInvalid        = "history/invalid"
	RuleIORead                = "io/read"
	RulePackNoSettings        = "pack/no-settings"
	RuleProfileDuplicateID    = "profile/duplicate-id"
	RuleProfileSeverity       = "profile/severity"
	RuleProfileUnknown        = "profile/unknown"
	RuleProfileUnknownItem    = "profile/unknown-item"
	RuleProfileUnknownPillar  = "profile/unknown-pillar"
	RuleRatifyInvalid         = "ratify/invalid"
	RuleRatifyKey             = "ratify/key"
	RuleRatifyNewKey          = "ratify/new-key"
	RuleRatifySharedKey       = "ratify/shared-key"
	RuleRatifyStale           = "ratify/stale"
	RuleRatifyThreshold       = "ratify/threshold"
	RuleRefSyntax             = "ref/syntax"
	RuleRefUnresolved         = "ref/unresolved"
	RuleSiteCollision         = "site/collision"
	RuleSiteWrite             = "site/write"
	RuleSourceBadPath         = "source/bad-path"
	RuleSourceUTF8            = "source/utf8"
	RuleThemeContrast         = "theme/contrast"
	RuleThemeExecute          = "theme/execute"
	RuleThemeTemplate         = "theme/template"
	RuleTOMLBadID             = "toml/bad-id"
	RuleTOMLDuplicateID       = "toml/duplicate-id"
	RuleTOMLMissingKey        = "toml/missing-key"
	RuleTOMLSyntax            = "toml/syntax"
	RuleTOMLType              = "toml/type"
	RuleTOMLUnknownKey        = "toml/unknown-key"
	RuleTOMLValue             = "toml/value"
	RuleWaiverInvalid         = "waiver/invalid"
	RuleWaiverUnused          = "waiver/unused"
)

// Rule is one row of the rules table: an id and what it reports.
type Rule struct {
	ID          string
	Description string
}

// Rules returns the table of every rule a diagnostic can carry, sorted by
// id. The "Rules" table of docs/checks.md holds the same rows in the same
// order, and SARIF output names the rules from it. It returns a new slice each
// time, so no caller can change the table for another.
func Rules() []Rule {
	return []Rule{
		{RuleAmendmentMismatch, "an amendment whose recorded changes differ from the archived previous version"},
		{RuleConcentrationDecision, "one member can pass a decision alone"},
		{RuleConcentrationNodes, "one member runs enough consensus nodes to halt or control the chain"},
		{RuleConcentrationVeto, "a veto held by one member only"},
		{RuleCoverageDuplicate, "a profile item covered in two places"},
		{RuleCoverageEmpty, "a profile item covered by a section without real content"},
		{RuleCoverageMissing, "a profile item that no document covers"},
		{RuleCoverageNeeds, "a profile item whose governance data is missing"},
		{RuleCoveragePlaceholder, "a profile item covered by a section still holding the placeholder marker"},
		{RuleCoverageSection, "a profile item covered outside the section the profile requires"},
		{RuleCoverageUnknownItem, "front matter covers an item the profile does not have"},
		{RuleDocAttribute, "a heading attribute dropped: only an id is kept without unsafe_html, and not one the theme uses"},
		{RuleDocFrontMatter, "front matter that is never closed"},
		{RuleDocHighlight, "a code block that could not be highlighted"},
		{RuleDocLimit, "a document past one of the [limits] of govpack.toml, left unparsed"},
		{RuleGovEmptyBody, "a body without members"},
		{RuleGovMemberWithoutBody, "a member that sits on no body"},
		{RuleGovRange, "a quorum or threshold outside 0..1"},
		{RuleGovUnheld, "a responsibility, or a required item's responsibility, that no member holds"},
		{RuleHistoryInvalid, "an archived version under history/ that cannot be compared"},
		{RuleIORead, "a file of the pack cannot be read, or a symbolic link leaves the pack"},
		{RulePackNoSettings, "the directory has no govpack.toml"},
		{RuleProfileDuplicateID, "a profile defines a pillar or item twice"},
		{RuleProfileSeverity, "a profile sets a severity other than error or warning, or for a rule that is not a governance rule"},
		{RuleProfileUnknown, "the profile named in govpack.toml cannot be found"},
		{RuleProfileUnknownItem, "a profile drops an item the profile it extends does not have"},
		{RuleProfileUnknownPillar, "a profile item names a pillar the profile lacks"},
		{RuleRatifyInvalid, "a ratification whose signature or key does not verify"},
		{RuleRatifyKey, "a signing key that is not a supported OpenSSH public key (ed25519, ECDSA, RSA of 2048 bits or more)"},
		{RuleRatifyNewKey, "a signing key not trusted from the archived versions, which cannot ratify this one"},
		{RuleRatifySharedKey, "a signing key several members declare, which counts for none of them"},
		{RuleRatifyStale, "a ratification that signs an earlier pack digest"},
		{RuleRatifyThreshold, "a ratification rule the current version does not yet meet"},
		{RuleRefSyntax, "a reference written in a form that cannot work"},
		{RuleRefUnresolved, "a reference to a document, heading, entity or file that does not exist"},
		{RuleSiteCollision, "two sources that would write the same page"},
		{RuleSiteWrite, "a file of the site that cannot be written"},
		{RuleSourceBadPath, "a source file or folder whose name cannot be a plain relative link"},
		{RuleSourceUTF8, "a source file is not valid UTF-8"},
		{RuleThemeContrast, "a theme accent colour too faint for links on the theme's background (WCAG 2.1 AA, 4.5:1)"},
		{RuleThemeExecute, "a theme template that fails on the pack's data"},
		{RuleThemeTemplate, "a theme template that does not parse"},
		{RuleTOMLBadID, "an id that is not a lowercase slug of at most 64 characters"},
		{RuleTOMLDuplicateID, "an id used twice within a kind"},
		{RuleTOMLMissingKey, "a required key is missing or empty"},
		{RuleTOMLSyntax, "TOML that does not parse"},
		{RuleTOMLType, "a value of the wrong type"},
		{RuleTOMLUnknownKey, "a key the format does not define"},
		{RuleTOMLValue, "a value outside the allowed set"},
		{RuleWaiverInvalid, "a waiver that can never apply"},
		{RuleWaiverUnused, "a waiver that matches no finding"},
	}
}
