"""The package version, in one leaf module (read by the build and by every module stamping it)."""

__version__ = "0.1.0"
