"""Generic helpers with no knowledge of papers or plans: atomic writes, async bridging, hashing,
text cleaning, safe YAML, JSON Lines and the package version. Every other layer may import them;
they import nothing from ablab but ``ablab.errors``."""
