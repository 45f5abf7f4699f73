"""Benchmarks: datasets, metrics (ablab's and AblationBench's), scoring, leaderboards, plots."""
