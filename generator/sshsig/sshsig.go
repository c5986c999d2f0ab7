// Package sshsig verifies SSH signatures: the format `ssh-keygen -Y sign`
// writes and git uses for signed commits (OpenSSH's PROTOCOL.sshsig).
// Members sign the pack digest with the SSH keys they already have, and
// anyone can check a ratification with `ssh-keygen -Y verify`, without
// trusting govpack.
//
// Supported keys: ssh-ed25519, ecdsa-sha2-nistp256/384/521 and RSA
// (rsa-sha2-256 and rsa-sha2-512 signatures).
package sshsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Namespace is the namespace govpack signatures use (ssh-keygen -n).
const Namespace = "govpack"

const (
	armorBegin = "-----BEGIN SSH SIGNATURE-----"
	armorEnd   = "-----END SSH SIGNATURE-----"
	magic      = "SSHSIG"
)

// PublicKey is a parsed SSH public key.
type PublicKey struct {
	Type string
	Blob []byte // the key in SSH wire format
	key  crypto.PublicKey
}

// Fingerprint is the key's SHA256 fingerprint, as ssh-keygen -l prints it.
func (k *PublicKey) Fingerprint() string {
	sum := sha256.Sum256(k.Blob)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// ParsePublicKey parses a key in authorized_keys form:
// "ssh-ed25519 AAAAC3Nza... comment".
func ParsePublicKey(s string) (*PublicKey, error) {
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return nil, errors.New("a public key is written \"TYPE BASE64 [COMMENT]\", as in an authorized_keys file")
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, errors.New("the key data is not base64; a public key is written \"TYPE BASE64 [COMMENT]\", as in an authorized_keys file")
	}
	k, err := parseKeyBlob(blob)
	if err != nil {
		return nil, err
	}
	if k.Type != fields[0] {
		return nil, fmt.Errorf("the key is labelled %q but holds a key of type %q", fields[0], k.Type)
	}
	return k, nil
}

// reader reads SSH wire-format values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) string() []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < 4 {
		r.err = errors.New("truncated")
		return nil
	}
	n := binary.BigEndian.Uint32(r.b)
	if uint64(n) > uint64(len(r.b)-4) {
		r.err = errors.New("truncated")
		return nil
	}
	s := r.b[4 : 4+n]
	r.b = r.b[4+n:]
	return s
}

func (r *reader) uint32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.err = errors.New("truncated")
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) mpint() *big.Int {
	b := r.string()
	if len(b) > 0 && b[0]&0x80 != 0 {
		r.err = errors.New("negative integer")
	}
	return new(big.Int).SetBytes(b)
}

func parseKeyBlob(blob []byte) (*PublicKey, error) {
	r := &reader{b: blob}
	typ := string(r.string())
	k := &PublicKey{Type: typ, Blob: blob}
	switch typ {
	case "ssh-ed25519":
		pub := r.string()
		if r.err == nil && len(pub) != ed25519.PublicKeySize {
			return nil, errors.New("ed25519 key of the wrong size")
		}
		k.key = ed25519.PublicKey(pub)
	case "ssh-rsa":
		e, n := r.mpint(), r.mpint()
		if r.err == nil && n.BitLen() < 2048 {
			return nil, fmt.Errorf("RSA key of %d bits; at least 2048 are needed", n.BitLen())
		}
		if r.err == nil && (!e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31) {
			return nil, errors.New("RSA key with an unusual exponent")
		}
		if r.err == nil {
			k.key = &rsa.PublicKey{N: n, E: int(e.Int64())}
		}
	case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
		curveName, point := string(r.string()), r.string()
		curve := map[string]elliptic.Curve{"nistp256": elliptic.P256(), "nistp384": elliptic.P384(), "nistp521": elliptic.P521()}[curveName]
		if r.err == nil && (curve == nil || "ecdsa-sha2-"+curveName != typ) {
			return nil, errors.New("ECDSA key with a mismatched curve")
		}
		if r.err == nil {
			pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
			if err != nil {
				return nil, fmt.Errorf("ECDSA key: %v", err)
			}
			k.key = pub
		}
	default:
		return nil, fmt.Errorf("unsupported key type %q; use ed25519, ECDSA or RSA", typ)
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = errors.New("data after the key")
	}
	if r.err != nil {
		return nil, fmt.Errorf("malformed key data: %v", r.err)
	}
	return k, nil
}

// Signature is a parsed SSH signature.
type Signature struct {
	Key       *PublicKey
	Namespace string
	hashAlg   string
	format    string
	sig       []byte
}

// Parse parses an armored SSH signature.
func Parse(armored string) (*Signature, error) {
	s := strings.TrimSpace(armored)
	if len(s) < len(armorBegin)+len(armorEnd) || !strings.HasPrefix(s, armorBegin) || !strings.HasSuffix(s, armorEnd) {
		return nil, fmt.Errorf("a signature starts with %q and ends with %q, as ssh-keygen -Y sign writes it", armorBegin, armorEnd)
	}
	body := strings.Join(strings.Fields(s[len(armorBegin):len(s)-len(armorEnd)]), "")
	blob, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("signature: %v", err)
	}
	if !bytes.HasPrefix(blob, []byte(magic)) {
		return nil, errors.New("not an SSH signature")
	}
	r := &reader{b: blob[len(magic):]}
	if v := r.uint32(); r.err == nil && v != 1 {
		return nil, fmt.Errorf("unsupported signature version %d", v)
	}
	keyBlob, ns := r.string(), string(r.string())
	r.string() // reserved
	hashAlg, sigBlob := string(r.string()), r.string()
	if r.err != nil {
		return nil, fmt.Errorf("signature: %v", r.err)
	}
	key, err := parseKeyBlob(keyBlob)
	if err != nil {
		return nil, err
	}
	if hashAlg != "sha256" && hashAlg != "sha512" {
		return nil, fmt.Errorf("unsupported hash %q", hashAlg)
	}
	sr := &reader{b: sigBlob}
	format, sig := string(sr.string()), sr.string()
	if sr.err != nil {
		return nil, fmt.Errorf("signature: %v", sr.err)
	}
	return &Signature{Key: key, Namespace: ns, hashAlg: hashAlg, format: format, sig: sig}, nil
}

// Verify checks that s signs message in namespace ns.
func (s *Signature) Verify(message []byte, ns string) error {
	if s.Namespace != ns {
		return fmt.Errorf("signature is for namespace %q, not %q", s.Namespace, ns)
	}
	var h []byte
	if s.hashAlg == "sha256" {
		sum := sha256.Sum256(message)
		h = sum[:]
	} else {
		sum := sha512.Sum512(message)
		h = sum[:]
	}
	var signed bytes.Buffer
	signed.WriteString(magic)
	for _, field := range [][]byte{[]byte(ns), nil, []byte(s.hashAlg), h} {
		binary.Write(&signed, binary.BigEndian, uint32(len(field)))
		signed.Write(field)
	}
	data := signed.Bytes()
	bad := errors.New("the signature does not match the key and the signed text")
	switch key := s.Key.key.(type) {
	case ed25519.PublicKey:
		if s.format != "ssh-ed25519" || !ed25519.Verify(key, data, s.sig) {
			return bad
		}
	case *rsa.PublicKey:
		var hash crypto.Hash
		var digest []byte
		switch s.format {
		case "rsa-sha2-256":
			sum := sha256.Sum256(data)
			hash, digest = crypto.SHA256, sum[:]
		case "rsa-sha2-512":
			sum := sha512.Sum512(data)
			hash, digest = crypto.SHA512, sum[:]
		default:
			return fmt.Errorf("unsupported RSA signature %q", s.format)
		}
		if rsa.VerifyPKCS1v15(key, hash, digest, s.sig) != nil {
			return bad
		}
	case *ecdsa.PublicKey:
		if s.format != s.Key.Type {
			return bad
		}
		r := &reader{b: s.sig}
		rr, ss := r.mpint(), r.mpint()
		if r.err != nil {
			return bad
		}
		var digest []byte
		switch key.Curve {
		case elliptic.P256():
			sum := sha256.Sum256(data)
			digest = sum[:]
		case elliptic.P384():
			sum := sha512.Sum384(data)
			digest = sum[:]
		default:
			sum := sha512.Sum512(data)
			digest = sum[:]
		}
		if !ecdsa.Verify(key, digest, rr, ss) {
			return bad
		}
	default:
		return bad
	}
	return nil
}
