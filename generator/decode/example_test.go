package decode_test

import (
	"fmt"

	"govpack/generator/decode"
)

func ExampleDecode() {
	type Member struct {
		decode.Meta `toml:"-"`
		ID          string      `toml:"id,required"`
		Name        string      `toml:"name"`
		Joined      decode.Date `toml:"joined"`
	}
	type Data struct {
		Members []Member `toml:"member"`
	}
	src := `[[member]]
id = "bank-a"
joined = 2024-05-01

[[member]]
nmae = "Bank B"
`
	var d Data
	diags := decode.Decode("data/members.toml", []byte(src), &d)
	fmt.Print(diags)
	fmt.Println(d.Members[0].ID, "joined", d.Members[0].Joined, "per", d.Members[0].At("joined"))
	// Output:
	// data/members.toml:5:1: error: [[member]] is missing required key "id" [toml/missing-key]
	// data/members.toml:6:1: error: unknown key "nmae" in [[member]]; did you mean "name"? [toml/unknown-key]
	// bank-a joined 2024-05-01 per data/members.toml:3:1
}
