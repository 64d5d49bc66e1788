// Package greet says hello (v1.0.0).
package greet

// Hello returns a greeting for name.
func Hello(name string) string {
	return "hello, " + name
}
