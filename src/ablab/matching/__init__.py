"""Deciding whether two ablations are the same: used by judges, consensus planning and the views."""
