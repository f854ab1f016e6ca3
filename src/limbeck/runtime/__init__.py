"""The runtime: environment and migration contexts, steps, the emitter, the version table."""
