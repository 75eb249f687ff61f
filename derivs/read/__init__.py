"""The reader: derivations as authors write them, in Markdown, LaTeX or text.

Each module holds one concept of reading (see the README's Layout table); the
reader builds model objects and never imports the engine.
"""
