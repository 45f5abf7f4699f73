"""Domain-aware demo models (``fake/heuristic``), registered through the ``ablab.models``
entry-point group like any third-party provider: the domain-free model layer never imports
planners."""
