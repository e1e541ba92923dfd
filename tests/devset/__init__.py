"""Spoken dev set: truth-annotated answers (answers.yaml) and the builder that voices them."""
