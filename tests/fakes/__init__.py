"""Fakes of outside systems for tests: loopback servers speaking the real protocols."""
