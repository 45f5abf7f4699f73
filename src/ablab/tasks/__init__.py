"""Shared pieces of structured model tasks (planners, digest writers, the LM judge): reading the
JSON object of an answer. The size cap on answers and the quoting of a failed answer in a re-ask
live with the model layer (:data:`ablab.models.base.MAX_ANSWER_CHARS`,
:func:`ablab.models.base.quoted_answer`)."""
