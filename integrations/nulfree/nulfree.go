// Package nulfree decodes JSON without the NUL characters it may escape.
// JSON allows "\u0000" in a string, Go decodes it, and Postgres rejects the
// result: a text column refuses a 0x00 byte (SQLSTATE 22021) and jsonb the
// escape itself (22P05). No order, address or tracking field means anything
// by a NUL, so the platform and carrier decoders drop them before anything
// reaches the database, while the raw payload is kept as received.
package nulfree

import (
	"bytes"
	"encoding/json"
)

var escape = []byte(`\u0000`)

// Unmarshal is json.Unmarshal of data with every \u0000 escape inside its
// strings removed. Errors are json.Unmarshal's.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(strip(data), v)
}

// strip returns data without the \u0000 escapes inside its strings; an
// escaped backslash followed by "u0000" is text, not NUL, and stays. Input
// without the escape is returned as is.
func strip(data []byte) []byte {
	if !bytes.Contains(data, escape) {
		return data
	}
	out := make([]byte, 0, len(data))
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && bytes.HasPrefix(data[i:], escape):
			i += len(escape) - 1
			continue
		case c == '\\' && i+1 < len(data):
			out = append(out, c, data[i+1])
			i++
			continue
		}
		out = append(out, c)
	}
	return out
}
