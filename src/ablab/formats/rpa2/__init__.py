"""The ``ver: rpa2`` paper-digest format: the structured model, Markdown render and parse."""
