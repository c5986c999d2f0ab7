package sshsig

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sign makes a key of the given type with ssh-keygen and signs message.
func sign(t *testing.T, keyType, message, namespace string) (pub, sig string) {
	t.Helper()
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	args := []string{"-q", "-t", keyType, "-N", "", "-C", "test key", "-f", key}
	if keyType == "rsa" {
		args = append(args, "-b", "3072")
	}
	if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen (install openssh-client): %v\n%s", err, out)
	}
	msg := filepath.Join(dir, "digest.txt")
	os.WriteFile(msg, []byte(message), 0o600)
	if out, err := exec.Command("ssh-keygen", "-Y", "sign", "-f", key, "-n", namespace, msg).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
	}
	p, _ := os.ReadFile(key + ".pub")
	s, _ := os.ReadFile(msg + ".sig")
	return string(p), string(s)
}

func TestVerifySSHKeygenSignatures(t *testing.T) {
	const digest = "sha256:0ec9b1fc40bd08ccd13563556e0ae93d3cf3a7c91f24ef2dea07f476ead5c738"
	for _, keyType := range []string{"ed25519", "ecdsa", "rsa"} {
		t.Run(keyType, func(t *testing.T) {
			pub, armored := sign(t, keyType, digest, Namespace)
			key, err := ParsePublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := Parse(armored)
			if err != nil {
				t.Fatal(err)
			}
			if string(sig.Key.Blob) != string(key.Blob) {
				t.Error("the signature's key differs from the public key")
			}
			if err := sig.Verify([]byte(digest), Namespace); err != nil {
				t.Errorf("a good signature fails: %v", err)
			}
			if err := sig.Verify([]byte(digest+"0"), Namespace); err == nil {
				t.Error("a signature of another digest verifies")
			}
			if err := sig.Verify([]byte(digest), "git"); err == nil {
				t.Error("a signature in another namespace verifies")
			}
			if !strings.HasPrefix(key.Fingerprint(), "SHA256:") {
				t.Errorf("fingerprint %q", key.Fingerprint())
			}
		})
	}
}

func TestTamperedSignature(t *testing.T) {
	_, armored := sign(t, "ed25519", "message", Namespace)
	lines := strings.Split(strings.TrimSpace(armored), "\n")
	body := []byte(lines[len(lines)-2])
	body[len(body)/2] ^= 1
	lines[len(lines)-2] = string(body)
	sig, err := Parse(strings.Join(lines, "\n"))
	if err == nil && sig.Verify([]byte("message"), Namespace) == nil {
		t.Error("a tampered signature verifies")
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "not armored", armorBegin + "\n!!!\n" + armorEnd, armorBegin + "\nU1NIU0lH\n" + armorEnd} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
	for _, s := range []string{"", "ssh-ed25519", "ssh-ed25519 !!!", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGk3bWx6YXJyb3dzLXRlc3Qta2V5LWZha2UtMDAwMDA="} {
		if _, err := ParsePublicKey(s); err == nil {
			t.Errorf("ParsePublicKey(%q) succeeded", s)
		}
	}
}

// FuzzParse parses arbitrary armored signatures and keys: never a panic,
// never a verified signature over garbage.
func FuzzParse(f *testing.F) {
	f.Add(armorBegin+"\nU1NIU0lHAAAAAQ==\n"+armorEnd, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==")
	f.Fuzz(func(t *testing.T, armored, pub string) {
		ParsePublicKey(pub)
		if sig, err := Parse(armored); err == nil {
			sig.Verify([]byte("message"), Namespace)
		}
	})
}
