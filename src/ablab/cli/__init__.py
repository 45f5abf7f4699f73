"""The ``ablab`` command line: thin Typer commands over the library."""
