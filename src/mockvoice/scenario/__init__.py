"""What is rehearsed: the scenario model, YAML and Markdown-story loading, the question bank, key-
phrase extraction and delivery rules. Pure data; depends only on `matching`.
"""
