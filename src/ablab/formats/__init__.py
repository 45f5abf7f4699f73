"""Pure formats, no I/O policy: trajectory Markdown (AblationBench's layout) and rpa2 digests."""
