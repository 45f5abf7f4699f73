"""Framework-free page data shared by the web app and the static report: stored runs, plans,
digests and scores read from disk, aligned for comparison, and rendered with Jinja."""
