"""Exceptions ablab raises on bad input; the CLI turns them into one-line messages (exit code 2)."""


class AblabError(Exception):
    """Base class of every error ablab reports to the user without a traceback."""


class PaperError(AblabError):
    """A paper could not be read (empty, binary, corrupt, encrypted, too large, unsafe...)."""


class TrajectoryFormatError(AblabError):
    """A trajectory Markdown file does not follow the published layout."""


class DigestFormatError(AblabError):
    """A digest Markdown file does not follow the ``ver: rpa2`` layout."""


class PlanError(AblabError):
    """A planner could not produce a valid plan."""


class ConfigError(AblabError):
    """A missing or invalid setting (unknown planner, model, option)."""


class DatasetError(AblabError):
    """A benchmark dataset could not be read (missing, wrong schema, hub unreachable...)."""


class JudgeError(AblabError):
    """A judge could not reach a decision (unusable model answer, missing judgements...)."""
