"""The command line: typer commands, shared options, the terminal views, doctor and story authoring.
The only layer that prints or exits.
"""
