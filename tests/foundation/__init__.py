"""Foundation tests (issue #2): spec, seed example, operations, generation and packaging."""
