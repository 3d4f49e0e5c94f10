"""wirewatch's test suite (a package so ``tests.fixturesite`` imports the same way everywhere)."""
