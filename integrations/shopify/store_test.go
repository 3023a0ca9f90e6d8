package shopify

import (
	"context"
	"errors"
	"sync"
)

var errNoToken = errors.New("no token stored")

// memStore is the TokenStore the tests use; gate, when set, is called at the
// start of every Load.
type memStore struct {
	mu     sync.Mutex
	tokens map[string]Token
	saves  int
	gate   func()
}

func (m *memStore) Load(_ context.Context, shop string) (Token, error) {
	if m.gate != nil {
		m.gate()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[shop]
	if !ok {
		return Token{}, errNoToken
	}
	return t, nil
}

func (m *memStore) Save(_ context.Context, shop string, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[shop] = t
	m.saves++
	return nil
}

func (m *memStore) get(shop string) Token {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens[shop]
}
